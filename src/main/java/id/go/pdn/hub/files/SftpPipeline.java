package id.go.pdn.hub.files;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Many SFTP requests on one session without waiting for each reply: all requests of a step are sent (one per file or
 * folder), then their replies are read by request id. A step's replies are all read before the next step is sent, so
 * nothing depends on the order in which a server carries out requests. 100 small files then cost a few round trips
 * per step instead of a dozen round trips each. SFTP version 3 (what {@link SftpEndpoint} negotiates); names travel as
 * the endpoint sends them (one Latin-1 char per byte).
 * <p>
 * Each request's outcome is kept per entry (a reply, or the server's refusal as an {@link SftpException}); an
 * {@link IOException} thrown out of a method means the session itself failed and must not be reused.
 */
final class SftpPipeline {

    /** Read and write request size: within what every server serves in one request (OpenSSH 255 KiB, MINA 63 KiB). */
    static final int CHUNK = 32 * 1024;
    private static final Charset WIRE = StandardCharsets.ISO_8859_1;

    private final RawSftpClient raw;

    SftpPipeline(SftpClient sftp) {
        this.raw = (RawSftpClient) sftp;
    }

    /** A handle, attributes, data or a status, as the server answered one request. */
    static final class Reply {
        final int type;
        final Buffer buffer;

        Reply(int type, Buffer buffer) {
            this.type = type;
            this.buffer = buffer;
        }

        /** The server's error for this request, or null if it succeeded (status OK, or any non-status reply). */
        SftpException error() {
            if (type != SftpConstants.SSH_FXP_STATUS) {
                return null;
            }
            int rpos = buffer.rpos();
            int code = buffer.getInt();
            String message = buffer.getString();
            buffer.rpos(rpos);
            return code == SftpConstants.SSH_FX_OK || code == SftpConstants.SSH_FX_EOF ? null : new SftpException(code, message);
        }

        boolean eof() {
            if (type != SftpConstants.SSH_FXP_STATUS) {
                return false;
            }
            int rpos = buffer.rpos();
            int code = buffer.getInt();
            buffer.rpos(rpos);
            return code == SftpConstants.SSH_FX_EOF;
        }
    }

    int send(int cmd, Buffer request) throws IOException {
        return raw.send(cmd, request);
    }

    Reply receive(int id) throws IOException {
        Buffer buffer = raw.receive(id);
        buffer.getInt(); // length
        int type = buffer.getUByte();
        int got = buffer.getInt();
        if (got != id) {
            throw new StreamCorruptedException("SFTP reply " + got + " for request " + id);
        }
        return new Reply(type, buffer);
    }

    /** Sends one request per entry, then reads every reply: element i answers request i. */
    List<Reply> all(int cmd, List<Buffer> requests) throws IOException {
        int[] ids = new int[requests.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = send(cmd, requests.get(i));
        }
        List<Reply> replies = new ArrayList<>(ids.length);
        for (int id : ids) {
            replies.add(receive(id));
        }
        return replies;
    }

    // ---- requests

    static Buffer path(String wirePath) {
        Buffer b = new ByteArrayBuffer(wirePath.length() + 64, false);
        b.putString(wirePath, WIRE);
        return b;
    }

    static Buffer handle(byte[] handle) {
        Buffer b = new ByteArrayBuffer(handle.length + 64, false);
        b.putBytes(handle);
        return b;
    }

    /** OPEN for writing: created owner-only (0600) if new, truncated; also readable, to read the bytes back. */
    static Buffer openForWrite(String wirePath) {
        Buffer b = path(wirePath);
        b.putInt(SftpConstants.SSH_FXF_READ | SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT | SftpConstants.SSH_FXF_TRUNC);
        b.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
        b.putInt(0600);
        return b;
    }

    static Buffer openForRead(String wirePath) {
        Buffer b = path(wirePath);
        b.putInt(SftpConstants.SSH_FXF_READ);
        b.putInt(0); // no attributes
        return b;
    }

    static Buffer read(byte[] handle, long offset, int length) {
        Buffer b = handle(handle);
        b.putLong(offset);
        b.putInt(length);
        return b;
    }

    static Buffer write(byte[] handle, long offset, byte[] data, int from, int length) {
        Buffer b = new ByteArrayBuffer(handle.length + length + 64, false);
        b.putBytes(handle);
        b.putLong(offset);
        b.putBytes(data, from, length);
        return b;
    }

    /** FSETSTAT with mtime and atime (seconds on the wire, unsigned 32-bit) and, if {@code permissions >= 0}, the mode. */
    static Buffer setTimes(byte[] handle, long seconds, int permissions) {
        Buffer b = handle(handle);
        b.putInt(SftpConstants.SSH_FILEXFER_ATTR_ACMODTIME | (permissions >= 0 ? SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS : 0));
        if (permissions >= 0) {
            b.putInt(permissions & 07777);
        }
        b.putInt((int) seconds); // the low 4 bytes: 1970-2106 read unsigned
        b.putInt((int) seconds);
        return b;
    }

    /** posix-rename@openssh.com: an atomic replace; the extension takes its names in UTF-8. */
    static Buffer posixRename(String from, String to) {
        Buffer b = new ByteArrayBuffer(from.length() * 3 + to.length() * 3 + 64, false);
        b.putString("posix-rename@openssh.com");
        b.putString(from, StandardCharsets.UTF_8);
        b.putString(to, StandardCharsets.UTF_8);
        return b;
    }

    // ---- replies

    static byte[] handleOf(Reply reply) throws SftpException {
        SftpException error = reply.error();
        if (error != null) {
            throw error;
        }
        if (reply.type != SftpConstants.SSH_FXP_HANDLE) {
            throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "expected a handle, got SFTP message " + reply.type);
        }
        return reply.buffer.getBytes();
    }

    static FileAttributes attributesOf(Reply reply) throws SftpException {
        SftpException error = reply.error();
        if (error != null) {
            throw error;
        }
        if (reply.type != SftpConstants.SSH_FXP_ATTRS) {
            throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "expected attributes, got SFTP message " + reply.type);
        }
        return SftpEndpoint.attributes(attributes(reply.buffer));
    }

    static void statusOf(Reply reply) throws SftpException {
        SftpException error = reply.error();
        if (error != null) {
            throw error;
        }
        if (reply.type != SftpConstants.SSH_FXP_STATUS) {
            throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "expected a status, got SFTP message " + reply.type);
        }
    }

    /** The bytes of a READ reply (none at the end of the file). */
    static byte[] dataOf(Reply reply) throws SftpException {
        if (reply.eof()) {
            return new byte[0];
        }
        SftpException error = reply.error();
        if (error != null) {
            throw error;
        }
        if (reply.type != SftpConstants.SSH_FXP_DATA) {
            throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "expected data, got SFTP message " + reply.type);
        }
        return reply.buffer.getBytes();
    }

    /** One entry of a READDIR reply. */
    record Listed(String name, SftpClient.Attributes attributes) {
    }

    /** The entries of a READDIR reply, or null at the end of the folder. */
    static List<Listed> namesOf(Reply reply) throws SftpException {
        if (reply.eof()) {
            return null;
        }
        SftpException error = reply.error();
        if (error != null) {
            throw error;
        }
        if (reply.type != SftpConstants.SSH_FXP_NAME) {
            throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "expected names, got SFTP message " + reply.type);
        }
        int count = reply.buffer.getInt();
        List<Listed> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = reply.buffer.getString(WIRE);
            reply.buffer.getString(WIRE); // the long name (ls -l): not used
            entries.add(new Listed(name, attributes(reply.buffer)));
        }
        return entries;
    }

    /** SFTP version 3 attributes. */
    static SftpClient.Attributes attributes(Buffer b) {
        SftpClient.Attributes a = new SftpClient.Attributes();
        int flags = b.getInt();
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_SIZE) != 0) {
            a.setSize(b.getLong());
        }
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_UIDGID) != 0) {
            a.owner(b.getInt(), b.getInt());
        }
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS) != 0) {
            int perms = b.getInt();
            a.setPermissions(perms);
            a.setType(org.apache.sshd.sftp.common.SftpHelper.permissionsToFileType(perms));
        }
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_ACMODTIME) != 0) {
            long atime = b.getUInt();
            long mtime = b.getUInt();
            a.setAccessTime(java.nio.file.attribute.FileTime.from(atime, java.util.concurrent.TimeUnit.SECONDS));
            a.setModifyTime(java.nio.file.attribute.FileTime.from(mtime, java.util.concurrent.TimeUnit.SECONDS));
        }
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_EXTENDED) != 0) {
            int count = b.getInt();
            for (int i = 0; i < count; i++) {
                b.getString();
                b.getString();
            }
        }
        return a;
    }

    // ---- whole small files

    /**
     * Read requests covering {@code size + 1} bytes in {@link #CHUNK}s: a file of exactly {@code size} bytes answers
     * every chunk in full up to its end and the rest with nothing, which {@link #assemble} checks.
     */
    static int chunks(long size) {
        return (int) (size / CHUNK) + 1;
    }

    /**
     * Feeds the chunks read to {@code sink} (may be null) and the digest: true if they are exactly {@code size} bytes,
     * each chunk as long as a file of that size gives (a file that grew or shrank meanwhile does not).
     */
    static boolean assemble(List<byte[]> chunks, long size, MessageDigest digest, java.io.ByteArrayOutputStream sink) {
        long offset = 0;
        for (byte[] chunk : chunks) {
            long expected = Math.max(0, Math.min(CHUNK, size - offset));
            if (chunk.length != expected) {
                return false;
            }
            if (digest != null) {
                digest.update(chunk);
            }
            if (sink != null) {
                sink.write(chunk, 0, chunk.length);
            }
            offset += CHUNK;
        }
        return true;
    }
}

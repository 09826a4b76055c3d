package id.go.pdn.hub.files;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.core.HubException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import java.util.List;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpVersionSelector;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder on an SFTP server ({@code sftp://user@host:port/path}), through Apache MINA SSHD's SFTP client.
 * Camel's sftp component is a poller and a producer of whole files: it cannot write from an offset (resume), set
 * a file's mtime and mode (setstat), or read a file back for verification inside one work item, so the hub talks
 * SFTP through the client that camel-sftp's own tests use as a server.
 * <p>
 * Sessions are pooled: a work item borrows one for each operation or stream and gives it back, so 10,000 small
 * files cost 10,000 requests, not 10,000 SSH handshakes. The host key is checked against a known_hosts file.
 */
final class SftpEndpoint implements FilesEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SftpEndpoint.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** SFTP read/write request size: OpenSSH serves up to 256 KiB per request; the async streams keep several in flight. */
    static final int IO_BUFFER = 128 * 1024;
    /** SSH channel window (bytes the server may send unread); see the constructor. */
    static final long WINDOW_SIZE = 2L * 1024 * 1024;
    private static final AttributeKey<String> HOST_KEY_PROBLEM = new AttributeKey<>();

    private final FilesOptions.Location location;
    private final String password;
    private final SshClient client;
    private final Path knownHosts;
    private final Deque<SftpClient> idle = new ConcurrentLinkedDeque<>();

    /**
     * @param password null for key authentication
     * @param privateKeyFile null to use password only
     */
    SftpEndpoint(FilesOptions.Location location, String password, Path privateKeyFile, String passphrase, boolean strictHostKeyChecking,
                 Path knownHosts) {
        this.location = location;
        this.password = password;
        this.knownHosts = knownHosts;
        this.client = SshClient.setUpDefaultClient();
        // AES-GCM first: the JDK runs it on AES-NI, while MINA's chacha20-poly1305 (its first choice) is plain Java
        client.setCipherFactories(new java.util.ArrayList<>(NamedFactory.setUpBuiltinFactories(false, List.of(
                BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr,
                BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh))));
        // The channel window is also how far a read stream runs ahead: window / IO_BUFFER requests in flight, each answer a
        // heap buffer until it is read. 2 MiB (16 requests; OpenSSH's own window) instead of 8 MiB: the 64 answers per
        // stream outlived the young collections and grew the heap (1 GiB SFTP copy at -Xmx256m: max RSS 418 -> 341 MiB)
        CoreModuleProperties.WINDOW_SIZE.set(client, WINDOW_SIZE);
        // small SFTP requests one after the other: without TCP_NODELAY each may wait for the previous one's ACK
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        if (strictHostKeyChecking) {
            client.setServerKeyVerifier(new KnownHosts(knownHosts));
        } else {
            LOG.warn("Host key checking is off for {} (strictHostKeyChecking: false): the server is not authenticated", describe());
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        }
        if (privateKeyFile != null) {
            if (!Files.isReadable(privateKeyFile)) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot use the private key " + privateKeyFile
                        + " for " + describe() + ": the file does not exist or is not readable");
            }
            FileKeyPairProvider keys = new FileKeyPairProvider(privateKeyFile);
            if (passphrase != null) {
                keys.setPasswordFinder(FilePasswordProvider.of(passphrase));
            }
            try { // read now: a wrong passphrase would otherwise read "the server refused the private key" at login
                if (!keys.loadKeys(null).iterator().hasNext()) {
                    throw new java.security.GeneralSecurityException("no key could be read from the file");
                }
            } catch (Exception e) {
                client.stop();
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot use the private key " + privateKeyFile
                        + " for " + describe() + ": " + (passphrase == null
                        ? "it cannot be read without a passphrase (or is not a private key); set parameter 'privateKeyPassphrase'"
                        : "wrong key passphrase; check parameter 'privateKeyPassphrase'"), e);
            }
            client.setKeyIdentityProvider(keys);
        }
        client.start();
    }

    @Override
    public String describe() {
        return location.describe();
    }

    // ---- sessions

    private SftpClient borrow() throws IOException {
        SftpClient sftp;
        while ((sftp = idle.poll()) != null) {
            if (sftp.isOpen() && sftp.getClientSession().isOpen()) {
                return sftp;
            }
            closeQuietly(sftp);
        }
        return connect();
    }

    private void giveBack(SftpClient sftp, boolean broken) {
        if (!broken && sftp.isOpen() && sftp.getClientSession().isOpen()) {
            idle.push(sftp);
        } else {
            closeQuietly(sftp);
        }
    }

    private SftpClient connect() throws IOException {
        ClientSession session = null;
        try {
            session = client.connect(location.user(), location.host(), location.port()).verify(TIMEOUT).getSession();
            if (password != null) {
                session.addPasswordIdentity(password);
            }
            session.auth().verify(TIMEOUT);
            // version 3, the one OpenSSH speaks: the same attribute semantics (mode, mtime in seconds) on every server
            SftpClient sftp = SftpClientFactory.instance().createSftpClient(session, SftpVersionSelector.fixedVersionSelector(3));
            // names travel as bytes: each byte one Latin-1 char both ways, so that a name that is not UTF-8 is seen as it
            // is (and refused by name) instead of being decoded into U+FFFD; the hub's own names go out as UTF-8 (wire())
            sftp.setNameDecodingCharset(java.nio.charset.StandardCharsets.ISO_8859_1);
            return sftp;
        } catch (IOException e) {
            // the key exchange may fail before connect() hands over the session: the verifier also keeps its finding here
            String hostKeyProblem = session != null && session.getAttribute(HOST_KEY_PROBLEM) != null
                    ? session.getAttribute(HOST_KEY_PROBLEM)
                    : String.valueOf(e.getMessage()).contains("key did not validate") ? lastHostKeyProblem.get() : null;
            if (session != null) {
                session.close(true);
            }
            if (hostKeyProblem != null) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot connect to " + describe() + ": " + hostKeyProblem);
            }
            if (session != null && !session.isAuthenticated() && session.getServerKey() != null
                    && String.valueOf(e.getMessage()).contains("No more authentication methods")) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot log in to " + describe() + " as "
                        + location.user() + ": the server refused the " + (password != null ? "password" : "private key")
                        + "; check parameters 'password' or 'privateKeyFile'");
            }
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(SftpClient sftp) {
        try {
            sftp.close();
            sftp.getClientSession().close(true);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }

    private interface SftpCall<T> {
        T call(SftpClient sftp) throws IOException;
    }

    private <T> T with(SftpCall<T> call) throws IOException {
        SftpClient sftp = borrow();
        boolean broken = true;
        try {
            T result = call.call(sftp);
            broken = false;
            return result;
        } catch (SftpException e) {
            broken = false; // the server answered: the session is fine
            throw e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(e) : e;
        } finally {
            giveBack(sftp, broken);
        }
    }

    private NoSuchFileException noSuchFile(SftpException e) {
        return noSuchFile(location.path(), e);
    }

    private NoSuchFileException noSuchFile(String path, SftpException e) {
        NoSuchFileException missing = new NoSuchFileException(describe().replace(location.path(), "") + path, null, e.getMessage());
        missing.initCause(e);
        return missing;
    }

    /** The server path of a relative path, as sent: the root plus the path (which never climbs out), in UTF-8 bytes. */
    String resolve(String path) {
        return wire(readable(path));
    }

    /** The server path of a relative path, for messages. */
    String readable(String path) {
        if (path.isEmpty()) {
            return location.path();
        }
        return location.path().endsWith("/") ? location.path() + path : location.path() + "/" + path;
    }

    /** A name as the SFTP client sends it: its UTF-8 bytes, one Latin-1 char each (see {@link #connect}). */
    static String wire(String name) {
        return new String(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A name as listed (bytes as Latin-1 chars) in UTF-8, or null if its bytes are not UTF-8. */
    static String fromWire(String listed) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(listed.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** Every byte that is not printable ASCII as \\xNN. */
    static String escaped(String listed) {
        StringBuilder text = new StringBuilder();
        for (char c : listed.toCharArray()) {
            text.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return text.toString();
    }

    // ---- operations

    @Override
    public void walk(Visitor visitor) throws IOException {
        SftpClient sftp = borrow();
        boolean broken = true;
        try {
            SftpClient.Attributes root = sftp.stat(resolve(""));
            walk(sftp, "", root, list(sftp, List.of("")).get(0), visitor);
            broken = false;
        } catch (SftpException e) {
            broken = false;
            throw e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(e) : e;
        } finally {
            giveBack(sftp, broken);
        }
    }

    /**
     * Lists folders in one pipelined pass (open all, read all until each ends, close all): element i holds folder i's
     * entries, or the server's error for it ({@link SftpException}). Throws when the session fails.
     */
    private List<Object> list(SftpClient sftp, List<String> dirs) throws IOException {
        SftpPipeline pipe = new SftpPipeline(sftp);
        List<Object> result = new java.util.ArrayList<>(dirs.size());
        List<byte[]> handles = new java.util.ArrayList<>(dirs.size());
        List<SftpPipeline.Reply> opened = pipe.all(SftpConstants.SSH_FXP_OPENDIR, dirs.stream().map(d -> SftpPipeline.path(resolve(d))).toList());
        for (SftpPipeline.Reply reply : opened) {
            try {
                handles.add(SftpPipeline.handleOf(reply));
                result.add(new java.util.ArrayList<SftpPipeline.Listed>());
            } catch (SftpException e) {
                handles.add(null);
                result.add(e);
            }
        }
        List<Integer> reading = new java.util.ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            if (handles.get(i) != null) {
                reading.add(i);
            }
        }
        while (!reading.isEmpty()) { // one READDIR per open folder per step, until each says it has no more
            List<SftpPipeline.Reply> replies = pipe.all(SftpConstants.SSH_FXP_READDIR,
                    reading.stream().map(i -> SftpPipeline.handle(handles.get(i))).toList());
            List<Integer> more = new java.util.ArrayList<>();
            for (int k = 0; k < reading.size(); k++) {
                int i = reading.get(k);
                try {
                    List<SftpPipeline.Listed> names = SftpPipeline.namesOf(replies.get(k));
                    if (names != null) {
                        @SuppressWarnings("unchecked")
                        List<SftpPipeline.Listed> entries = (List<SftpPipeline.Listed>) result.get(i);
                        entries.addAll(names);
                        more.add(i);
                    }
                } catch (SftpException e) {
                    result.set(i, e);
                }
            }
            reading = more;
        }
        List<Buffer> closes = handles.stream().filter(java.util.Objects::nonNull).map(SftpPipeline::handle).toList();
        pipe.all(SftpConstants.SSH_FXP_CLOSE, closes); // a folder handle that will not close is no finding about the listing
        return result;
    }

    /**
     * Depth-first, as listed: a folder's files, then its children folders (up to {@link #LIST_TOGETHER} of them listed
     * in one pipelined pass when their turn comes), then the folder itself.
     */
    private static final int LIST_TOGETHER = 32;

    private void walk(SftpClient sftp, String dir, SftpClient.Attributes dirAttributes, Object listing, Visitor visitor) throws IOException {
        int children = 0;
        Deque<Object[]> subdirs = new ArrayDeque<>();
        List<SftpPipeline.Listed> entries;
        try {
            if (listing instanceof IOException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<SftpPipeline.Listed> listed = (List<SftpPipeline.Listed>) listing;
            entries = listed;
        } catch (IOException e) {
            if (dir.isEmpty() || !(e instanceof SftpException)) {
                throw e; // the root (the caller names it), or the connection
            }
            // the folder was listed a moment ago; a server that cannot stat an entry it lists (MINA's, for a name that is
            // not UTF-8) fails the whole folder: say which
            throw new IOException("cannot list the folder " + readable(dir) + " on " + describe() + ": " + e.getMessage()
                    + " (the server lists it but cannot read it, or something in it: e.g. a name that is not UTF-8)", e);
        }
        for (SftpPipeline.Listed entry : entries) {
            String listed = entry.name();
            if (listed.equals(".") || listed.equals("..")) {
                continue;
            }
            children++;
            String name = fromWire(listed);
            if (name != null && name.indexOf('\uFFFD') >= 0) {
                // a server that decoded a name itself (MINA's, from a Java file system) sends U+FFFD for the bytes it could
                // not decode: that name cannot be asked for again
                String bad = (dir.isEmpty() ? "" : dir + "/") + name;
                visitor.skipped(bad, FileAttributes.Type.OTHER, "the server sent this name with U+FFFD in it: it could"
                        + " not decode the name's bytes itself, so the file cannot be asked for by name. Rename it at the source"
                        + " to UTF-8, or exclude it");
                continue;
            }
            if (name == null) {
                String bad = (dir.isEmpty() ? "" : dir + "/") + escaped(listed);
                visitor.skipped(bad, FileAttributes.Type.OTHER, LocalEndpoint.notUtf8Reason(bad,
                        entry.attributes().isDirectory()));
                continue;
            }
            String path = dir.isEmpty() ? name : dir + "/" + name;
            if (name.contains("/") || name.contains("\0") || name.isEmpty()) {
                // a server must list plain names; one that lists "../x" or "a/../../b" would write outside the target root
                visitor.skipped(path, FileAttributes.Type.OTHER, "the server listed a name with '/' (or NUL) in it, which could "
                        + "escape the target folder; refused");
                continue;
            }
            SftpClient.Attributes a = entry.attributes();
            FileAttributes attributes = attributes(a);
            switch (attributes.type()) {
                case FILE -> visitor.file(path, attributes);
                case DIRECTORY -> {
                    if (visitor.enterDirectory(path)) {
                        subdirs.add(new Object[] {path, a});
                    }
                }
                default -> visitor.skipped(path, attributes.type(), attributes.type().skipReason());
            }
        }
        List<Object[]> folders = new java.util.ArrayList<>(subdirs);
        for (int from = 0; from < folders.size(); from += LIST_TOGETHER) { // a bounded number of listings held at once
            List<Object[]> group = folders.subList(from, Math.min(folders.size(), from + LIST_TOGETHER));
            List<Object> listings = list(sftp, group.stream().map(sub -> (String) sub[0]).toList());
            for (int i = 0; i < group.size(); i++) {
                walk(sftp, (String) group.get(i)[0], (SftpClient.Attributes) group.get(i)[1], listings.get(i), visitor);
            }
        }
        visitor.directoryDone(dir, attributes(dirAttributes), children);
    }

    static FileAttributes attributes(SftpClient.Attributes a) {
        FileAttributes.Type type = a.getFlags().contains(SftpClient.Attribute.Perms) ? FileAttributes.typeOf(a.getPermissions())
                : a.isSymbolicLink() ? FileAttributes.Type.SYMLINK : a.isRegularFile() ? FileAttributes.Type.FILE
                : a.isDirectory() ? FileAttributes.Type.DIRECTORY : FileAttributes.Type.OTHER;
        long mtime = a.getModifyTime() == null ? 0 : a.getModifyTime().toMillis();
        int mode = a.getFlags().contains(SftpClient.Attribute.Perms) ? a.getPermissions() & 07777 : -1;
        return new FileAttributes(type, a.getSize(), mtime, mode);
    }

    @Override
    public Optional<FileAttributes> stat(String path) throws IOException {
        try {
            return Optional.of(with(sftp -> attributes(sftp.lstat(resolve(path)))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream read(String path) throws IOException {
        SftpClient sftp = borrow();
        try {
            return new FilterInputStream(sftp.read(resolve(path), IO_BUFFER)) {
                private boolean failed;
                private boolean closed;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        failed = true;
                        throw e;
                    }
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return; // give the session back once only
                    }
                    closed = true;
                    try {
                        super.close();
                    } finally {
                        giveBack(sftp, failed);
                    }
                }
            };
        } catch (SftpException e) {
            giveBack(sftp, false);
            throw e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(readable(path), e) : e;
        } catch (IOException | RuntimeException e) {
            giveBack(sftp, true);
            throw e;
        }
    }

    @Override
    public OutputStream write(String path, long offset) throws IOException {
        SftpClient sftp = borrow();
        try {
            EnumSet<SftpClient.OpenMode> modes = offset == 0
                    ? EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)
                    : EnumSet.of(SftpClient.OpenMode.Write);
            SftpClient.CloseableHandle handle = sftp.open(resolve(path), modes);
            if (offset == 0) {
                // owner-only while it is written: the source's mode is applied once the file is in place
                sftp.setStat(handle, new SftpClient.Attributes().perms(0600));
            }
            SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, IO_BUFFER, resolve(path), handle, true);
            out.setOffset(offset);
            return new FilterOutputStream(out) {
                private boolean failed;
                private boolean closed;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        out.write(b, off, len);
                    } catch (IOException e) {
                        failed = true;
                        throw e;
                    }
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    try {
                        out.close();
                    } catch (IOException e) {
                        failed = true;
                        throw e;
                    } finally {
                        giveBack(sftp, failed);
                    }
                }
            };
        } catch (SftpException e) {
            giveBack(sftp, false);
            throw e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(readable(path), e) : e;
        } catch (IOException | RuntimeException e) {
            giveBack(sftp, true);
            throw e;
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        with(sftp -> {
            OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (posix != null && posix.isSupported()) {
                // atomic replace (OpenSSH, MINA); an extension encodes its names in UTF-8 itself, not with the client's charset
                posix.posixRename(readable(from), readable(to));
            } else {
                try {
                    sftp.remove(resolve(to)); // plain SFTP v3 rename refuses to replace
                } catch (SftpException e) {
                    if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                        throw e;
                    }
                }
                sftp.rename(resolve(from), resolve(to));
            }
            return null;
        });
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        String full = resolve(dir);
        with(sftp -> {
            try {
                if (sftp.stat(full).isDirectory()) {
                    return null; // there already: one round trip, not one per level
                }
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            String path = full.startsWith("/") ? "" : null;
            for (String part : full.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                path = path == null ? part : path + "/" + part;
                try {
                    if (sftp.stat(path).isDirectory()) {
                        continue;
                    }
                } catch (SftpException e) {
                    if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                        throw e;
                    }
                }
                try {
                    sftp.mkdir(path);
                } catch (SftpException e) {
                    if (!sftp.stat(path).isDirectory()) { // another worker may have made it meanwhile
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    // ---- pipelined: many files on one session, one round trip per step for all of them (see SftpPipeline)

    @Override
    public List<Optional<FileAttributes>> statAll(List<String> paths) throws IOException {
        return with(sftp -> {
            List<SftpPipeline.Reply> replies = new SftpPipeline(sftp).all(SftpConstants.SSH_FXP_LSTAT,
                    paths.stream().map(p -> SftpPipeline.path(resolve(p))).toList());
            List<Optional<FileAttributes>> result = new java.util.ArrayList<>(paths.size());
            for (SftpPipeline.Reply reply : replies) {
                try {
                    result.add(Optional.of(SftpPipeline.attributesOf(reply)));
                } catch (SftpException e) {
                    if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                        throw e;
                    }
                    result.add(Optional.empty());
                }
            }
            return result;
        });
    }

    @Override
    public List<SmallRead> readSmall(List<FileEntry> files) throws IOException {
        return with(sftp -> {
            SftpPipeline pipe = new SftpPipeline(sftp);
            int n = files.size();
            IOException[] errors = new IOException[n];
            byte[][] handles = openAll(pipe, files.stream().map(f -> SftpPipeline.openForRead(resolve(f.path()))).toList(), errors,
                    (i, e) -> e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(readable(files.get(i).path()), e) : e);
            List<List<byte[]>> chunks = readChunks(pipe, handles, files.stream().mapToLong(FileEntry::size).toArray(), errors);
            List<FileAttributes> after = fstat(pipe, handles, errors);
            closeAll(pipe, handles);
            List<SmallRead> result = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (errors[i] != null) {
                    result.add(new SmallRead(null, null, errors[i]));
                    continue;
                }
                java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream((int) files.get(i).size());
                boolean whole = SftpPipeline.assemble(chunks.get(i), files.get(i).size(), null, data);
                result.add(new SmallRead(whole ? data.toByteArray() : null, after.get(i), null));
            }
            return result;
        });
    }

    /** How a refused OPEN of the i-th file reads (e.g. a missing source file as {@link NoSuchFileException}). */
    private interface OpenRefusal {
        IOException explain(int i, SftpException e);
    }

    /** One pipelined OPEN per request: each file's handle, or its error in {@code errors} (its handle null). */
    private static byte[][] openAll(SftpPipeline pipe, List<Buffer> opens, IOException[] errors, OpenRefusal refusal)
            throws IOException {
        byte[][] handles = new byte[opens.size()][];
        List<SftpPipeline.Reply> opened = pipe.all(SftpConstants.SSH_FXP_OPEN, opens);
        for (int i = 0; i < handles.length; i++) {
            try {
                handles[i] = SftpPipeline.handleOf(opened.get(i));
            } catch (SftpException e) {
                errors[i] = refusal.explain(i, e);
            }
        }
        return handles;
    }

    /**
     * Writes small files, each into its part name (created owner-only), reads each back through its handle (when
     * {@code readBack}), sets its mtime and mode on the handle and reads them back, then closes it: six pipelined steps
     * for the whole list. Renaming is the caller's, once it has compared what was read back ({@link #renameAll}).
     */
    List<Written> writeSmall(List<SmallWrite> files, boolean readBack) throws IOException {
        return with(sftp -> {
            SftpPipeline pipe = new SftpPipeline(sftp);
            int n = files.size();
            IOException[] errors = new IOException[n];
            byte[][] handles = openAll(pipe, files.stream().map(f -> SftpPipeline.openForWrite(resolve(f.part()))).toList(), errors,
                    (i, e) -> e);
            // the data, in chunks: every request sent, then every reply read
            List<int[]> writes = new java.util.ArrayList<>(); // file, request id
            for (int i = 0; i < n; i++) {
                byte[] data = files.get(i).data();
                for (int off = 0; handles[i] != null && off < data.length; off += SftpPipeline.CHUNK) {
                    int len = Math.min(SftpPipeline.CHUNK, data.length - off);
                    writes.add(new int[] {i, pipe.send(SftpConstants.SSH_FXP_WRITE, SftpPipeline.write(handles[i], off, data, off, len))});
                }
            }
            for (int[] w : writes) {
                SftpPipeline.Reply reply = pipe.receive(w[1]);
                try {
                    SftpPipeline.statusOf(reply);
                } catch (SftpException e) {
                    if (errors[w[0]] == null) {
                        errors[w[0]] = e;
                    }
                }
            }
            String[] sums = new String[n];
            if (readBack) {
                List<List<byte[]>> chunks = readChunks(pipe, handles, files.stream().mapToLong(f -> f.data().length).toArray(), errors);
                for (int i = 0; i < n; i++) {
                    if (errors[i] == null) {
                        MessageDigest digest = id.go.pdn.hub.core.Hashes.sha256();
                        sums[i] = SftpPipeline.assemble(chunks.get(i), files.get(i).data().length, digest, null)
                                ? java.util.HexFormat.of().formatHex(digest.digest()) : "a different length";
                    }
                }
            }
            List<Buffer> setstats = new java.util.ArrayList<>();
            List<Integer> set = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (errors[i] == null) {
                    SmallWrite f = files.get(i);
                    setstats.add(SftpPipeline.setTimes(handles[i], Math.floorDiv(f.mtimeMillis(), 1000), f.permissions()));
                    set.add(i);
                }
            }
            List<SftpPipeline.Reply> replies = pipe.all(SftpConstants.SSH_FXP_FSETSTAT, setstats);
            for (int k = 0; k < set.size(); k++) {
                try {
                    SftpPipeline.statusOf(replies.get(k));
                } catch (SftpException e) {
                    errors[set.get(k)] = e;
                }
            }
            List<FileAttributes> after = fstat(pipe, handles, errors);
            List<SftpPipeline.Reply> closed = closeAll(pipe, handles);
            List<Written> result = new java.util.ArrayList<>(n);
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (handles[i] != null) {
                    try {
                        SftpPipeline.statusOf(closed.get(c++)); // a server may report a failed write only here
                    } catch (SftpException e) {
                        errors[i] = errors[i] == null ? e : errors[i];
                    }
                }
                result.add(errors[i] != null ? new Written(null, null, errors[i]) : new Written(sums[i], after.get(i), null));
            }
            return result;
        });
    }

    /** Renames each part over its final name (posix-rename, pipelined); element i: null or the error for pair i. */
    List<IOException> renameAll(List<String[]> pairs) throws IOException {
        boolean posix = with(sftp -> {
            OpenSSHPosixRenameExtension ext = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            return ext != null && ext.isSupported();
        });
        List<IOException> result = new java.util.ArrayList<>(pairs.size());
        if (!posix) { // plain SFTP v3 rename refuses to replace: one at a time, as rename() does it
            for (String[] pair : pairs) {
                try {
                    rename(pair[0], pair[1]);
                    result.add(null);
                } catch (SftpException | NoSuchFileException e) {
                    result.add(e);
                }
            }
            return result;
        }
        return with(sftp -> {
            List<SftpPipeline.Reply> replies = new SftpPipeline(sftp).all(SftpConstants.SSH_FXP_EXTENDED,
                    pairs.stream().map(p -> SftpPipeline.posixRename(readable(p[0]), readable(p[1]))).toList());
            for (SftpPipeline.Reply reply : replies) {
                try {
                    SftpPipeline.statusOf(reply);
                    result.add(null);
                } catch (SftpException e) {
                    result.add(e);
                }
            }
            return result;
        });
    }

    /** One small file to write: its part name, its bytes, the mtime and mode to give it (mode -1: leave it). */
    record SmallWrite(String part, byte[] data, long mtimeMillis, int permissions) {
    }

    /**
     * What writing one small file gave: the SHA-256 of what was read back (null when not read back; "a different
     * length" when it was not the bytes' length), the attributes read back after they were set; or the error.
     */
    record Written(String targetSha256, FileAttributes after, IOException error) {
    }

    /** READs covering each open file's size + 1 bytes (see {@link SftpPipeline#assemble}); an error goes to errors[i]. */
    private static List<List<byte[]>> readChunks(SftpPipeline pipe, byte[][] handles, long[] sizes, IOException[] errors)
            throws IOException {
        List<int[]> reads = new java.util.ArrayList<>(); // file, request id
        for (int i = 0; i < handles.length; i++) {
            for (int k = 0; handles[i] != null && errors[i] == null && k < SftpPipeline.chunks(sizes[i]); k++) {
                reads.add(new int[] {i, pipe.send(SftpConstants.SSH_FXP_READ,
                        SftpPipeline.read(handles[i], (long) k * SftpPipeline.CHUNK, SftpPipeline.CHUNK))});
            }
        }
        List<List<byte[]>> chunks = new java.util.ArrayList<>(handles.length);
        for (int i = 0; i < handles.length; i++) {
            chunks.add(new java.util.ArrayList<>());
        }
        for (int[] r : reads) {
            SftpPipeline.Reply reply = pipe.receive(r[1]);
            try {
                chunks.get(r[0]).add(SftpPipeline.dataOf(reply));
            } catch (SftpException e) {
                errors[r[0]] = errors[r[0]] == null ? e : errors[r[0]];
            }
        }
        return chunks;
    }

    /** FSTAT of each open file without an error; element i null otherwise. */
    private static List<FileAttributes> fstat(SftpPipeline pipe, byte[][] handles, IOException[] errors) throws IOException {
        List<Integer> asked = new java.util.ArrayList<>();
        List<Buffer> requests = new java.util.ArrayList<>();
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] != null && errors[i] == null) {
                asked.add(i);
                requests.add(SftpPipeline.handle(handles[i]));
            }
        }
        List<SftpPipeline.Reply> replies = pipe.all(SftpConstants.SSH_FXP_FSTAT, requests);
        List<FileAttributes> after = new java.util.ArrayList<>(java.util.Collections.nCopies(handles.length, (FileAttributes) null));
        for (int k = 0; k < asked.size(); k++) {
            try {
                after.set(asked.get(k), SftpPipeline.attributesOf(replies.get(k)));
            } catch (SftpException e) {
                errors[asked.get(k)] = e;
            }
        }
        return after;
    }

    /** CLOSE of every open handle; the replies in the order of the handles that are not null. */
    private static List<SftpPipeline.Reply> closeAll(SftpPipeline pipe, byte[][] handles) throws IOException {
        return pipe.all(SftpConstants.SSH_FXP_CLOSE, java.util.Arrays.stream(handles).filter(java.util.Objects::nonNull)
                .map(SftpPipeline::handle).toList());
    }

    /** SFTP v3 carries times as unsigned 32-bit seconds: 1970-01-01 to 2106-02-07. */
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    @Override
    public String cannotCarry(long mtimeMillis) {
        long seconds = Math.floorDiv(mtimeMillis, 1000);
        if (seconds >= 0 && seconds <= MAX_UINT32) {
            return null;
        }
        return "its mtime " + java.time.Instant.ofEpochMilli(mtimeMillis) + " is outside what SFTP (protocol 3: unsigned "
                + "32-bit seconds) can set on " + describe() + ", 1970-01-01 to 2106-02-07";
    }

    @Override
    public void setAttributes(String path, long mtimeMillis, int permissions) throws IOException {
        String refused = cannotCarry(mtimeMillis);
        if (refused != null) {
            throw new IOException("Cannot set the mtime of " + readable(path) + ": " + refused);
        }
        // the client checks a time against a signed 32-bit int; the same 4 bytes read unsigned carry 2038-2106
        long seconds = Math.floorDiv(mtimeMillis, 1000);
        long wire = seconds > Integer.MAX_VALUE ? seconds - (MAX_UINT32 + 1) : seconds;
        with(sftp -> {
            SftpClient.Attributes a = new SftpClient.Attributes()
                    .modifyTime(wire, TimeUnit.SECONDS).accessTime(wire, TimeUnit.SECONDS);
            if (permissions >= 0) {
                a.perms(permissions & 07777);
            }
            sftp.setStat(resolve(path), a);
            return null;
        });
    }

    @Override
    public void delete(String path) throws IOException {
        try {
            with(sftp -> {
                sftp.remove(resolve(path));
                return null;
            });
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    @Override
    public boolean removeEmptyFolder(String path) throws IOException {
        try {
            return with(sftp -> {
                try {
                    sftp.rmdir(resolve(path));
                    return true;
                } catch (SftpException e) {
                    if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                        throw e;
                    }
                    return false; // not empty (SFTP v3 says only "failure")
                }
            });
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void close() {
        SftpClient sftp;
        while ((sftp = idle.poll()) != null) {
            closeQuietly(sftp);
        }
        client.stop();
    }

    private final java.util.concurrent.atomic.AtomicReference<String> lastHostKeyProblem = new java.util.concurrent.atomic.AtomicReference<>();

    /** known_hosts checking that says what to do when the key is unknown or changed. */
    private final class KnownHosts extends KnownHostsServerKeyVerifier {

        KnownHosts(Path file) {
            super(RejectAllServerKeyVerifier.INSTANCE, file);
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
            String host = location.port() == 22 ? location.host() : "[" + location.host() + "]:" + location.port();
            problem(session, "the server's host key (" + KeyUtils.getKeyType(key) + " "
                    + KeyUtils.getFingerPrint(key) + ") is not in the known hosts file " + knownHosts + " (strict host key "
                    + "checking). If that is the right server (ask its administrator for the fingerprint), add its key: "
                    + "ssh-keyscan -p " + location.port() + " " + location.host() + " >> " + knownHosts
                    + " ; or name another file in parameter 'knownHostsFile' (entry for " + host + ")");
            return false;
        }

        @Override
        public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                               PublicKey expected, PublicKey actual) {
            problem(session, "the server's host key CHANGED: known_hosts " + knownHosts + " holds "
                    + KeyUtils.getFingerPrint(expected) + ", the server shows " + KeyUtils.getFingerPrint(actual)
                    + ". This may be an attack or a reinstalled server: check with its administrator, then replace the line "
                    + "for " + location.host() + " in " + knownHosts);
            return false;
        }

        private void problem(ClientSession session, String problem) {
            session.setAttribute(HOST_KEY_PROBLEM, problem);
            lastHostKeyProblem.set(problem);
        }
    }
}

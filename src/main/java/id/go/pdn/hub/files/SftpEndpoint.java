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
            walk(sftp, "", sftp.stat(resolve("")), visitor);
            broken = false;
        } catch (SftpException e) {
            broken = false;
            throw e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE ? noSuchFile(e) : e;
        } finally {
            giveBack(sftp, broken);
        }
    }

    /** Depth-first, one directory handle open at a time; children folders are listed after the folder's files. */
    private void walk(SftpClient sftp, String dir, SftpClient.Attributes dirAttributes, Visitor visitor) throws IOException {
        int children = 0;
        Deque<Object[]> subdirs = new ArrayDeque<>();
        List<SftpClient.DirEntry> entries = new java.util.ArrayList<>();
        try {
            try {
                sftp.readDir(resolve(dir)).forEach(entries::add);
            } catch (RuntimeException e) { // the listing's iterator wraps the server's error
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e;
            }
        } catch (IOException e) {
            if (dir.isEmpty() || !(e instanceof SftpException)) {
                throw e; // the root (the caller names it), or the connection
            }
            // the folder was listed a moment ago; a server that cannot stat an entry it lists (MINA's, for a name that is
            // not UTF-8) fails the whole folder: say which
            throw new IOException("cannot list the folder " + readable(dir) + " on " + describe() + ": " + e.getMessage()
                    + " (the server lists it but cannot read it, or something in it: e.g. a name that is not UTF-8)", e);
        }
        for (SftpClient.DirEntry entry : entries) {
            String listed = entry.getFilename();
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
                        entry.getAttributes().isDirectory()));
                continue;
            }
            String path = dir.isEmpty() ? name : dir + "/" + name;
            if (name.contains("/") || name.contains("\0") || name.isEmpty()) {
                // a server must list plain names; one that lists "../x" or "a/../../b" would write outside the target root
                visitor.skipped(path, FileAttributes.Type.OTHER, "the server listed a name with '/' (or NUL) in it, which could "
                        + "escape the target folder; refused");
                continue;
            }
            SftpClient.Attributes a = entry.getAttributes();
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
        for (Object[] sub : subdirs) {
            walk(sftp, (String) sub[0], (SftpClient.Attributes) sub[1], visitor);
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

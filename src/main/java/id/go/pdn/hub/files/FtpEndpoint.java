package id.go.pdn.hub.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import id.go.pdn.hub.core.EndpointErrors;
import id.go.pdn.hub.core.HubException;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.ftp.parser.DefaultFTPFileEntryParserFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder on an FTP or FTPS server as a migration source ({@code ftp://user@host:21/path}, {@code ftps://...}).
 * <p>
 * Built on camel-ftp's client stack, Apache Commons Net, whose {@link FTPClient} and {@link FTPSClient} the hub drives
 * directly (as {@link SftpEndpoint} drives MINA SSHD): Camel's ftp consumer polls and hands over whole files, while the
 * hub needs exact listings (MLSD, or LIST plus MDTM per file), a read that continues with REST after a cut, and TLS
 * data connections that resume the control connection's TLS session (servers such as vsftpd refuse others).
 * <p>
 * Names travel as bytes (control encoding ISO-8859-1, one char per byte; the hub's own names go out as UTF-8 bytes,
 * {@link SftpEndpoint#wire}), so a name that is not UTF-8 is seen as it is and refused by name. Connections are pooled
 * like SFTP sessions: one per concurrent read, plus the listing's. A source only: FTP cannot be a target.
 */
final class FtpEndpoint implements FilesEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FtpEndpoint.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(60);
    /** A pooled connection unused for longer is checked with NOOP first (servers close idle sessions). */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How many times one read may continue with REST after its connection was cut. */
    static final int MAX_RESUMES = 5;
    /**
     * The mode given to a file whose server does not tell it (MLSD without the UNIX.mode fact, a LIST without
     * permissions): what a umask of 022 gives a new file, instead of the owner-only mode a copy is written with.
     */
    static final int UNKNOWN_FILE_MODE = 0644;
    /** The mtime of a folder the server cannot date (no MLSD, no "." in its LIST, no MDTM on folders): left as made. */
    static final long UNKNOWN_MTIME = FileAttributes.UNKNOWN_MTIME;
    /** MLST facts the hub asks for (OPTS MLST), of those the server offers. */
    private static final List<String> FACTS = List.of("type", "size", "modify", "unix.mode");

    private final FilesOptions.Location location;
    private final String password;
    private final boolean passive;
    private final Tls tls;
    private final Deque<Conn> idle = new ConcurrentLinkedDeque<>();
    /** What the server said at the first login. */
    private volatile Server server;
    /** Whether MDTM dates folders on this server (vsftpd's does not); null until tried. */
    private volatile Boolean mdtmOnFolders;

    /**
     * @param tls null for ftp://
     */
    FtpEndpoint(FilesOptions.Location location, String password, boolean passive, Tls tls) {
        this.location = location;
        this.password = password;
        this.passive = passive;
        this.tls = tls;
    }

    @Override
    public String describe() {
        return location.describe();
    }

    /** What FEAT, SYST and PWD said; the root folder as the server names it. */
    private record Server(Set<String> features, String system, String root) {

        /** MLSD and MLST (RFC 3659: a server lists MLST in FEAT when it has both). */
        boolean mlsd() {
            return features.stream().anyMatch(f -> f.equals("MLST") || f.startsWith("MLST "));
        }

        boolean rest() {
            return features.contains("REST STREAM");
        }

        boolean mdtm() {
            return features.contains("MDTM");
        }

        boolean size() {
            return features.contains("SIZE");
        }

        boolean utf8() {
            return features.contains("UTF8");
        }

        boolean authTls() {
            return features.stream().anyMatch(f -> f.startsWith("AUTH ") && f.contains("TLS"));
        }

        /** The MLST facts the server offers that the hub wants, for OPTS MLST. */
        List<String> facts() {
            return features.stream().filter(f -> f.startsWith("MLST ")).findFirst()
                    .map(f -> Arrays.stream(f.substring(5).split(";")).map(x -> x.replace("*", "").strip().toLowerCase(Locale.ROOT))
                            .filter(FACTS::contains).toList())
                    .orElse(List.of());
        }
    }

    // ---- connections

    /** A connection to the server; {@code client} is a {@link PlainClient} or a {@link TlsClient}. */
    private static final class Conn {
        final FTPClient client;
        long idleSince = System.nanoTime();
        /** Taken from the pool: the server may have closed it since (an idle timeout, a restart). */
        boolean pooled;

        Conn(FTPClient client) {
            this.client = client;
        }

        Socket openData(String command, String arg) throws IOException {
            return ((DataChannel) client).openData(command, arg);
        }
    }

    /** The server answered a command with a refusal: the connection itself is fine. */
    static final class ReplyException extends IOException {
        final int code;

        ReplyException(String message, int code) {
            super(message);
            this.code = code;
        }
    }

    private Server server() throws IOException {
        if (server == null) {
            giveBack(borrow(), false); // the first login learns it
        }
        return server;
    }

    private Conn borrow() throws IOException {
        Conn c;
        while ((c = idle.poll()) != null) {
            if (!c.client.isConnected()) {
                closeQuietly(c);
                continue;
            }
            c.pooled = true;
            if (System.nanoTime() - c.idleSince > IDLE_CHECK_NANOS) {
                try {
                    if (c.client.sendNoOp()) {
                        return c;
                    }
                } catch (IOException e) {
                    // closed by the server meanwhile
                }
                closeQuietly(c);
                continue;
            }
            return c;
        }
        return connect();
    }

    private void giveBack(Conn c, boolean broken) {
        if (!broken && c.client.isConnected()) {
            c.idleSince = System.nanoTime();
            idle.push(c);
        } else {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Conn c) {
        try {
            if (c.client.isConnected()) {
                c.client.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }

    private Conn connect() throws IOException {
        FTPClient client = tls == null ? new PlainClient() : new TlsClient(tls.implicit, tls.newContext());
        client.setControlEncoding(StandardCharsets.ISO_8859_1.name());
        client.setConnectTimeout((int) TIMEOUT.toMillis());
        client.setDefaultTimeout((int) TIMEOUT.toMillis());
        client.setDataTimeout(DATA_TIMEOUT);
        client.setBufferSize(SftpEndpoint.IO_BUFFER);
        try {
            if (tls != null) {
                tls.rejection.remove();
            }
            try {
                client.connect(location.host(), location.port());
            } catch (IOException e) {
                HubException refused = tls == null ? null : tls.refused(describe(), location, e);
                if (refused != null) {
                    throw refused;
                }
                throw e;
            }
            client.setSoTimeout((int) DATA_TIMEOUT.toMillis());
            if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw new IOException("the server refused the connection: " + reply(client));
            }
            if (!client.login(location.user(), password)) {
                String reply = reply(client);
                if (tls == null && reply.toLowerCase(Locale.ROOT).matches(".*(encrypt|tls|ssl|secure).*")) {
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot log in to " + describe() + " as "
                            + location.user() + ": the server wants TLS (" + reply + "); write the source as ftps://"
                            + location.user() + "@" + location.host() + ":" + location.port() + location.path());
                }
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot log in to " + describe() + " as "
                        + location.user() + ": the server refused the password (" + reply + "); check parameters 'password' or "
                        + "'sourcePassword'");
            }
            if (client instanceof TlsClient secure) {
                secure.protectData(describe());
            }
            if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
                throw new IOException("the server refused binary mode (TYPE I): " + reply(client));
            }
            if (passive) {
                client.enterLocalPassiveMode();
            } else {
                client.enterLocalActiveMode();
            }
            Server s = server;
            if (s == null) {
                s = learn(client);
            }
            if (s.utf8()) {
                client.sendCommand("OPTS", "UTF8 ON"); // some servers send names in UTF-8 only when asked; the reply does not matter
            }
            if (s.mlsd() && !s.facts().isEmpty()) {
                client.sendCommand("OPTS", "MLST " + String.join(";", s.facts()) + ";");
            }
            return new Conn(client);
        } catch (HubException e) {
            disconnect(client);
            throw e;
        } catch (IOException | RuntimeException e) {
            disconnect(client);
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
    }

    private static void disconnect(FTPClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // nothing to close
        }
    }

    /** FEAT, SYST and the login folder, once: the same server answers every connection of the endpoint. */
    private synchronized Server learn(FTPClient client) throws IOException {
        if (server != null) {
            return server;
        }
        Set<String> features = new LinkedHashSet<>();
        if (client.features()) {
            String[] lines = client.getReplyStrings();
            for (int i = 1; i < lines.length - 1; i++) {
                features.add(lines[i].strip().toUpperCase(Locale.ROOT));
            }
        }
        String system;
        try {
            system = client.getSystemType();
        } catch (IOException e) {
            system = FTPClientConfig.SYST_UNIX; // SYST refused: most servers list like ls -l
        }
        String root = location.path();
        if (!root.startsWith("/")) { // ftp://u@h/~/data: under the login folder
            String home = client.printWorkingDirectory();
            if (home == null) {
                throw new IOException("the server does not tell the login folder (PWD: " + reply(client) + "); write the source"
                        + " path from the server's root, e.g. ftp://" + location.user() + "@" + location.host() + "/srv/data");
            }
            root = root.equals(".") ? home : (home.endsWith("/") ? home : home + "/") + root;
        }
        Server learnt = new Server(features, system, root);
        LOG.info("{}: {}; {}{}", describe(), learnt.mlsd() ? "listing with MLSD (exact sizes and mtimes)"
                        : "the server has no MLSD: listing with LIST" + (learnt.mdtm() ? " plus MDTM for each file" : " (no MDTM: mtimes to the minute)"),
                learnt.rest() ? "a cut transfer continues with REST" : "no REST STREAM: a cut transfer starts the file again",
                tls != null ? "; TLS " + ((javax.net.ssl.SSLSocket) ((TlsClient) client).controlSocket()).getSession().getProtocol()
                        + (tls.implicit ? " (implicit)" : " (AUTH TLS)") + ", data channel protected (PROT P)" : "");
        if (tls == null) {
            LOG.warn("{}: plain FTP sends the password and the files unencrypted{}", describe(), learnt.authTls()
                    ? "; the server offers TLS (AUTH TLS): write the source as ftps://" : "");
        }
        server = learnt;
        return learnt;
    }

    private static String reply(FTPClient client) {
        String reply = client.getReplyString();
        return reply == null ? "no reply" : reply.strip().replaceAll("\\s*\\r?\\n\\s*", " ");
    }

    private interface FtpCall<T> {
        T call(Conn conn) throws IOException;
    }

    /** Runs a command sequence on a pooled connection; one the server closed meanwhile is replaced once. */
    private <T> T with(FtpCall<T> call) throws IOException {
        Conn c = borrow();
        boolean broken = true;
        try {
            T result = call.call(c);
            broken = false;
            return result;
        } catch (ReplyException | NoSuchFileException e) {
            broken = false; // the server answered: the connection is fine
            throw e;
        } catch (IOException e) {
            if (!c.pooled) {
                throw e;
            }
            LOG.debug("{}: a pooled connection failed ({}); trying a new one", describe(), e.toString());
        } finally {
            giveBack(c, broken);
        }
        Conn fresh = connect();
        broken = true;
        try {
            T result = call.call(fresh);
            broken = false;
            return result;
        } catch (ReplyException | NoSuchFileException e) {
            broken = false;
            throw e;
        } finally {
            giveBack(fresh, broken);
        }
    }

    // ---- paths

    private String root() {
        Server s = server;
        return s == null ? location.path() : s.root();
    }

    /** The server path of a relative path, as sent: the root plus the path, in UTF-8 bytes (one Latin-1 char each). */
    String resolve(String path) {
        return SftpEndpoint.wire(readable(path));
    }

    /** The server path of a relative path, for messages. */
    String readable(String path) {
        String root = root();
        if (path.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + path : root + "/" + path;
    }

    // ---- listing

    /** One entry of a listing: its name as listed (bytes as Latin-1 chars), or {@code unreadable} for a line the hub cannot parse. */
    private record Entry(String name, FileAttributes attributes, String unreadable) {
    }

    /** A folder's entries; {@code self} is the folder's own entry when the listing has one ("." of LIST -a, MLSD's cdir). */
    private record Listing(List<Entry> entries, FileAttributes self) {
    }

    @Override
    public void walk(Visitor visitor) throws IOException {
        with(c -> {
            Listing root = list(c, "");
            FileAttributes rootAttributes = root.self() != null ? root.self()
                    : statOn(c, "").filter(a -> a.type() == FileAttributes.Type.DIRECTORY)
                            .orElse(new FileAttributes(FileAttributes.Type.DIRECTORY, 0, UNKNOWN_MTIME, -1));
            if (!server.mlsd()) {
                rootAttributes = new FileAttributes(rootAttributes.type(), rootAttributes.size(),
                        folderTime(c, "", rootAttributes.mtimeMillis()), rootAttributes.permissions());
            }
            walk(c, "", root, rootAttributes, visitor);
            return null;
        });
    }

    /** Depth-first; a folder's files are reported before its sub-folders are listed. */
    private void walk(Conn c, String dir, Listing listing, FileAttributes dirAttributes, Visitor visitor) throws IOException {
        int children = 0;
        List<Object[]> subdirs = new ArrayList<>();
        for (Entry entry : listing.entries()) {
            children++;
            if (entry.unreadable() != null) {
                String bad = (dir.isEmpty() ? "" : dir + "/") + SftpEndpoint.escaped(entry.unreadable());
                LOG.warn("{}: cannot read this line of the listing of {}: {}", describe(), readable(dir), SftpEndpoint.escaped(entry.unreadable()));
                visitor.skipped(bad, FileAttributes.Type.OTHER, "the server listed a line the hub cannot read ("
                        + SftpEndpoint.escaped(entry.unreadable()) + "); nothing was copied for it");
                continue;
            }
            String listed = entry.name();
            String name = SftpEndpoint.fromWire(listed);
            if (name == null) {
                String bad = (dir.isEmpty() ? "" : dir + "/") + SftpEndpoint.escaped(listed);
                visitor.skipped(bad, FileAttributes.Type.OTHER, LocalEndpoint.notUtf8Reason(bad,
                        entry.attributes().type() == FileAttributes.Type.DIRECTORY));
                continue;
            }
            String path = dir.isEmpty() ? name : dir + "/" + name;
            if (name.contains("/") || name.contains("\0") || name.isEmpty()) {
                visitor.skipped(path, FileAttributes.Type.OTHER, "the server listed a name with '/' (or NUL) in it, which could "
                        + "escape the target folder; refused");
                continue;
            }
            if (name.contains("\r") || name.contains("\n")) {
                visitor.skipped(path, FileAttributes.Type.OTHER, "a name with a line break cannot be asked for over FTP (a command"
                        + " ends at the line break); rename it at the source, or exclude it");
                continue;
            }
            FileAttributes a = entry.attributes();
            switch (a.type()) {
                case FILE -> {
                    if (a.mtimeMillis() == UNKNOWN_MTIME) { // LIST: the file's mtime comes from MDTM
                        try {
                            a = new FileAttributes(a.type(), a.size(), mdtm(c, path), a.permissions());
                        } catch (ReplyException e) {
                            visitor.skipped(path, FileAttributes.Type.OTHER, "the server listed it but does not give its mtime"
                                    + " (MDTM: " + e.getMessage() + "): it cannot be read, or it vanished meanwhile");
                            continue;
                        }
                    }
                    visitor.file(path, a);
                }
                case DIRECTORY -> {
                    if (visitor.enterDirectory(path)) {
                        subdirs.add(new Object[] {path, a});
                    }
                }
                default -> visitor.skipped(path, a.type(), a.type().skipReason());
            }
        }
        for (Object[] sub : subdirs) {
            String path = (String) sub[0];
            FileAttributes a = (FileAttributes) sub[1];
            Listing inner = list(c, path);
            if (!server.mlsd()) {
                a = new FileAttributes(a.type(), a.size(), folderTime(c, path, a.mtimeMillis()), a.permissions());
            }
            walk(c, path, inner, a, visitor);
        }
        visitor.directoryDone(dir, dirAttributes, children);
    }

    /** The folder's entries, with MLSD if the server has it, else with LIST -a (dot files too). */
    private Listing list(Conn c, String dir) throws IOException {
        Server s = server;
        if (!c.client.changeWorkingDirectory(resolve(dir))) {
            if (dir.isEmpty()) {
                throw new NoSuchFileException(describe(), null, "cannot open the folder: " + reply(c.client));
            }
            // the folder was listed a moment ago: it cannot be read, or it vanished; a listing that leaves it out would
            // make its files look deleted at the source
            throw new IOException("cannot list the folder " + readable(dir) + " on " + describe() + ": " + reply(c.client));
        }
        List<Entry> entries = new ArrayList<>();
        FileAttributes self = null;
        if (s.mlsd()) {
            for (String line : lines(c, "MLSD", null, dir)) {
                Fact fact = Fact.parse(line);
                if (fact == null) {
                    entries.add(new Entry(null, null, line));
                } else if (fact.type().equals("cdir")) {
                    self = fact.attributes();
                } else if (!fact.type().equals("pdir")) {
                    entries.add(new Entry(fact.name(), fact.attributes(), null));
                }
            }
            return new Listing(entries, self);
        }
        FTPFileEntryParser parser = parser(s);
        List<String> lines = new ArrayList<>(lines(c, "LIST", "-a", dir));
        parser.preParse(lines); // e.g. drops "total 12"
        for (String line : lines) {
            FTPFile file = parser.parseFTPEntry(line);
            if (file == null || file.getName() == null) {
                entries.add(new Entry(null, null, line));
                continue;
            }
            FileAttributes a = listed(file, line);
            if (file.getName().equals(".")) {
                self = a;
            } else if (!file.getName().equals("..")) {
                entries.add(new Entry(file.getName(), a, null));
            }
        }
        return new Listing(entries, self);
    }

    private FTPFileEntryParser parser(Server s) {
        FTPClientConfig config = new FTPClientConfig(s.system());
        config.setServerTimeZoneId("UTC"); // LIST's times of folders; files are dated by MDTM, which is UTC
        return new DefaultFTPFileEntryParserFactory().createFileEntryParser(config);
    }

    private static final Pattern MODE = Pattern.compile("[-dlpscbD][r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-].*", Pattern.DOTALL);

    /**
     * What a LIST line tells: the type and mode from its first ten characters (an ls -l line), the size; a file's mtime
     * is left {@link #UNKNOWN_MTIME} for MDTM unless the server has none, then LIST's time (to the minute).
     */
    private FileAttributes listed(FTPFile file, String line) {
        FileAttributes.Type type;
        int mode = -1;
        if (MODE.matcher(line).matches()) {
            type = switch (line.charAt(0)) {
                case '-' -> FileAttributes.Type.FILE;
                case 'd' -> FileAttributes.Type.DIRECTORY;
                case 'l' -> FileAttributes.Type.SYMLINK;
                case 'p' -> FileAttributes.Type.FIFO;
                case 's' -> FileAttributes.Type.SOCKET;
                case 'c' -> FileAttributes.Type.CHAR_DEVICE;
                case 'b' -> FileAttributes.Type.BLOCK_DEVICE;
                default -> FileAttributes.Type.OTHER;
            };
            mode = mode(line.substring(1, 10));
        } else {
            type = switch (file.getType()) {
                case FTPFile.FILE_TYPE -> FileAttributes.Type.FILE;
                case FTPFile.DIRECTORY_TYPE -> FileAttributes.Type.DIRECTORY;
                case FTPFile.SYMBOLIC_LINK_TYPE -> FileAttributes.Type.SYMLINK;
                default -> FileAttributes.Type.OTHER;
            };
        }
        long listedTime = file.getTimestamp() == null ? UNKNOWN_MTIME : file.getTimestamp().getTimeInMillis();
        if (type == FileAttributes.Type.FILE) {
            return new FileAttributes(type, file.getSize(), server.mdtm() ? UNKNOWN_MTIME : listedTime,
                    mode < 0 ? UNKNOWN_FILE_MODE : mode);
        }
        return new FileAttributes(type, Math.max(0, file.getSize()), listedTime, mode);
    }

    /** rwxr-sr-t as mode bits, setuid, setgid and sticky included. */
    static int mode(String rwx) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char ch = rwx.charAt(i);
            int bit = 0400 >> i;
            if (ch == 'r' || ch == 'w' || ch == 'x' || ch == 's' || ch == 't') {
                mode |= bit;
            }
            if (ch == 's' || ch == 'S') {
                mode |= i == 2 ? 04000 : 02000;
            }
            if (ch == 't' || ch == 'T') {
                mode |= 01000;
            }
        }
        return mode;
    }

    /** A data transfer's lines (a listing: one folder at a time in memory, as SFTP's readdir). */
    private List<String> lines(Conn c, String command, String arg, String dir) throws IOException {
        Socket socket = c.openData(command, arg);
        if (socket == null) {
            throw new ReplyException("cannot list the folder " + readable(dir) + " on " + describe() + " (" + command + "): "
                    + reply(c.client), c.client.getReplyCode());
        }
        byte[] data;
        try (socket; InputStream in = socket.getInputStream()) {
            data = in.readAllBytes();
        }
        if (!c.client.completePendingCommand()) {
            throw new IOException("the listing of " + readable(dir) + " on " + describe() + " (" + command + ") ended with: "
                    + reply(c.client));
        }
        String text = new String(data, StandardCharsets.ISO_8859_1);
        // lines end with CRLF; an LF alone may then be part of a name (refused by name), unless no line ends with CRLF
        String[] lines = text.split(text.contains("\r\n") || !text.contains("\n") ? "\r\n" : "\n");
        return Arrays.stream(lines).filter(l -> !l.isEmpty()).toList();
    }

    /** One line of MLSD, or the facts line of MLST: {@code type=file;size=3;modify=20240101120000; name}. */
    record Fact(String type, long size, long modify, int mode, String name) {

        static Fact parse(String line) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                return null;
            }
            String type = null;
            long size = 0;
            long modify = UNKNOWN_MTIME;
            int mode = -1;
            for (String fact : line.substring(0, space).split(";")) {
                int eq = fact.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = fact.substring(0, eq).toLowerCase(Locale.ROOT);
                String value = fact.substring(eq + 1);
                try {
                    switch (key) {
                        case "type" -> type = value.toLowerCase(Locale.ROOT);
                        case "size" -> size = Long.parseLong(value);
                        case "modify" -> modify = time(value);
                        case "unix.mode" -> mode = Integer.parseInt(value, 8) & 07777;
                        default -> {
                            // other facts (perm, unique, unix.owner ...) tell nothing the hub keeps
                        }
                    }
                } catch (IllegalArgumentException | java.time.DateTimeException e) {
                    return null;
                }
            }
            return type == null ? null : new Fact(type, size, modify, mode, line.substring(space + 1));
        }

        FileAttributes attributes() {
            FileAttributes.Type t = switch (type) {
                case "file" -> FileAttributes.Type.FILE;
                case "dir", "cdir", "pdir" -> FileAttributes.Type.DIRECTORY;
                default -> type.contains("slink") || type.contains("symlink") ? FileAttributes.Type.SYMLINK
                        : type.startsWith("os.unix=chr") ? FileAttributes.Type.CHAR_DEVICE
                        : type.startsWith("os.unix=blk") ? FileAttributes.Type.BLOCK_DEVICE
                        : type.contains("fifo") ? FileAttributes.Type.FIFO
                        : type.contains("sock") ? FileAttributes.Type.SOCKET : FileAttributes.Type.OTHER;
            };
            return new FileAttributes(t, size, modify, mode < 0 && t == FileAttributes.Type.FILE ? UNKNOWN_FILE_MODE : mode);
        }
    }

    private static final Pattern TIME = Pattern.compile("(\\d{14})(?:\\.(\\d{1,9}))?");

    /** An RFC 3659 time (MLSD's modify, MDTM's reply): YYYYMMDDHHMMSS[.sss] in UTC, to the millisecond. */
    static long time(String value) {
        Matcher m = TIME.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a time: " + value);
        }
        String d = m.group(1);
        long millis = LocalDateTime.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                Integer.parseInt(d.substring(6, 8)), Integer.parseInt(d.substring(8, 10)), Integer.parseInt(d.substring(10, 12)),
                Integer.parseInt(d.substring(12, 14))).toInstant(ZoneOffset.UTC).toEpochMilli();
        if (m.group(2) != null) {
            millis += Integer.parseInt((m.group(2) + "00").substring(0, 3));
        }
        return millis;
    }

    private long mdtm(Conn c, String path) throws IOException {
        int code = c.client.sendCommand("MDTM", resolve(path));
        if (code != 213) {
            throw new ReplyException(reply(c.client), code);
        }
        try {
            return time(c.client.getReplyString().substring(4));
        } catch (RuntimeException e) {
            throw new IOException("the server's MDTM reply is not a time: " + reply(c.client), e);
        }
    }

    /** A folder's mtime on a LIST server: MDTM where the server dates folders with it, else what LIST said. */
    private long folderTime(Conn c, String path, long listed) throws IOException {
        if (Boolean.FALSE.equals(mdtmOnFolders) || !server.mdtm()) {
            return listed;
        }
        try {
            long time = mdtm(c, path);
            mdtmOnFolders = true;
            return time;
        } catch (ReplyException e) {
            if (mdtmOnFolders == null) {
                mdtmOnFolders = false;
                LOG.info("{}: the server does not date folders with MDTM ({}): folder mtimes are those of LIST (to the minute)",
                        describe(), e.getMessage());
            }
            return listed;
        }
    }

    // ---- stat

    @Override
    public Optional<FileAttributes> stat(String path) throws IOException {
        server();
        return with(c -> statOn(c, path));
    }

    private Optional<FileAttributes> statOn(Conn c, String path) throws IOException {
        Server s = server;
        if (s.mlsd()) {
            int code = c.client.sendCommand("MLST", resolve(path));
            if (FTPReply.isNegativePermanent(code) && code != 500 && code != 502) {
                return Optional.empty(); // 550: no such file (or not visible to this user)
            }
            if (!FTPReply.isPositiveCompletion(code)) {
                throw new ReplyException("MLST " + readable(path) + ": " + reply(c.client), code);
            }
            for (String line : c.client.getReplyStrings()) {
                // RFC 3659: the facts on a line of their own, after one space; Apache FtpServer sends them without it
                String facts = line.matches("\\d{3}[- ].*") ? line.substring(4).replaceFirst("^ ", "")
                        : line.startsWith(" ") ? line.substring(1) : line;
                Fact fact = Fact.parse(facts);
                if (fact != null) {
                    return Optional.of(fact.attributes());
                }
            }
            throw new IOException("the server's MLST reply for " + readable(path) + " holds no facts: " + reply(c.client));
        }
        if (s.size() && s.mdtm()) {
            int code = c.client.sendCommand("SIZE", resolve(path));
            if (code == 213) {
                long size;
                try {
                    size = Long.parseLong(c.client.getReplyString().substring(4).strip());
                } catch (RuntimeException e) {
                    throw new IOException("the server's SIZE reply is not a number: " + reply(c.client), e);
                }
                try {
                    return Optional.of(new FileAttributes(FileAttributes.Type.FILE, size, mdtm(c, path), UNKNOWN_FILE_MODE));
                } catch (ReplyException e) {
                    return Optional.empty(); // gone between the two commands
                }
            }
            if (!c.client.changeWorkingDirectory(resolve(path))) {
                return Optional.empty();
            }
            return Optional.of(new FileAttributes(FileAttributes.Type.DIRECTORY, 0, UNKNOWN_MTIME, -1));
        }
        // neither MLST nor SIZE and MDTM: the parent's listing says
        if (path.isEmpty()) {
            return c.client.changeWorkingDirectory(resolve(path))
                    ? Optional.of(new FileAttributes(FileAttributes.Type.DIRECTORY, 0, UNKNOWN_MTIME, -1)) : Optional.empty();
        }
        String parent = FilesCapability.parentOf(path);
        String name = SftpEndpoint.wire(path.substring(path.lastIndexOf('/') + 1));
        try {
            for (Entry e : list(c, parent).entries()) {
                if (name.equals(e.name())) {
                    return Optional.of(e.attributes());
                }
            }
        } catch (NoSuchFileException | ReplyException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot list the folder")) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.empty();
    }

    // ---- read, with REST after a cut

    @Override
    public InputStream read(String path) throws IOException {
        Server s = server();
        Conn c = borrow();
        try {
            return new Download(path, c, retrieve(c, path, 0), s.rest());
        } catch (ReplyException | NoSuchFileException e) {
            giveBack(c, false);
            throw e;
        } catch (IOException | RuntimeException e) {
            giveBack(c, true);
            throw e;
        }
    }

    private InputStream retrieve(Conn c, String path, long offset) throws IOException {
        c.client.setRestartOffset(offset);
        InputStream in;
        try {
            in = c.client.retrieveFileStream(resolve(path));
        } finally {
            c.client.setRestartOffset(0);
        }
        if (in == null) {
            int code = c.client.getReplyCode();
            if (offset > 0 && code != 550 && code != 450) {
                throw new ReplyException("the server refused to continue " + readable(path) + " at byte " + offset + " (REST): "
                        + reply(c.client), code);
            }
            if (code == 550 || code == 450) {
                String refusal = reply(c.client);
                if (offset == 0 && statOn(c, path).isPresent()) { // listed, there, and still refused: not readable
                    throw new ReplyException("the server refuses to send " + readable(path) + " (" + refusal + "): the FTP"
                            + " user may not read it; give it read permission at the source, or exclude it", code);
                }
                throw new NoSuchFileException(readable(path), null, refusal);
            }
            throw new ReplyException("cannot read " + readable(path) + " from " + describe() + ": " + reply(c.client), code);
        }
        return in;
    }

    /**
     * A file as it streams from the server. A transfer cut mid-way (the data connection dropped, or the server ended it
     * with an error reply) continues on a new connection from the byte it stopped at (REST), where the server offers
     * REST STREAM; otherwise the read fails saying so, and the item's next attempt reads the file from its start.
     */
    private final class Download extends InputStream {
        private final String path;
        private final boolean rest;
        private Conn conn;
        private InputStream in;
        private long position;
        private int resumes;
        private boolean done;
        private boolean closed;

        Download(String path, Conn conn, InputStream in, boolean rest) {
            this.path = path;
            this.conn = conn;
            this.in = in;
            this.rest = rest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (done) {
                return -1;
            }
            while (true) {
                IOException cut;
                try {
                    int n = in.read(b, off, len);
                    if (n > 0 || n == 0 && len == 0) {
                        position += n;
                        return n;
                    }
                    if (n < 0) {
                        in.close();
                        in = null;
                        // the server's reply tells a whole file (226) from a transfer it broke off (426, 451, 551 ...)
                        if (conn.client.completePendingCommand()) {
                            done = true;
                            giveBack(conn, false);
                            conn = null;
                            return -1;
                        }
                        cut = new IOException("the server ended the transfer with: " + reply(conn.client));
                    } else {
                        continue;
                    }
                } catch (IOException e) {
                    cut = e;
                }
                resume(cut);
            }
        }

        private void resume(IOException cut) throws IOException {
            closeQuietly(conn);
            conn = null;
            in = null;
            String what = readable(path) + " from " + describe();
            if (!rest) {
                throw new IOException("the transfer of " + what + " was cut at byte " + position + " (" + cut.getMessage()
                        + ") and the server does not offer REST STREAM (FEAT), so it cannot continue there: the file is read"
                        + " again from its start at the next attempt", cut);
            }
            IOException last = cut;
            while (resumes < MAX_RESUMES) {
                resumes++;
                LOG.warn("{}: the transfer of {} was cut at byte {} ({}); continuing there with REST ({} of {})", describe(),
                        readable(path), position, last.getMessage(), resumes, MAX_RESUMES);
                try {
                    Thread.sleep(Math.min(4000, 250L << resumes));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while resuming " + what);
                }
                Conn fresh;
                try {
                    fresh = borrow();
                } catch (HubException e) {
                    if (e.code() == HubException.ErrorCode.CONFIGURATION) {
                        throw e; // a refused login or certificate: no retry helps
                    }
                    last = new IOException(e.getMessage(), e);
                    continue;
                }
                Optional<FileAttributes> now;
                try {
                    now = statOn(fresh, path);
                } catch (IOException e) {
                    closeQuietly(fresh);
                    last = e;
                    continue;
                }
                if (now.isEmpty() || now.get().size() < position) {
                    giveBack(fresh, false);
                    throw now.isEmpty() ? new NoSuchFileException(readable(path), null, "it vanished while it was read")
                            : new IOException("the transfer of " + what + " was cut at byte " + position + ", and the file has"
                            + " only " + now.get().size() + " bytes now: it changed while it was read", cut);
                }
                try {
                    in = retrieve(fresh, path, position);
                    conn = fresh;
                    return;
                } catch (ReplyException e) {
                    giveBack(fresh, false);
                    throw e; // REST refused, or the file cannot be opened any more
                } catch (IOException e) {
                    closeQuietly(fresh);
                    last = e;
                }
            }
            throw new IOException("the transfer of " + what + " was cut " + MAX_RESUMES + " times (last: " + last.getMessage()
                    + "); the next attempt starts the file again", last);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (conn == null) {
                return;
            }
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the connection goes anyway
                }
            }
            closeQuietly(conn); // closed before the end: the server's reply may take a while, a new connection does not
            conn = null;
        }
    }

    // ---- a source only

    private UnsupportedOperationException sourceOnly() {
        return new UnsupportedOperationException(describe() + " is an FTP server: FTP is supported as a source only");
    }

    @Override
    public OutputStream write(String path, long offset) {
        throw sourceOnly();
    }

    @Override
    public void rename(String from, String to) {
        throw sourceOnly();
    }

    @Override
    public void mkdirs(String dir) {
        throw sourceOnly();
    }

    @Override
    public void setAttributes(String path, long mtimeMillis, int permissions) {
        throw sourceOnly();
    }

    @Override
    public void delete(String path) {
        throw sourceOnly();
    }

    @Override
    public boolean removeEmptyFolder(String path) {
        throw sourceOnly();
    }

    @Override
    public void close() {
        Conn c;
        while ((c = idle.poll()) != null) {
            try {
                c.client.logout();
            } catch (IOException | RuntimeException ignored) {
                // going anyway
            }
            closeQuietly(c);
        }
    }

    // ---- the clients

    /** Opens a data connection for a command (LIST, MLSD) whose lines the hub reads itself. */
    private interface DataChannel {
        Socket openData(String command, String arg) throws IOException;
    }

    static final class PlainClient extends FTPClient implements DataChannel {
        @Override
        public Socket openData(String command, String arg) throws IOException {
            return _openDataConnection_(command, arg);
        }
    }

    /**
     * FTPS with the data connections made TLS by the hub: over the plain socket, as a TLS client, naming the control
     * connection's host and port, so that JSSE offers the control connection's session and the server can resume it
     * (vsftpd's require_ssl_reuse, the default, refuses a data connection that does not); the server's certificate is
     * checked on every connection (chain and host name).
     */
    static final class TlsClient extends FTPSClient implements DataChannel {
        private final SSLContext context;

        TlsClient(boolean implicit, SSLContext context) {
            super(implicit, context);
            this.context = context;
            setEndpointCheckingEnabled(true); // the control connection's host name against the certificate
        }

        Socket controlSocket() {
            return _socket_;
        }

        /** PBSZ 0, PROT P: the files travel encrypted; a server that refuses is not used. */
        void protectData(String endpoint) throws IOException {
            try {
                execPBSZ(0);
                execPROT("P");
            } catch (javax.net.ssl.SSLException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot use " + endpoint + ": the server refuses to"
                        + " protect the data channel (PBSZ/PROT P: " + e.getMessage().strip() + "); the hub does not move files in"
                        + " clear over ftps://. Enable TLS data connections on the server", e);
            }
            // execPROT("P") makes every data socket a TLS socket of its own; they are made TLS here instead
            setSocketFactory(null);
            setServerSocketFactory(null);
        }

        @Override
        public Socket openData(String command, String arg) throws IOException {
            return _openDataConnection_(command, arg);
        }

        @Override
        protected Socket _openDataConnection_(String command, String arg) throws IOException {
            Socket plain = super._openDataConnection_(command, arg);
            if (plain == null) {
                return null;
            }
            try {
                // JSSE looks a session up by the peer's host and port: the data socket is shown to it with the control
                // connection's port, so that it offers (and the server may resume) the control connection's session
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(new SessionKeySocket(plain, getRemotePort()),
                        _hostname_, getRemotePort(), true);
                socket.setUseClientMode(true);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(plain.getSoTimeout());
                socket.startHandshake();
                return socket;
            } catch (IOException e) {
                try {
                    plain.close();
                } catch (IOException ignored) {
                    // closing
                }
                String reply = replyAfterFailure();
                if (reply != null && reply.toLowerCase(Locale.ROOT).contains("reuse")) {
                    throw new HubException(HubException.ErrorCode.CONNECTION, "the server refused the TLS data connection because"
                            + " it did not resume the control connection's TLS session (" + reply + "). The hub offers that session on"
                            + " every data connection; if this persists, the JVM's TLS session cache may be off"
                            + " (javax.net.ssl.sessionCacheSize) or the server may need require_ssl_reuse=NO (vsftpd)", e);
                }
                throw reply == null ? e : new IOException("TLS on the data connection failed: " + e.getMessage() + " (server: " + reply + ")", e);
            }
        }

        /** The server's reply after a data connection it refused (e.g. vsftpd's 522), waiting a few seconds at most. */
        private String replyAfterFailure() {
            try {
                int timeout = getSoTimeout();
                setSoTimeout(5000);
                try {
                    getReply();
                    return getReplyString().strip();
                } finally {
                    setSoTimeout(timeout);
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * A connected socket that says it is connected to another port: JSSE keys its client session cache by the peer's
     * host and port, so a data connection layered over this one finds the control connection's TLS session. Everything
     * else goes to the real socket.
     */
    static final class SessionKeySocket extends Socket {
        private final Socket socket;
        private final int port;

        SessionKeySocket(Socket socket, int port) {
            this.socket = socket;
            this.port = port;
        }

        @Override public int getPort() { return port; }
        @Override public java.net.InetAddress getInetAddress() { return socket.getInetAddress(); }
        @Override public java.net.SocketAddress getRemoteSocketAddress() { return socket.getRemoteSocketAddress(); }
        @Override public java.net.InetAddress getLocalAddress() { return socket.getLocalAddress(); }
        @Override public int getLocalPort() { return socket.getLocalPort(); }
        @Override public java.net.SocketAddress getLocalSocketAddress() { return socket.getLocalSocketAddress(); }
        @Override public InputStream getInputStream() throws IOException { return socket.getInputStream(); }
        @Override public OutputStream getOutputStream() throws IOException { return socket.getOutputStream(); }
        @Override public boolean isConnected() { return socket.isConnected(); }
        @Override public boolean isBound() { return socket.isBound(); }
        @Override public boolean isClosed() { return socket.isClosed(); }
        @Override public boolean isInputShutdown() { return socket.isInputShutdown(); }
        @Override public boolean isOutputShutdown() { return socket.isOutputShutdown(); }
        @Override public void shutdownInput() throws IOException { socket.shutdownInput(); }
        @Override public void shutdownOutput() throws IOException { socket.shutdownOutput(); }
        @Override public synchronized void close() throws IOException { socket.close(); }
        @Override public synchronized void setSoTimeout(int timeout) throws java.net.SocketException { socket.setSoTimeout(timeout); }
        @Override public synchronized int getSoTimeout() throws java.net.SocketException { return socket.getSoTimeout(); }
        @Override public void setTcpNoDelay(boolean on) throws java.net.SocketException { socket.setTcpNoDelay(on); }
        @Override public boolean getTcpNoDelay() throws java.net.SocketException { return socket.getTcpNoDelay(); }
        @Override public void setKeepAlive(boolean on) throws java.net.SocketException { socket.setKeepAlive(on); }
        @Override public boolean getKeepAlive() throws java.net.SocketException { return socket.getKeepAlive(); }
        @Override public void setSoLinger(boolean on, int linger) throws java.net.SocketException { socket.setSoLinger(on, linger); }
        @Override public int getSoLinger() throws java.net.SocketException { return socket.getSoLinger(); }
        @Override public synchronized void setReceiveBufferSize(int size) throws java.net.SocketException { socket.setReceiveBufferSize(size); }
        @Override public synchronized int getReceiveBufferSize() throws java.net.SocketException { return socket.getReceiveBufferSize(); }
        @Override public synchronized void setSendBufferSize(int size) throws java.net.SocketException { socket.setSendBufferSize(size); }
        @Override public synchronized int getSendBufferSize() throws java.net.SocketException { return socket.getSendBufferSize(); }
        @Override public String toString() { return socket + " (TLS session of port " + port + ")"; }
    }

    // ---- TLS: trust and clear refusals

    /** The TLS settings of an ftps:// endpoint: the trust store's certificates, checked by JSSE with the host name. */
    static final class Tls {
        final boolean implicit;
        final Path trustStore;
        private final TrustManager trust;
        /** The certificate chain the last handshake on this thread refused, and why. */
        final ThreadLocal<Rejection> rejection = new ThreadLocal<>();

        /**
         * @param trustStore null for the JVM's trusted CAs
         * @param password   the trust store's password, or null
         */
        Tls(boolean implicit, Path trustStore, String password, String endpoint) {
            this.implicit = implicit;
            this.trustStore = trustStore;
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trustStore == null ? null : load(trustStore, password, endpoint));
                X509ExtendedTrustManager jdk = null;
                for (TrustManager m : factory.getTrustManagers()) {
                    if (m instanceof X509ExtendedTrustManager x) {
                        jdk = x;
                    }
                }
                if (jdk == null) {
                    throw new GeneralSecurityException("no X.509 trust manager");
                }
                trust = new Recording(jdk);
                newContext(); // fails now if TLS cannot be set up at all
            } catch (GeneralSecurityException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot set up TLS for " + endpoint + ": " + e.getMessage(), e);
            }
        }

        /**
         * A TLS context for one connection: its session cache then holds that connection's session only, which its data
         * connections offer (with several connections sharing a cache, a data connection may offer another connection's
         * session, and vsftpd refuses it: "522 session reuse required").
         */
        SSLContext newContext() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trust}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private static KeyStore load(Path file, String password, String endpoint) throws GeneralSecurityException {
            String what = "Cannot use the trust store " + file + " (parameter 'ftpTrustStore') for " + endpoint + ": ";
            if (!Files.isReadable(file)) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, what + "the file does not exist or is not readable");
            }
            try {
                byte[] head = new byte[64];
                int n;
                try (InputStream in = Files.newInputStream(file)) {
                    n = in.readNBytes(head, 0, head.length);
                }
                KeyStore store;
                if (new String(head, 0, n, StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                    store = KeyStore.getInstance(KeyStore.getDefaultType());
                    store.load(null, null);
                    Collection<? extends java.security.cert.Certificate> certificates;
                    try (InputStream in = Files.newInputStream(file)) {
                        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                    }
                    int i = 0;
                    for (java.security.cert.Certificate certificate : certificates) {
                        store.setCertificateEntry("pem-" + i++, certificate);
                    }
                } else {
                    // PKCS12 or JKS, told apart by their content
                    store = KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
                }
                boolean any = false;
                for (java.util.Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    any |= store.isCertificateEntry(aliases.nextElement());
                }
                if (!any) {
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, what + "it holds no trusted certificate"
                            + (password == null ? " (a PKCS12 store shows its certificates only with its password: set"
                            + " 'ftpTrustStorePassword')" : "; import the server's certificate or its CA's: keytool -importcert"));
                }
                return store;
            } catch (IOException e) {
                boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                        || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
                throw new HubException(HubException.ErrorCode.CONFIGURATION, what + (wrongPassword
                        ? "wrong password; check parameter 'ftpTrustStorePassword'"
                        : "not a PEM, PKCS12 or JKS file (" + e.getMessage() + ")"), e);
            } catch (java.security.KeyStoreException | CertificateException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, what + "not a PEM, PKCS12 or JKS file ("
                        + e.getMessage() + ")", e);
            }
        }

        /** The refusal of the server's certificate as a clear error, or null if the handshake failed for another reason. */
        HubException refused(String endpoint, FilesOptions.Location location, IOException error) {
            Rejection r = rejection.get();
            rejection.remove();
            if (r == null) {
                return null;
            }
            X509Certificate leaf = r.chain()[0];
            String shown = "subject " + leaf.getSubjectX500Principal().getName() + ", issuer " + leaf.getIssuerX500Principal().getName()
                    + ", valid until " + leaf.getNotAfter().toInstant() + ", SHA-256 fingerprint " + fingerprint(leaf);
            String showIt = "openssl s_client -connect " + location.host() + ":" + location.port()
                    + (implicit ? "" : " -starttls ftp") + " -showcerts </dev/null";
            EndpointErrors.Cause cause;
            boolean expired = false;
            for (Throwable t = r.error(); t != null; t = t.getCause()) {
                expired |= t instanceof CertificateExpiredException;
            }
            if (expired) {
                cause = new EndpointErrors.Cause("expired TLS certificate (" + shown + ")", "the server's administrator must renew"
                        + " it; the hub does not connect to a server whose certificate expired");
            } else if (r.name()) {
                cause = new EndpointErrors.Cause("the server's TLS certificate does not name " + location.host() + " (" + shown + "; "
                        + names(leaf) + "; " + r.error().getMessage() + ")", "write the source with a host name the certificate"
                        + " holds, or have the certificate reissued with " + location.host());
            } else if (trustStore != null) {
                cause = new EndpointErrors.Cause("untrusted TLS certificate (" + shown + "): no certificate in " + trustStore
                        + " (parameter 'ftpTrustStore') vouches for it", "if it is the right server (compare the fingerprint with"
                        + " its administrator's), add its certificate or its CA's to " + trustStore + "; " + showIt + " shows it");
            } else {
                cause = new EndpointErrors.Cause("untrusted TLS certificate (" + shown + "): no CA the JVM trusts vouches for it",
                        "if it is the right server (compare the fingerprint with its administrator's), set parameter"
                        + " 'ftpTrustStore' to a PEM file with its certificate or its CA's (or a PKCS12/JKS trust store with"
                        + " 'ftpTrustStorePassword'); " + showIt + " shows it");
            }
            return new CertificateRefused(endpoint, cause, error);
        }

        private static String names(X509Certificate leaf) {
            try {
                Collection<List<?>> names = leaf.getSubjectAlternativeNames();
                if (names == null || names.isEmpty()) {
                    return "no subject alternative names";
                }
                List<String> shown = new ArrayList<>();
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    shown.add((type == 2 ? "DNS:" : type == 7 ? "IP:" : type + ":") + n.get(1));
                }
                return "names " + String.join(", ", shown);
            } catch (CertificateException e) {
                return "names unreadable";
            }
        }

        static String fingerprint(X509Certificate certificate) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
            } catch (GeneralSecurityException e) {
                return "unknown";
            }
        }

        /** The JDK's checks, remembering what they refused: the chain first, then the host name. */
        private final class Recording extends X509ExtendedTrustManager {
            private final X509ExtendedTrustManager jdk;

            Recording(X509ExtendedTrustManager jdk) {
                this.jdk = jdk;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                chain(chain, authType);
                try {
                    jdk.checkServerTrusted(chain, authType, socket);
                } catch (CertificateException e) {
                    rejection.set(new Rejection(chain, e, true));
                    throw e;
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                chain(chain, authType);
                try {
                    jdk.checkServerTrusted(chain, authType, engine);
                } catch (CertificateException e) {
                    rejection.set(new Rejection(chain, e, true));
                    throw e;
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                chain(chain, authType);
            }

            private void chain(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    jdk.checkServerTrusted(chain, authType);
                } catch (CertificateException e) {
                    rejection.set(new Rejection(chain, e, false));
                    throw e;
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                jdk.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                jdk.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        }
    }

    /** A certificate chain a handshake refused: {@code name} when the chain was trusted but does not name the host. */
    record Rejection(X509Certificate[] chain, CertificateException error, boolean name) {
    }

    /** The server's certificate was refused: says which certificate, why, and what to set. */
    static final class CertificateRefused extends HubException implements EndpointErrors.Explained {
        private final transient EndpointErrors.Cause cause;

        CertificateRefused(String endpoint, EndpointErrors.Cause cause, Throwable error) {
            super(ErrorCode.CONFIGURATION, "Cannot connect to " + endpoint + ": " + cause, error);
            this.cause = cause;
        }

        @Override
        public EndpointErrors.Cause explained() {
            return cause;
        }
    }
}

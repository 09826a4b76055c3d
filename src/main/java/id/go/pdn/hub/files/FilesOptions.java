package id.go.pdn.hub.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import id.go.pdn.hub.core.Globs;
import id.go.pdn.hub.core.options.KindOptions;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a file migration ({@code migration:files}), checked with messages that name the parameter and the
 * fix. Secrets ({@code password}, key passphrase) are resolved only when a connection needs them and never appear in
 * {@link #toString()} or in messages.
 */
@UriParams
public class FilesOptions implements KindOptions {

    @UriParam(description = "Where files come from: file:/path, sftp://user@host:port/path, or an FTP server: ftp://user@host:21/path,"
            + " ftps://user@host:21/path. Example: sftp://simpeg@10.20.1.15:22/srv/simpeg/uploads")
    @Metadata(required = true)
    private String source;

    @UriParam(description = "Where files go: file:/path or sftp://user@host:port/path. Example: sftp://pdn-simpeg@storage.pdn.example.go.id:22/simpeg/uploads")
    @Metadata(required = true)
    private String target;

    @UriParam(description = "Globs on the relative path (*, ?, **, {a,b}); only matching files are copied. Default: all.")
    private String include = "";

    @UriParam(description = "Globs on the relative path to leave out; also prunes folders. Example: tmp,*.bak,cache")
    private String exclude = "";

    @UriParam(description = "Bytes per second for all transfers of the migration; none by default. Example: 52428800")
    private long bandwidthLimit;

    @UriParam(label = "advanced", defaultValue = "100", description = "Small files (up to a quarter of batchBytes) travel in"
            + " batches of up to this many: one work message, one ledger transaction to claim them and one to record them,"
            + " still one ledger row per file; a file that fails in a batch fails alone and is tried again alone. 1: no batches.")
    private int batchFiles = 100;

    @UriParam(label = "advanced", defaultValue = "4194304", description = "Bytes of one batch of small files at most (see"
            + " batchFiles); files above a quarter of it go alone.")
    private long batchBytes = 4L * 1024 * 1024;

    @UriParam(defaultValue = "full", enums = "full,size", description = "full: read the target back and compare SHA-256;"
            + " size: compare sizes only.")
    private String verify = "full";

    @UriParam(defaultValue = "attributes", enums = "attributes,checksum", description = "How each run tells a changed"
            + " source file: attributes = size, mtime and mode (plus ctime and inode on a local disk, which catch a rewrite"
            + " whose old mtime was restored; SFTP tells nothing better than size and mtime); checksum = also read and hash"
            + " every source file on every run (as rclone --checksum).")
    private String compare = "attributes";

    @UriParam(defaultValue = "report", enums = "report,mirror", description = "Files deleted (or renamed) at the source"
            + " after their copy: report = left on the target, GONE in the ledger and reported as a difference; mirror ="
            + " removed from the target (only the hub's own copies), REMOVED in the ledger.")
    private String deletions = "report";

    @UriParam(label = "security", defaultValue = "true", description = "Check SFTP host keys against knownHostsFile; an unknown"
            + " key fails with the ssh-keyscan line that adds it.")
    private boolean strictHostKeyChecking = true;

    @UriParam(label = "security", defaultValue = "~/.ssh/known_hosts", description = "known_hosts file of the SFTP servers.")
    private String knownHostsFile = "~/.ssh/known_hosts";

    @UriParam(label = "security", secret = true, description = "SFTP (or FTP) password of both sides: ${ENV_VAR} or file:/path.")
    private String password;

    @UriParam(label = "security", secret = true, description = "SFTP private key file of both sides: a path, ${ENV_VAR} or file:/path.")
    private String privateKeyFile;

    @UriParam(label = "security", secret = true, description = "Passphrase of the private key: ${ENV_VAR} or file:/path.")
    private String privateKeyPassphrase;

    @UriParam(label = "security", secret = true, description = "SFTP (or FTP) password of the source only (before password).")
    private String sourcePassword;

    @UriParam(label = "security", secret = true, description = "Private key file of the source only (before privateKeyFile).")
    private String sourcePrivateKeyFile;

    @UriParam(label = "security", secret = true, description = "SFTP password of the target only (before password).")
    private String targetPassword;

    @UriParam(label = "security", secret = true, description = "Private key file of the target only (before privateKeyFile).")
    private String targetPrivateKeyFile;

    @UriParam(label = "security", defaultValue = "explicit", enums = "explicit,implicit", description = "ftps:// only: explicit ="
            + " the connection starts plain and turns to TLS with AUTH TLS (port 21 by default); implicit = TLS from the first byte"
            + " (port 990 by default). Either way the data channel is protected too (PROT P) and the server's certificate is"
            + " checked (chain and host name).")
    private String ftpTls = "explicit";

    @UriParam(defaultValue = "true", description = "FTP/FTPS: passive data connections (the hub connects to the server's data"
            + " port: through most firewalls and NAT); false = active (the server connects back to the hub).")
    private boolean ftpPassive = true;

    @UriParam(label = "security", description = "ftps:// only: the certificates to trust, instead of the JVM's CAs: a PEM file"
            + " (the server's certificate or its CA), or a PKCS12 or JKS trust store (ftpTrustStorePassword)."
            + " Example: /etc/hub/ftps-ca.pem")
    private String ftpTrustStore;

    @UriParam(label = "security", secret = true, description = "Password of ftpTrustStore: ${ENV_VAR} or file:/path; none for a"
            + " PEM file.")
    private String ftpTrustStorePassword;

    private Location sourceLocation;
    private Location targetLocation;

    enum Verify {
        /** Read the target back and compare SHA-256 with the source's. */
        FULL,
        /** Compare sizes only (faster; the source's SHA-256 is still computed while streaming). */
        SIZE
    }

    enum Compare {
        /** Size, mtime and mode, plus ctime and inode where the source is a local disk: no byte read to compare. */
        ATTRIBUTES,
        /** Also the SHA-256 of every source file, read on every run. */
        CHECKSUM
    }

    enum Deletions {
        /** Left on the target, GONE in the ledger: a difference, reported. */
        REPORT,
        /** Removed from the target (the hub's copies only): REMOVED in the ledger. */
        MIRROR
    }

    /**
     * Where files come from or go to: {@code file:/path}, {@code sftp://user@host:port/path}, or (a source only)
     * {@code ftp://} / {@code ftps://user@host:port/path}. An ftps:// location without a port has port -1 until
     * {@link #validate} gives it the default of {@code ftpTls} (21 explicit, 990 implicit).
     */
    record Location(String scheme, String user, String host, int port, String path) {

        private static final Pattern REMOTE = Pattern.compile("(sftp|ftps?)://(?:([^@/]+)@)?(\\[[^\\]]+\\]|[^:/\\[]+)(?::(\\d+))?(/.*)?");

        boolean isSftp() {
            return "sftp".equals(scheme);
        }

        /** ftp:// or ftps://. */
        boolean isFtp() {
            return "ftp".equals(scheme) || "ftps".equals(scheme);
        }

        /** As written, without secrets (a password in the URI is refused by {@link #parse}). */
        String describe() {
            return "file".equals(scheme) ? "file:" + path : scheme + "://" + (user == null ? "" : user + "@") + host + ":" + port + path;
        }

        Location withPort(int newPort) {
            return new Location(scheme, user, host, newPort, path);
        }

        static Location parse(String parameter, String value) {
            if (value == null || value.isBlank()) {
                throw invalid("parameter '" + parameter + "' is missing; write file:/path/to/folder or "
                        + "sftp://user@host:22/path/to/folder" + (parameter.equals("source") ? " (or ftp://, ftps://user@host:21/path)" : ""));
            }
            String v = value.strip();
            if (v.startsWith("file:")) {
                String path = v.substring("file:".length()).replaceFirst("^//(?=/)", "");
                if (path.isEmpty()) {
                    throw invalid("parameter '" + parameter + "' names no folder; write e.g. file:/srv/uploads");
                }
                return new Location("file", null, null, -1, Path.of(path).toAbsolutePath().normalize().toString());
            }
            Matcher m = REMOTE.matcher(v);
            if (m.matches()) {
                String scheme = m.group(1);
                if (m.group(2) != null && m.group(2).contains(":")) {
                    throw invalid("parameter '" + parameter + "' holds a password in the URI; remove it and set "
                            + "parameter 'password' to ${ENV_VAR} or file:/path/to/secret");
                }
                if (m.group(2) == null) {
                    throw invalid("parameter '" + parameter + "' names no user; write " + scheme + "://user@" + m.group(3) + "/...");
                }
                String path = m.group(5) == null || m.group(5).equals("/") ? "/" : m.group(5);
                // sftp://u@h/~/data is relative to the login folder; sftp://u@h/srv/data is absolute (the same for ftp://)
                path = path.startsWith("/~/") ? path.substring(3) : path.equals("/~") ? "." : path;
                if (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                int port = m.group(4) != null ? Integer.parseInt(m.group(4))
                        : switch (scheme) {
                            case "sftp" -> 22;
                            case "ftp" -> 21;
                            default -> -1; // ftps: 21 or 990, after ftpTls
                        };
                return new Location(scheme, m.group(2), m.group(3).replaceAll("[\\[\\]]", ""), port, path);
            }
            throw invalid("parameter '" + parameter + "' is '" + v + "'; write file:/path/to/folder or "
                    + "sftp://user@host:22/path/to/folder" + (parameter.equals("source") ? " (or ftp://, ftps://user@host:21/path)" : ""));
        }
    }

    @Override
    public void validate() {
        sourceLocation = Location.parse("source", source);
        targetLocation = Location.parse("target", target);
        if (ftpTls == null || !List.of("explicit", "implicit").contains(ftpTls.strip().toLowerCase(Locale.ROOT))) {
            throw invalid("parameter 'ftpTls' is '" + ftpTls + "'; write explicit (AUTH TLS, port 21) or implicit (port 990)");
        }
        if (targetLocation.isFtp()) {
            throw invalid("parameter 'target' is an FTP server (" + target.strip() + "): FTP and FTPS are supported as a source"
                    + " only; migrate into sftp://user@host:22/path or file:/path");
        }
        if (sourceLocation.port() < 0) {
            sourceLocation = sourceLocation.withPort(ftpImplicit() ? 990 : 21);
        }
        if (ftpTrustStore != null && !ftpTrustStore.isBlank() && !"ftps".equals(sourceLocation.scheme())) {
            throw invalid("parameter 'ftpTrustStore' is set but the source is not an ftps:// server; remove it, or write the"
                    + " source as ftps://user@host:21/path");
        }
        if (sourceLocation.describe().equals(targetLocation.describe())) {
            throw invalid("parameters 'source' and 'target' are the same folder (" + sourceLocation.describe() + ")");
        }
        if (batchFiles < 1) {
            throw invalid("parameter 'batchFiles' is '" + batchFiles + "'; write a whole number of 1 or more (1: no batches)");
        }
        if (batchBytes < 1) {
            throw invalid("parameter 'batchBytes' is '" + batchBytes + "'; write a whole number of bytes above 0");
        }
        if (bandwidthLimit < 0) {
            throw invalid("parameter 'bandwidthLimit' is '" + bandwidthLimit + "'; write a whole number above 0");
        }
        for (String[] choice : new String[][] {{"verify", verify, "full,size"}, {"compare", compare, "attributes,checksum"},
                {"deletions", deletions, "report,mirror"}}) {
            if (choice[1] == null || !List.of(choice[2].split(",")).contains(choice[1].strip().toLowerCase(Locale.ROOT))) {
                throw invalid("parameter '" + choice[0] + "' is '" + choice[1] + "'; write one of " + choice[2].replace(",", ", "));
            }
        }
        for (String globs : List.of("include", "exclude")) {
            try {
                Globs.of(globs.equals("include") ? include : exclude);
            } catch (IllegalArgumentException e) { // PatternSyntaxException included
                throw invalid("parameter '" + globs + "' is not a list of globs: " + e.getMessage()
                        + "; write e.g. *.pdf,scans/**,{2023,2024}/*");
            }
        }
    }

    /** The parameters the plan depends on. */
    @Override
    public String planFingerprint() {
        return "source=" + source().describe() + "\ntarget=" + target().describe() + "\ninclude=" + include + "\nexclude=" + exclude;
    }

    Location source() {
        return sourceLocation;
    }

    Location target() {
        return targetLocation;
    }

    String include() {
        return include;
    }

    String exclude() {
        return exclude;
    }

    int batchFiles() {
        return batchFiles;
    }

    long batchBytes() {
        return batchBytes;
    }

    long bandwidthLimit() {
        return bandwidthLimit;
    }

    Verify verify() {
        return Verify.valueOf(verify.strip().toUpperCase(Locale.ROOT));
    }

    Compare compare() {
        return Compare.valueOf(compare.strip().toUpperCase(Locale.ROOT));
    }

    Deletions deletions() {
        return Deletions.valueOf(deletions.strip().toUpperCase(Locale.ROOT));
    }

    /** ftps:// with TLS from the first byte ({@code ftpTls: implicit}). */
    boolean ftpImplicit() {
        return "implicit".equals(ftpTls.strip().toLowerCase(Locale.ROOT));
    }

    boolean ftpPassive() {
        return ftpPassive;
    }

    /** The trust store of an ftps:// source, or null for the JVM's CAs. */
    Path ftpTrustStore() {
        return ftpTrustStore == null || ftpTrustStore.isBlank() ? null
                : Path.of(ftpTrustStore.strip().replaceFirst("^~(?=/)", Matcher.quoteReplacement(System.getProperty("user.home"))));
    }

    boolean strictHostKeyChecking() {
        return strictHostKeyChecking;
    }

    Path knownHostsFile() {
        return Path.of(knownHostsFile.strip().replaceFirst("^~(?=/)", Matcher.quoteReplacement(System.getProperty("user.home"))));
    }

    /**
     * A secret of one side ({@code sourcePassword} before {@code password}): {@code ${VAR}} placeholders are resolved
     * by {@code resolver} (Spring's environment), a {@code file:} value is the first line of that file.
     */
    String secret(String side, String name, UnaryOperator<String> resolver) {
        String sideKey = side + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String sideValue = switch (sideKey) {
            case "sourcePassword" -> sourcePassword;
            case "targetPassword" -> targetPassword;
            case "sourcePrivateKeyFile" -> sourcePrivateKeyFile;
            case "targetPrivateKeyFile" -> targetPrivateKeyFile;
            default -> null;
        };
        String key = sideValue != null ? sideKey : name;
        String value = sideValue != null ? sideValue : switch (name) {
            case "password" -> password;
            case "privateKeyFile" -> privateKeyFile;
            case "privateKeyPassphrase" -> privateKeyPassphrase;
            case "ftpTrustStorePassword" -> ftpTrustStorePassword;
            default -> throw new IllegalArgumentException(name);
        };
        if (value == null || value.isBlank()) {
            return null;
        }
        String resolved;
        try {
            resolved = resolver.apply(value.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("parameter '" + key + "' refers to a variable that is not set (" + e.getMessage()
                    + "); export it or use file:/path/to/secret");
        }
        if (resolved.startsWith("file:") && !name.equals("privateKeyFile")) {
            Path file = Path.of(resolved.substring("file:".length()));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw invalid("parameter '" + key + "' names the file " + file + " which cannot be read: " + e);
            }
        }
        return resolved.startsWith("file:") ? resolved.substring("file:".length()) : resolved;
    }

    static IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(what);
    }

    public void setSource(String source) { this.source = source; }
    public void setTarget(String target) { this.target = target; }
    public void setInclude(String include) { this.include = include; }
    public void setExclude(String exclude) { this.exclude = exclude; }
    public void setBandwidthLimit(long bandwidthLimit) { this.bandwidthLimit = bandwidthLimit; }
    public void setBatchFiles(int batchFiles) { this.batchFiles = batchFiles; }
    public void setBatchBytes(long batchBytes) { this.batchBytes = batchBytes; }
    public void setVerify(String verify) { this.verify = verify; }
    public void setCompare(String compare) { this.compare = compare; }
    public void setDeletions(String deletions) { this.deletions = deletions; }
    public void setStrictHostKeyChecking(boolean strictHostKeyChecking) { this.strictHostKeyChecking = strictHostKeyChecking; }
    public void setKnownHostsFile(String knownHostsFile) { this.knownHostsFile = knownHostsFile; }
    public void setPassword(String password) { this.password = password; }
    public void setPrivateKeyFile(String privateKeyFile) { this.privateKeyFile = privateKeyFile; }
    public void setPrivateKeyPassphrase(String privateKeyPassphrase) { this.privateKeyPassphrase = privateKeyPassphrase; }
    public void setSourcePassword(String sourcePassword) { this.sourcePassword = sourcePassword; }
    public void setSourcePrivateKeyFile(String sourcePrivateKeyFile) { this.sourcePrivateKeyFile = sourcePrivateKeyFile; }
    public void setTargetPassword(String targetPassword) { this.targetPassword = targetPassword; }
    public void setTargetPrivateKeyFile(String targetPrivateKeyFile) { this.targetPrivateKeyFile = targetPrivateKeyFile; }
    public void setFtpTls(String ftpTls) { this.ftpTls = ftpTls; }
    public void setFtpPassive(boolean ftpPassive) { this.ftpPassive = ftpPassive; }
    public void setFtpTrustStore(String ftpTrustStore) { this.ftpTrustStore = ftpTrustStore; }
    public void setFtpTrustStorePassword(String ftpTrustStorePassword) { this.ftpTrustStorePassword = ftpTrustStorePassword; }

    @Override
    public String toString() {
        return "FilesOptions[" + source + " -> " + target + ", include=" + include + ", exclude=" + exclude + ", verify=" + verify + ", compare=" + compare
                + ", deletions=" + deletions + "]";
    }
}

package id.go.pdn.hub.core;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words why an endpoint (a database, an SFTP or IMAP server, a folder) could not be used, and what fixes it:
 * "connection refused", "unknown host", "timeout", "access denied", "TLS failure", "unset environment variable",
 * "wrong key passphrase", "no write permission", ... It reads the error and its causes (drivers wrap the socket's error
 * several times), so "hub-src - Connection is not available, request timed out after 10001ms" caused by "Access denied
 * for user" reads "access denied".
 */
public final class EndpointErrors {

    /**
     * The cause in words and the fix.
     *
     * @param words e.g. "access denied"; for an error no rule knows, the error as one line
     * @param fix   what to change; empty if no rule knows
     */
    public record Cause(String words, String fix) {
        /** "access denied (Access denied for user 'hub'): check the user name and the password". */
        @Override
        public String toString() {
            return fix.isEmpty() ? words : words + "; " + fix;
        }
    }

    /**
     * An error that already says its cause in words and its fix, more precisely than a rule could (e.g. which
     * certificate an FTPS server showed and which parameter trusts it): {@link #explain} takes them as they are.
     */
    public interface Explained {
        Cause explained();
    }

    private static final Pattern UNSET = Pattern.compile("environment variable (\\S+) is not set");

    private record Rule(String words, String fix, Predicate<Throwable> matches) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("unset environment variable", "export it before starting the hub, or write file:/path/to/secret",
                    t -> UNSET.matcher(String.valueOf(t.getMessage())).find()),
            new Rule("wrong key passphrase", "check parameter 'privateKeyPassphrase' (the passphrase of the private key)",
                    t -> text(t).contains("passphrase") || t.getClass().getSimpleName().equals("FailedLoginException")),
            new Rule("no write permission", "give the hub's user write permission on it (chown/chmod on a folder), or choose another target",
                    t -> t instanceof AccessDeniedException || text(t).contains("permission denied")
                            || text(t).contains("read-only file system") || text(t).contains("operation not permitted")),
            new Rule("unknown host", "check the host name (DNS, /etc/hosts)",
                    t -> t instanceof UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException
                            || text(t).contains("unknownhostexception") || text(t).contains("unresolvedaddress")
                            || text(t).contains("name or service not known") || text(t).contains("unresolved address")),
            new Rule("connection refused", "check the port, and that the server runs and accepts connections from this host (firewall)",
                    t -> t instanceof ConnectException && !text(t).contains("timed out") || text(t).contains("connection refused")),
            new Rule("no route to host", "check the address, the network and the firewall",
                    t -> t instanceof NoRouteToHostException || text(t).contains("no route to host")),
            new Rule("TLS failure", "check the server's certificate (trust store), its name and the TLS settings",
                    t -> t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException
                            || text(t).contains("pkix") || text(t).contains("ssl") && text(t).contains("handshake")),
            new Rule("access denied", "check the user name and the password",
                    t -> sqlState(t).startsWith("28") || t.getClass().getSimpleName().equals("AuthenticationFailedException")
                            || text(t).contains("access denied") || text(t).contains("authentication failed")
                            || text(t).contains("authenticationfailed") || text(t).contains("no more authentication methods")
                            || text(t).contains("auth fail") || text(t).contains("invalid credentials")
                            || text(t).contains("login failed") || text(t).contains("refused the password")),
            new Rule("unknown database", "create it, or check the database name in the JDBC URL",
                    t -> sqlState(t).equals("3D000") || text(t).contains("unknown database")),
            new Rule("no such file or folder", "check the path, or create the folder",
                    t -> t instanceof NoSuchFileException || text(t).contains("no such file")),
            new Rule("timeout", "check the address and the port, and that a firewall does not drop the connection",
                    t -> t instanceof SocketTimeoutException || text(t).contains("timed out") || text(t).contains("timeout")));

    private EndpointErrors() {
    }

    /** The error's own explanation ({@link Explained}), else the first rule, in the order above, that matches the error or one of its causes. */
    public static Cause explain(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Explained explained) {
                return explained.explained();
            }
        }
        for (Rule rule : RULES) {
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (rule.matches().test(t)) {
                    String words = rule.words();
                    if (words.equals("unset environment variable")) {
                        Matcher m = UNSET.matcher(t.getMessage());
                        words = m.find() ? "unset environment variable " + m.group(1) : words;
                    }
                    return new Cause(words, rule.fix());
                }
            }
        }
        return new Cause(Errors.oneLine(error), "");
    }

    /** Whether the error is the target refusing to be written: a retry fails the same way until someone fixes it. */
    public static boolean noWritePermission(Throwable error) {
        return explain(error).words().equals("no write permission");
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
    }
}

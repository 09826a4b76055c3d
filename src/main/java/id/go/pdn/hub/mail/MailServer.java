package id.go.pdn.hub.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import id.go.pdn.hub.core.HubException;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One IMAP server of a mail migration, from a parameter such as {@code imaps://mail.dinas.go.id:993} (the default
 * security), {@code imap://mail:143?starttls=true} (STARTTLS required) or {@code imap://127.0.0.1:10143?plain=true}
 * (no TLS: only when asked, for tests and loopback). {@code sslTrust=host} trusts that host's certificate without the
 * JVM trust store (self-signed servers on the way out).
 */
public record MailServer(String parameter, String host, int port, Security security, String sslTrust) {

    public enum Security { SSL, STARTTLS, PLAIN }

    /** Larger than this, a message is streamed from the server in blocks and spooled to disk, not kept on the heap. */
    static final int BLOCK_SIZE = 1 << 20;

    static MailServer parse(String parameter, String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "' is not a URI (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("imap") && !scheme.equals("imaps") || uri.getHost() == null) {
            throw new IllegalArgumentException("parameter '" + parameter + "' must look like imaps://host:993 or "
                    + "imap://host:143?starttls=true, not '" + value + "'");
        }
        Map<String, String> query = query(parameter, uri.getQuery());
        boolean starttls = Boolean.parseBoolean(query.getOrDefault("starttls", "false"));
        boolean plain = Boolean.parseBoolean(query.getOrDefault("plain", "false"));
        Security security;
        if (scheme.equals("imaps")) {
            if (starttls || plain) {
                throw new IllegalArgumentException("parameter '" + parameter + "': imaps:// is TLS already; drop starttls/plain");
            }
            security = Security.SSL;
        } else if (starttls) {
            security = Security.STARTTLS;
        } else if (plain) {
            security = Security.PLAIN;
        } else {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + value + " would send the passwords in "
                    + "clear; write imaps://" + uri.getHost() + ":993, imap://" + uri.getHost() + ":143?starttls=true, or add "
                    + "?plain=true if clear text is really meant (loopback, tests)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : security == Security.SSL ? 993 : 143;
        return new MailServer(parameter, uri.getHost(), port, security, query.get("sslTrust"));
    }

    private static Map<String, String> query(String parameter, String query) {
        Map<String, String> options = new TreeMap<>();
        if (query == null || query.isBlank()) {
            return options;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            String key = kv[0].strip();
            if (!key.equals("starttls") && !key.equals("plain") && !key.equals("sslTrust")) {
                throw new IllegalArgumentException("parameter '" + parameter + "': unknown option '" + key
                        + "'; known: starttls, plain, sslTrust");
            }
            options.put(key, kv.length > 1 ? kv[1].strip() : "true");
        }
        return options;
    }

    String protocol() {
        return security == Security.SSL ? "imaps" : "imap";
    }

    /** "imaps://mail.dinas.go.id:993": how messages name the server (never with a password). */
    @Override
    public String toString() {
        return protocol() + "://" + host + ":" + port + (security == Security.STARTTLS ? " (STARTTLS)" : "");
    }

    /** A Jakarta Mail session for this server: never sets \Seen, streams big messages in blocks, fails rather than hangs. */
    Session session() {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.put("mail.store.protocol", protocol());
        props.put(p + "host", host);
        props.put(p + "port", Integer.toString(port));
        props.put(p + "peek", "true");  // BODY.PEEK[]: reading the source must not mark it read
        props.put(p + "partialfetch", "true");
        props.put(p + "fetchsize", Integer.toString(BLOCK_SIZE));
        props.put(p + "appendbuffersize", Integer.toString(BLOCK_SIZE));
        props.put(p + "connectiontimeout", "30000");
        props.put(p + "timeout", "300000");
        props.put(p + "connectionpoolsize", "1");
        if (security == Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (security != Security.PLAIN) {
            props.put(p + "ssl.checkserveridentity", "true");
            if (sslTrust != null) {
                props.put(p + "ssl.trust", sslTrust);
            }
        }
        return Session.getInstance(props);
    }

    /** Logs in; a refused login is a configuration error (not retried), a network error a connection error (retried). */
    IMAPStore connect(String user, String password) {
        try {
            IMAPStore store = (IMAPStore) session().getStore(protocol());
            store.connect(host, port, user, password);
            return store;
        } catch (AuthenticationFailedException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot log in to " + this + " as " + user + ": "
                    + e.getMessage() + "; check the accounts file and the password it points to", e);
        } catch (MessagingException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot connect to " + this + " as " + user + ": "
                    + id.go.pdn.hub.core.Errors.oneLine(e), e);
        }
    }
}

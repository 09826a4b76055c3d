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
public record MailServer(String parameter, String host, int port, Security security, String sslTrust, boolean pop3) {

    public enum Security { SSL, STARTTLS, PLAIN }

    /** Larger than this, a message is streamed from the server in blocks and spooled to disk, not kept on the heap. */
    static final int BLOCK_SIZE = 1 << 20;

    static MailServer parse(String parameter, String value) {
        return parse(parameter, value, false);
    }

    /**
     * Like {@link #parse(String, String)}; with {@code pop3Allowed} (a migration's source) also {@code pop3s://host:995}
     * or {@code pop3://host:110?starttls=true} (INBOX only, see {@link Pop3Source}).
     */
    static MailServer parse(String parameter, String value, boolean pop3Allowed) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "' is not a URI (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean pop3 = scheme.equals("pop3") || scheme.equals("pop3s");
        if (pop3 && !pop3Allowed && uri.getHost() != null) {
            throw new IllegalArgumentException("parameter '" + parameter + "' is a POP3 server (" + value + "); only the source "
                    + "may be POP3: the target must be IMAP (imaps://host:993, or imap://host:143?starttls=true)");
        }
        if (!scheme.equals("imap") && !scheme.equals("imaps") && !pop3 || uri.getHost() == null) {
            throw new IllegalArgumentException("parameter '" + parameter + "' must look like imaps://host:993 or "
                    + "imap://host:143?starttls=true" + (pop3Allowed ? " (or pop3s://host:995, pop3://host:110?starttls=true)" : "")
                    + ", not '" + value + "'");
        }
        boolean tls = scheme.equals("imaps") || scheme.equals("pop3s");
        Map<String, String> query = query(parameter, uri.getQuery());
        boolean starttls = Boolean.parseBoolean(query.getOrDefault("starttls", "false"));
        boolean plain = Boolean.parseBoolean(query.getOrDefault("plain", "false"));
        Security security;
        if (tls) {
            if (starttls || plain) {
                throw new IllegalArgumentException("parameter '" + parameter + "': " + scheme + ":// is TLS already; drop starttls/plain");
            }
            security = Security.SSL;
        } else if (starttls) {
            security = Security.STARTTLS;
        } else if (plain) {
            security = Security.PLAIN;
        } else {
            String name = pop3 ? "pop3" : "imap";
            throw new IllegalArgumentException("parameter '" + parameter + "': " + value + " would send the passwords in "
                    + "clear; write " + name + "s://" + uri.getHost() + ":" + (pop3 ? 995 : 993) + ", " + name + "://" + uri.getHost()
                    + ":" + (pop3 ? 110 : 143) + "?starttls=true, or add ?plain=true if clear text is really meant (loopback, tests)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : pop3 ? (security == Security.SSL ? 995 : 110) : security == Security.SSL ? 993 : 143;
        return new MailServer(parameter, uri.getHost(), port, security, query.get("sslTrust"), pop3);
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
        return (pop3 ? "pop3" : "imap") + (security == Security.SSL ? "s" : "");
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
        if (pop3) {
            props.put(p + "cachewriteto", "false"); // writeTo streams RETR to the caller: no message is cached whole
            props.put(p + "disabletop", "true");    // headers come from the one RETR, never a second download
        }
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
        if (pop3) {
            throw new IllegalStateException(this + " is a POP3 server: use connectPop3");
        }
        return (IMAPStore) login(user, password);
    }

    /** Logs in to a POP3 server, as {@link #connect} does. */
    org.eclipse.angus.mail.pop3.POP3Store connectPop3(String user, String password) {
        if (!pop3) {
            throw new IllegalStateException(this + " is an IMAP server: use connect");
        }
        return (org.eclipse.angus.mail.pop3.POP3Store) login(user, password);
    }

    private jakarta.mail.Store login(String user, String password) {
        try {
            jakarta.mail.Store store = session().getStore(protocol());
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

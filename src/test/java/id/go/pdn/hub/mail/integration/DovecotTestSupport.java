package id.go.pdn.hub.mail.integration;

import java.util.UUID;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.Needs;

/**
 * Base of the mail interoperability tests: two real Dovecot servers on loopback (source separator "/", target "."),
 * started, and installed if missing, by {@code .ci/dovecot.sh start} through {@link Needs}. Each test works on fresh
 * users, so tests never see each other's mail.
 */
@Needs(ExternalServers.Server.DOVECOT)
abstract class DovecotTestSupport {

    static final String HOST = "127.0.0.1";
    static final int SOURCE_PORT = ExternalServers.dovecotSourcePort();
    static final int TARGET_PORT = ExternalServers.dovecotTargetPort();

    /** A new user with this password on both servers. */
    static String newUser(String prefix, String password) {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        ExternalServers.dovecot("adduser", user, password);
        return user;
    }

    static ImapTestClient source(String user, String password) throws Exception {
        return new ImapTestClient(HOST, SOURCE_PORT, user, password);
    }

    static ImapTestClient target(String user, String password) throws Exception {
        return new ImapTestClient(HOST, TARGET_PORT, user, password);
    }

    static String sourceUrl() {
        return "imap://" + HOST + ":" + SOURCE_PORT + "?plain=true";
    }

    static String targetUrl() {
        return "imap://" + HOST + ":" + TARGET_PORT + "?plain=true";
    }
}

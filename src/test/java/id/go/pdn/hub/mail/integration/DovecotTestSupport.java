package id.go.pdn.hub.mail.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import id.go.pdn.hub.mail.ImapTestClient;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the mail interoperability tests: two real Dovecot servers on loopback, started by {@code .ci/dovecot.sh}
 * (source separator "/", target "."). Skipped only when Dovecot is not installed; if it is installed but not running,
 * the script is run here. Each test works on fresh users, so tests never see each other's mail.
 */
abstract class DovecotTestSupport {

    static final String HOST = "127.0.0.1";
    static final int SOURCE_PORT = Integer.parseInt(System.getenv().getOrDefault("DOVECOT_SRC_PORT", "14143"));
    static final int TARGET_PORT = Integer.parseInt(System.getenv().getOrDefault("DOVECOT_TGT_PORT", "14144"));

    @BeforeAll
    static void dovecot() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/dovecot")) || System.getenv("PATH") != null
                && java.util.Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "dovecot")));
        assumeTrue(installed, "Dovecot is not installed (apt-get install dovecot-imapd): mail interoperability tests skipped");
        script("start");
    }

    /** A new user with this password on both servers. */
    static String newUser(String prefix, String password) throws Exception {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        script("adduser", user, password);
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

    private static void script(String... args) throws Exception {
        Path script = Path.of(".ci/dovecot.sh").toAbsolutePath();
        String[] command = new String[args.length + 1];
        command[0] = script.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + output);
        }
    }
}

package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Path;
import java.util.List;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient.Stored;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: a POP3S source (TLS from the first byte, GreenMail's self-signed certificate trusted with sslTrust). */
@org.junit.jupiter.api.extension.ExtendWith(id.go.pdn.hub.support.GreenMailClockHour.class) // GreenMail dates appends 12:xx as 00:xx
class Pop3sMigrationTest {

    static {
        // GreenMail's own certificate names no host, and the hub checks the server's name: a certificate for localhost
        System.setProperty("greenmail.tls.keystore.file", localhostKeyStore().toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
    }

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.POP3S.dynamicPort(),
            ServerSetupTest.IMAP.dynamicPort()});
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void copiesOverTls() throws Exception {
        source.setUser("budi@dinas.go.id", "budi", "budi-src");
        target.setUser("budi@pdn.go.id", "budi@pdn", "budi-tgt");
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {"budi", "budi-src", "budi@pdn", "budi-tgt"}));
        try (ImapTestClient src = new ImapTestClient("127.0.0.1", source.getImap().getPort(), "budi", "budi-src")) {
            src.append("INBOX", MailSamples.plain("s1", "Rahasia", "lewat TLS"), flags(), day(1));
            src.append("INBOX", Pop3MigrationTest.RECEIVED, flags(), day(2));
        }
        String pop3s = "pop3s://localhost:" + source.getPop3s().getPort() + "?sslTrust=*";
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("budi-pop3s.yaml", MailSamples.route("budi-pop3s", pop3s,
                MailMigrationTest.url(target), accounts, "")).start()) {
            RunSummary run = hub.run("budi-pop3s");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(2);
            assertThat(hub.run("budi-pop3s").rows()).isZero();
        }
        try (ImapTestClient src = new ImapTestClient("127.0.0.1", source.getImap().getPort(), "budi", "budi-src");
             ImapTestClient tgt = new ImapTestClient("127.0.0.1", target.getImap().getPort(), "budi@pdn", "budi-tgt")) {
            assertThat(hashes(tgt.messages("INBOX"))).isEqualTo(hashes(src.messages("INBOX")));
        }
    }

    /** A PKCS#12 key store with a self-signed certificate for localhost and 127.0.0.1 (the JDK's keytool). */
    static Path localhostKeyStore() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("hub-pop3s-");
            Path store = dir.resolve("localhost.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-alias", "greenmail", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            store.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return store;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("Cannot make a test certificate: " + e.getMessage(), e);
        }
    }

    private static List<String> hashes(List<Stored> messages) {
        return messages.stream().map(m -> MailFetcher.sha256(m.bytes())).sorted().toList();
    }
}

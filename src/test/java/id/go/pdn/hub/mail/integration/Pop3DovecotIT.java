package id.go.pdn.hub.mail.integration;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.mail.ImapTestClient.Stored;
import id.go.pdn.hub.mail.MailSamples;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 against a real POP3 server: Dovecot's POP3 and POP3S (the {@code pop} instance of {@code .ci/dovecot.sh},
 * serving the IMAP source's mailboxes) into the Dovecot IMAP target. The mailbox is filled over IMAP, then read over
 * POP3 with Dovecot's own UIDLs; exact bytes, dates from Received:, no duplicates on a re-run, deletions mirrored.
 */
@Needs({ExternalServers.Server.DOVECOT, ExternalServers.Server.DOVECOT_POP3})
class Pop3DovecotIT extends DovecotTestSupport {

    @TempDir
    Path dir;

    static final byte[] RECEIVED = ("Received: from mx by mail.dinas.go.id; Wed, 4 Jan 2023 08:30:00 +0700\r\n"
            + "From: budi@dinas.go.id\r\nTo: siti@dinas.go.id\r\nSubject: lewat POP3\r\nDate: Tue, 3 Jan 2023 09:00:00 +0700\r\n"
            + "Message-ID: <pop3-dovecot-1@dinas.go.id>\r\n\r\n.baris bertitik\r\n..dua titik\r\nakhir\r\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void pop3AndPop3sMailboxesAreCopiedExactlyOnceAndDeletionsMirrored() throws Exception {
        Properties pop = ExternalServers.dovecotPop3();
        String plainUser = newUser("pop3", "pw-plain");
        String tlsUser = newUser("pop3s", "pw-tls");
        try (ImapTestClient src = source(plainUser, "pw-plain")) {
            src.append("INBOX", RECEIVED, flags(), day(9));
            src.append("INBOX", MailSamples.plain("d1", "Satu", "satu"), flags(), day(9));
            src.append("INBOX", MailSamples.plain("d1", "Satu", "satu"), flags(), day(9));   // saved twice
            src.append("INBOX", MailSamples.large("big", 2 * 1024 * 1024), flags(), day(9));
        }
        try (ImapTestClient src = source(tlsUser, "pw-tls")) {
            src.append("INBOX", MailSamples.plain("t1", "TLS", "rahasia"), flags(), day(3));
        }
        Path plainAccounts = MailSamples.accountsFile(dir.resolve("plain"), List.<String[]>of(new String[] {plainUser, "pw-plain", plainUser, "pw-plain"}));
        Path tlsAccounts = MailSamples.accountsFile(dir.resolve("tls"), List.<String[]>of(new String[] {tlsUser, "pw-tls", tlsUser, "pw-tls"}));
        String pop3 = "pop3://127.0.0.1:" + pop.getProperty("pop3Port") + "?plain=true";
        String pop3s = "pop3s://localhost:" + pop.getProperty("pop3sPort") + "?sslTrust=localhost";
        try (TestHub hub = TestHub.builder(dir.resolve("hub"))
                .route("plain.yaml", MailSamples.route("dovecot-pop3", pop3, targetUrl(), plainAccounts, "        uidRangeSize: \"3\"\n"))
                .route("tls.yaml", MailSamples.route("dovecot-pop3s", pop3s, targetUrl(), tlsAccounts, "")).start()) {
            RunSummary run = hub.run("dovecot-pop3");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(4);
            RunSummary tls = hub.run("dovecot-pop3s");
            assertThat(tls.state()).as(tls.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(tls.rows()).isEqualTo(1);
            assertSameBytes(plainUser, "pw-plain", 4);
            assertSameBytes(tlsUser, "pw-tls", 1);
            try (ImapTestClient tgt = target(plainUser, "pw-plain")) {
                Stored received = tgt.messages("INBOX").stream().filter(m -> m.text().contains("pop3-dovecot-1")).findFirst().orElseThrow();
                assertThat(received.bytes()).as("dot-stuffed lines come back exactly").isEqualTo(RECEIVED);
                assertThat(received.internalDate()).as("the Received: date").isEqualTo(new Date(1672795800000L));
            }

            assertThat(hub.run("dovecot-pop3").rows()).as("a re-run copies nothing").isZero();
            assertSameBytes(plainUser, "pw-plain", 4);

            try (ImapTestClient src = source(plainUser, "pw-plain")) {
                long big = src.messages("INBOX").stream().filter(m -> m.text().contains("<big@")).findFirst().orElseThrow().uid();
                src.expunge("INBOX", big); // the whole second batch (uidRangeSize 3)
            }
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("plain.yaml", MailSamples.route("dovecot-pop3", pop3, targetUrl(),
                plainAccounts, "        uidRangeSize: \"3\"\n        deletions: mirror\n")).start()) {
            RunSummary mirror = hub.run("dovecot-pop3");
            assertThat(mirror.state()).as(mirror.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mirror.itemsRemoved()).isEqualTo(1);
            assertThat(hub.ledger().items("dovecot-pop3", ItemStatus.VERIFIED)).hasSize(1);
            assertSameBytes(plainUser, "pw-plain", 3);
        }
    }

    private static void assertSameBytes(String user, String password, int messages) throws Exception {
        try (ImapTestClient src = source(user, password); ImapTestClient tgt = target(user, password)) {
            List<String> source = src.messages("INBOX").stream().map(m -> sha(m.bytes())).sorted().toList();
            List<String> target = tgt.messages("INBOX").stream().map(m -> sha(m.bytes())).sorted().toList();
            assertThat(target).hasSize(messages).isEqualTo(source);
        }
    }

    private static String sha(byte[] bytes) {
        return id.go.pdn.hub.core.Hashes.sha256Hex(bytes);
    }
}

package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient.Stored;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 16: a POP3 mailbox (GreenMail: POP3 and IMAP over one store, IMAP only to fill and expunge the source) into an
 * IMAP target: exact bytes, internal dates from Received:/Date:/first listing, UIDL as identity across runs and after
 * a killed run, deletions reported then mirrored.
 */
@org.junit.jupiter.api.extension.ExtendWith(id.go.pdn.hub.support.GreenMailClockHour.class) // GreenMail dates appends 12:xx as 00:xx
class Pop3MigrationTest {

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.POP3.dynamicPort(),
            ServerSetupTest.IMAP.dynamicPort()});
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;
    Path accounts;

    /** Delivered through two servers: the first Received: (the last hop's) is 3 Jan 10:15:30 +0700. */
    static final byte[] RECEIVED = ("Received: from mx2.dinas.go.id by mail.dinas.go.id; Tue, 3 Jan 2023 10:15:30 +0700\r\n"
            + "Received: from relay by mx2.dinas.go.id;\r\n\tMon, 2 Jan 2023 23:00:00 +0000\r\n"
            + "From: budi@dinas.go.id\r\nTo: alice@dinas.go.id\r\nSubject: diterima\r\nDate: Mon, 2 Jan 2023 09:00:00 +0700\r\n"
            + "Message-ID: <rcv-1@dinas.go.id>\r\n\r\nisi\r\n.titik di awal baris\r\n").getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    void accounts() throws Exception {
        source.setUser("alice@dinas.go.id", "alice", "alice-src");
        target.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"}));
    }

    @Test
    void copiesExactBytesWithDatesFromTheHeadersAndNothingTwice() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        try (ImapTestClient src = src()) {
            src.append("INBOX", RECEIVED, flags(Flag.SEEN), day(9));
            src.append("INBOX", MailSamples.plain("p1", "Surat", "satu"), flags(), day(9));       // Date: only
            src.append("INBOX", MailSamples.malformed(), flags(), day(9));                        // neither
            src.append("INBOX", MailSamples.plain("p1", "Surat", "satu"), flags(), day(9));       // saved twice
            src.append("INBOX", MailSamples.large("big", 3 * 1024 * 1024), flags(), day(9));      // spooled
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            RunSummary run = hub.run("alice-pop3");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(5);
            assertThat(hub.ledger().items("alice-pop3", ItemStatus.VERIFIED)).hasSize(3)
                    .allSatisfy(i -> assertThat(i.sourceChecksum()).isEqualTo(i.targetChecksum()))
                    .anySatisfy(i -> assertThat(i.key()).startsWith("alice INBOX (POP3) uidl "));
            List<Stored> copied;
            try (ImapTestClient tgt = tgt()) {
                copied = tgt.messages("INBOX");
            }
            assertThat(copied).hasSize(5);
            assertThat(bodies(copied)).isEqualTo(bodies(sourceMessages()));
            Stored received = copied.stream().filter(m -> m.text().contains("rcv-1")).findFirst().orElseThrow();
            assertThat(received.internalDate()).as("first Received: header").isEqualTo(new Date(1672715730000L));
            assertThat(received.bytes()).as("a line starting with a dot comes through unstuffed, exactly").isEqualTo(RECEIVED);
            assertThat(copied.stream().filter(m -> m.text().contains("<p1@")).map(Stored::internalDate))
                    .as("Date: header").containsOnly(new Date(1672624800000L));
            Stored undated = copied.stream().filter(m -> m.text().contains("malformed-1")).findFirst().orElseThrow();
            assertThat(undated.internalDate().getTime() / 1000).as("first listed").isBetween(before - 1, System.currentTimeMillis() / 1000 + 1);
            assertThat(copied).allSatisfy(m -> assertThat(m.flagText()).doesNotContain("\\Seen"));

            RunSummary again = hub.run("alice-pop3");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.rows()).as("nothing new: nothing copied").isZero();
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).hasSize(5);
            }

            // a killed run: its copies appended, its records never written; and a new message since
            hub.bean(JdbcTemplate.class).update("DELETE FROM hub_mail_pop3_uid");
            try (ImapTestClient src = src()) {
                src.append("INBOX", MailSamples.plain("p2", "Baru", "dua"), flags(), day(9));
            }
            hub.bean(JdbcTemplate.class).update("UPDATE hub_item SET status = 'PENDING' WHERE migration = 'alice-pop3'");
            RunSummary resumed = hub.run("alice-pop3");
            assertThat(resumed.state()).as(resumed.toString()).isEqualTo(RunState.SUCCEEDED);
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).as("the leftovers adopted, only the new message appended").hasSize(6);
                assertThat(bodies(tgt.messages("INBOX"))).isEqualTo(bodies(sourceMessages()));
            }
            assertThat(hub.bean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM hub_mail_pop3_uid", Integer.class)).isEqualTo(6);
        }
        try (ImapTestClient src = src()) {
            // nothing deleted (no DELE); RETR makes GreenMail (like Dovecot) set \Seen in its IMAP view: POP3 cannot avoid it
            assertThat(src.messages("INBOX")).as("the source keeps every message").hasSize(6);
        }
    }

    @Test
    void messagesDeletedAtTheSourceAreReportedThenMirrored() throws Exception {
        try (ImapTestClient src = src()) {
            src.append("INBOX", MailSamples.plain("d1", "Satu", "satu"), flags(), day(1));
            src.append("INBOX", MailSamples.plain("d2", "Dua", "dua"), flags(), day(2));
            src.append("INBOX", MailSamples.plain("d3", "Tiga", "tiga"), flags(), day(3));
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            assertThat(hub.run("alice-pop3").state()).isEqualTo(RunState.SUCCEEDED);
        }
        try (ImapTestClient tgt = tgt()) {
            tgt.append("INBOX", MailSamples.plain("own", "Punya PDN", "bukan salinan"), flags(), day(5)); // not the hub's
        }
        try (ImapTestClient src = src()) {
            src.expunge("INBOX", 1); // half of the first batch
            src.expunge("INBOX", 3); // the whole second batch
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            RunSummary report = hub.run("alice-pop3");
            assertThat(report.state()).as(report.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(report.itemsGone()).isEqualTo(2);
            assertThat(report.message()).contains("2 items deleted at the source are still on the target");
            List<LedgerItem> gone = hub.ledger().items("alice-pop3", ItemStatus.GONE);
            assertThat(gone).extracting(LedgerItem::lastError).anyMatch(e -> e.contains("1 messages of alice INBOX (POP3)")
                    && e.contains("deleted at the source"));
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).as("report leaves the target alone").hasSize(4);
            }
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n        deletions: mirror\n")) {
            RunSummary mirror = hub.run("alice-pop3");
            assertThat(mirror.state()).as(mirror.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mirror.itemsGone()).isZero();
            assertThat(mirror.itemsRemoved()).as("the second batch").isEqualTo(1);
            assertThat(mirror.itemsVerified()).isEqualTo(1);
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).extracting(Stored::text).hasSize(2)
                        .anyMatch(t -> t.contains("<d2@")).anyMatch(t -> t.contains("<own@"));
            }
        }
    }

    @Test
    void aPop3TargetOrFoldersOfAPop3SourceAreRefusedAtStart() {
        assertThatThrownBy(() -> MailServer.parse("target", "pop3s://mail.pdn.go.id:995"))
                .hasMessageContaining("only the source may be POP3");
        assertThatThrownBy(() -> MailServer.parse("source", "pop3://mail.dinas.go.id:110", true))
                .hasMessageContaining("would send the passwords in clear").hasMessageContaining("pop3s://mail.dinas.go.id:995");
        assertThat(MailServer.parse("source", "pop3s://mail.dinas.go.id", true).port()).isEqualTo(995);
        MailOptions options = new MailOptions();
        options.setSource("pop3s://mail.dinas.go.id:995");
        options.setTarget("imaps://mail.pdn.go.id:993");
        options.setAccounts(accounts.toString());
        options.setExclude("Junk");
        assertThatThrownBy(options::validate).hasMessageContaining("POP3 has only INBOX");
    }

    private static List<String> bodies(List<Stored> messages) {
        return messages.stream().map(m -> MailFetcher.sha256(m.bytes())).sorted().toList();
    }

    private static List<Stored> sourceMessages() throws Exception {
        try (ImapTestClient src = src()) {
            return src.messages("INBOX");
        }
    }

    static String pop3Url(GreenMailExtension server) {
        return "pop3://127.0.0.1:" + server.getPop3().getPort() + "?plain=true";
    }

    private TestHub hub(String extra) throws Exception {
        return TestHub.builder(dir.resolve("hub")).route("alice-pop3.yaml", MailSamples.route("alice-pop3", pop3Url(source),
                MailMigrationTest.url(target), accounts, extra)).start();
    }

    private static ImapTestClient src() throws Exception {
        return new ImapTestClient("127.0.0.1", source.getImap().getPort(), "alice", "alice-src");
    }

    private static ImapTestClient tgt() throws Exception {
        return new ImapTestClient("127.0.0.1", target.getImap().getPort(), "alice@pdn", "alice-tgt");
    }
}

package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import java.nio.file.Path;
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

/**
 * Issue 12 on GreenMail: identical messages are a multiset (n on the source, n on the target, each with its flags and
 * date), flags changed at the source follow on the next run, expunged messages are reported (GONE) or mirrored. A
 * folder name the target refuses is tested against Dovecot ({@code RefusedMessageIT}): GreenMail drops the connection
 * on a name it cannot take instead of answering NO.
 */
class MailChangesTest {

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;
    Path accounts;

    static final byte[] SAVED_TWICE = MailSamples.plain("dup", "Surat edaran", "isi yang sama");

    @BeforeEach
    void accounts() throws Exception {
        source.setUser("alice@dinas.go.id", "alice", "alice-src");
        target.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"}));
    }

    @Test
    void identicalMessagesAreEachCopiedWithTheirOwnFlagsAndDatesAndNeverTwice() throws Exception {
        try (ImapTestClient src = src(); ImapTestClient tgt = tgt()) {
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(1));
            src.append("INBOX", SAVED_TWICE, flags(Flag.DRAFT), day(2));           // a draft and its sent copy
            src.append("INBOX", SAVED_TWICE, flags(Flag.FLAGGED, "$Label5"), day(1));
            src.append("INBOX", MailSamples.plain("other", "Lain", "lain"), flags(), day(3));
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(1));            // saved twice, all equal
            // what a run killed after its APPEND and before its record leaves on the target
            tgt.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(1));
        }
        try (TestHub hub = hub("")) {
            RunSummary run = hub.run("surat-mail");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(5);
            LedgerItem inbox = hub.ledger().items("surat-mail", ItemStatus.VERIFIED).get(0);
            assertThat(inbox.rowCount()).isEqualTo(5);
            assertThat(inbox.sourceChecksum()).startsWith("5:").isEqualTo(inbox.targetChecksum());
            assertSameMultiset();

            RunSummary again = hub.run("surat-mail");
            assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.rows()).as("nothing changed: nothing copied").isZero();
            assertSameMultiset();
        }
        // a second hub (no records of its own) into the same target: recognises the copies, appends nothing
        try (TestHub hub = TestHub.builder(dir.resolve("hub2")).route("again.yaml", MailSamples.route("surat-mail-again",
                MailMigrationTest.url(source), MailMigrationTest.url(target), accounts, "")).start()) {
            RunSummary again = hub.run("surat-mail-again");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.rows()).isEqualTo(5);
        }
        assertSameMultiset();
    }

    @Test
    void flagsAndKeywordsChangedAtTheSourceFollowOnTheNextRun() throws Exception {
        try (ImapTestClient src = src()) {
            src.append("INBOX", MailSamples.plain("f1", "Satu", "satu"), flags(), day(1));
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(2));
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(2));
            src.append("Archive", MailSamples.plain("a1", "Arsip", "arsip"), flags(Flag.SEEN), day(4));
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
            try (ImapTestClient src = src()) {
                src.setFlags("INBOX", 1, flags(Flag.SEEN, Flag.FLAGGED, "$Label5"));
                src.setFlags("INBOX", 3, flags(Flag.ANSWERED)); // one of two identical messages: \Seen off
            }
            RunSummary run = hub.run("surat-mail");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).as("the two INBOX ranges were compared again, not the archive").isEqualTo(3);
            assertSameMultiset();
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).as("flags set, nothing appended").hasSize(3);
            }
            assertThat(hub.ledger().items("surat-mail", ItemStatus.VERIFIED)).hasSize(3)
                    .allSatisfy(i -> assertThat(i.sourceChecksum()).isEqualTo(i.targetChecksum()));
        }
    }

    @Test
    void messagesExpungedAtTheSourceAreReportedThenMirrored() throws Exception {
        try (ImapTestClient src = src()) {
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(1));
            src.append("INBOX", SAVED_TWICE, flags(Flag.SEEN), day(1));
            src.append("INBOX", MailSamples.plain("k", "Tetap", "tetap"), flags(), day(2));
            src.append("Archive", MailSamples.plain("a1", "Arsip", "arsip"), flags(), day(4));
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
        }
        try (ImapTestClient src = src()) {
            src.expunge("INBOX", 1);   // one of two identical messages
            src.expunge("Archive", 1); // its range is now empty
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n")) {
            RunSummary report = hub.run("surat-mail");
            assertThat(report.state()).as(report.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(report.itemsGone()).isEqualTo(2);
            assertThat(report.itemsVerified()).as("only the intact range").isEqualTo(1);
            assertThat(report.message()).contains("2 items deleted at the source are still on the target");
            List<LedgerItem> gone = hub.ledger().items("surat-mail", ItemStatus.GONE);
            assertThat(gone).extracting(LedgerItem::lastError).anyMatch(e -> e.contains("1 messages of alice INBOX uid [1, 2]")
                    && e.contains("expunged at the source") && e.contains("source uids [1]"));
            LedgerItem range = gone.stream().filter(i -> i.key().startsWith("alice INBOX")).findFirst().orElseThrow();
            assertThat(range.sourceChecksum()).startsWith("1:");
            assertThat(range.targetChecksum()).startsWith("2:");
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("INBOX")).as("report leaves the target alone").hasSize(3);
                assertThat(tgt.messages("Archive")).hasSize(1);
            }
        }
        try (TestHub hub = hub("        uidRangeSize: \"2\"\n        deletions: mirror\n")) {
            RunSummary mirror = hub.run("surat-mail");
            assertThat(mirror.state()).as(mirror.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mirror.itemsGone()).isZero();
            assertThat(mirror.itemsRemoved()).as("the archive's range").isEqualTo(1);
            assertThat(mirror.itemsVerified()).isEqualTo(2);
            assertSameMultiset();
            try (ImapTestClient tgt = tgt()) {
                assertThat(tgt.messages("Archive")).isEmpty();
            }
        }
    }

    /** Every source folder's messages are on the target as a multiset of (bytes, internal date, flags). */
    private static void assertSameMultiset() throws Exception {
        try (ImapTestClient s = src(); ImapTestClient t = tgt()) {
            for (String folder : List.of("INBOX", "Archive")) {
                if (!s.exists(folder)) {
                    continue;
                }
                assertThat(entries(t.messages(folder))).as(folder).isEqualTo(entries(s.messages(folder)));
            }
        }
    }

    private static List<String> entries(List<Stored> messages) {
        return messages.stream().map(m -> MailFetcher.sha256(m.bytes()) + " " + m.internalDate().getTime() + " " + m.flagText())
                .sorted().toList();
    }

    private TestHub hub(String extra) throws Exception {
        return TestHub.builder(dir.resolve("hub")).route("surat-mail.yaml", MailSamples.route("surat-mail",
                MailMigrationTest.url(source), MailMigrationTest.url(target), accounts, extra)).start();
    }

    private static ImapTestClient src() throws Exception {
        return new ImapTestClient("127.0.0.1", source.getImap().getPort(), "alice", "alice-src");
    }

    private static ImapTestClient tgt() throws Exception {
        return new ImapTestClient("127.0.0.1", target.getImap().getPort(), "alice@pdn", "alice-tgt");
    }
}

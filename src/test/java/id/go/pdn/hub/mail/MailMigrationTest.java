package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient.Stored;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mail migrations between two embedded GreenMail IMAP servers, through the whole hub (ledger, queue, workers). */
class MailMigrationTest {

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;
    Path accounts;

    @BeforeEach
    void accounts() throws Exception {
        source.setUser("alice@dinas.go.id", "alice", "alice-src");
        source.setUser("bob@dinas.go.id", "bob", "bob-src");
        target.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        target.setUser("bob@pdn.go.id", "bob@pdn", "bob-tgt");
        accounts = MailSamples.accountsFile(dir.resolve("config"), List.of(
                new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"},
                new String[] {"bob", "bob-src", "bob@pdn", "bob-tgt"}));
        try (ImapTestClient alice = src("alice", "alice-src"); ImapTestClient bob = src("bob", "bob-src");
             ImapTestClient aliceTarget = tgt("alice@pdn", "alice-tgt")) {
            alice.append("INBOX", MailSamples.plain("m1", "Rapat", "Agenda rapat"), flags(Flag.SEEN, "$Label1"), day(1));
            alice.append("INBOX", MailSamples.withoutMessageId("tanpa id"), flags(Flag.FLAGGED), day(2));
            alice.append("INBOX", MailSamples.malformed(), flags(), day(3));
            alice.append("Archive/2023", MailSamples.plain("a1", "Arsip", "satu"), flags(Flag.SEEN, Flag.ANSWERED), day(4));
            alice.append("Archive/2023", MailSamples.large("big1", 3_000_000), flags(Flag.SEEN, "$Label2", "Penting"), day(5));
            alice.append("Sent Items", MailSamples.plain("s1", "Balasan", "terkirim"), flags(Flag.SEEN), day(6));
            alice.create("Kosong/Dalam");
            alice.subscribe("Archive/2023");
            bob.append("INBOX", MailSamples.plain("same", "Versi 1", "isi pertama"), flags(), day(7));
            bob.append("INBOX", MailSamples.plain("same", "Versi 2", "isi kedua"), flags(Flag.DRAFT), day(8));
            aliceTarget.create("Sent");
        }
    }

    @Test
    void copiesEveryFolderByteForByteWithFlagsKeywordsAndDatesThenPlansOnlyWhatIsNew() throws Exception {
        try (TestHub hub = hub("surat-mail", "        uidRangeSize: \"2\"\n")) {
            RunSummary run = hub.run("surat-mail");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(8);
            assertThat(run.itemsTotal()).as("INBOX in two ranges of 2").isEqualTo(5);

            try (ImapTestClient from = src("alice", "alice-src"); ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
                Map<String, List<Stored>> s = from.snapshot();
                Map<String, List<Stored>> t = to.snapshot();
                assertSameMessages(s.get("INBOX"), t.get("INBOX"));
                assertSameMessages(s.get("Archive/2023"), t.get("Archive/2023"));
                assertSameMessages(s.get("Sent Items"), t.get("Sent")); // special use, found by name on both sides
                assertThat(t).containsKeys("Kosong", "Kosong/Dalam").doesNotContainKey("Sent Items");
                assertThat(t.get("Kosong/Dalam")).isEmpty();
                assertThat(to.isSubscribed("Archive/2023")).isTrue();
                // reading the source did not mark anything read
                assertThat(s.get("INBOX").get(2).flagText()).isEmpty();
            }
            try (ImapTestClient from = src("bob", "bob-src"); ImapTestClient to = tgt("bob@pdn", "bob-tgt")) {
                assertSameMessages(from.messages("INBOX"), to.messages("INBOX")); // same Message-ID, two contents: both
            }

            // the nightly re-run: only what arrived since the plan
            List<PlannedItem> planned = hub.ledger().items("surat-mail", ItemStatus.VERIFIED).stream()
                    .map(i -> new PlannedItem(i.key(), i.payload())).toList();
            assertThat(planned).extracting(PlannedItem::key).anyMatch(k -> k.startsWith("alice INBOX uid [1, 2] uidvalidity "))
                    .anyMatch(k -> k.startsWith("alice INBOX uid [3, 3] uidvalidity "));
            try (ImapTestClient alice = src("alice", "alice-src")) {
                alice.append("INBOX", MailSamples.plain("m4", "Baru", "pesan baru"), flags(), day(9));
                alice.append("Baru", MailSamples.plain("n1", "Folder baru", "isi"), flags(), day(9));
            }
            var job = hub.bean(MigrationRegistry.class).require("surat-mail").job();
            List<PlannedItem> next = job.replan(planned).stream().filter(i -> !planned.contains(i)).toList();
            assertThat(next).extracting(PlannedItem::key).hasSize(2)
                    .anyMatch(k -> k.startsWith("alice INBOX uid [4, 4] "))
                    .anyMatch(k -> k.startsWith("alice Baru uid [1, 1] "));

            // and the run itself: the plan grows by what is new, only that is copied, nothing twice
            RunSummary nightly = hub.run("surat-mail");
            assertThat(nightly.state()).as(nightly.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(nightly.rows()).isEqualTo(2);
            assertThat(nightly.itemsTotal()).isEqualTo(7);
            try (ImapTestClient from = src("alice", "alice-src"); ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
                assertSameMessages(from.messages("INBOX"), to.messages("INBOX"));
                assertSameMessages(from.messages("Baru"), to.messages("Baru"));
            }
            assertThat(hub.run("surat-mail").rows()).as("a run with nothing new copies nothing").isZero();
        }
    }

    @Test
    void aSecondMigrationIntoTheSameTargetAppendsNothingAgain() throws Exception {
        try (ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
            // what an interrupted run leaves: part of INBOX is there already, with a different UID numbering
            to.append("INBOX", MailSamples.withoutMessageId("tanpa id"), flags(Flag.FLAGGED), day(2));
        }
        try (TestHub hub = hub("surat-mail", "")) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub2")).route("again.yaml", MailSamples.route("surat-mail-again",
                url(source), url(target), accounts, "")).start()) {
            RunSummary again = hub.run("surat-mail-again");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.rows()).as("every message is read and verified again").isEqualTo(8);
        }
        try (ImapTestClient from = src("alice", "alice-src"); ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
            assertSameMessages(from.messages("INBOX"), to.messages("INBOX"));
            assertSameMessages(from.messages("Archive/2023"), to.messages("Archive/2023"));
        }
    }

    @Test
    void aFolderWhoseUidValidityChangedIsPlannedAgainAndNothingIsCopiedTwice() throws Exception {
        try (TestHub hub = hub("surat-mail", "")) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
            List<PlannedItem> planned = hub.ledger().items("surat-mail", ItemStatus.VERIFIED).stream()
                    .map(i -> new PlannedItem(i.key(), i.payload())).toList();
            long before;
            try (ImapTestClient alice = src("alice", "alice-src")) {
                before = alice.uidValidity("Archive/2023");
                // the server lost its UID state: same folder, same messages, new numbering, plus one new message
                List<Stored> old = alice.messages("Archive/2023");
                alice.delete("Archive/2023");
                for (Stored m : old) {
                    alice.append("Archive/2023", m.bytes(), m.flags(), m.internalDate());
                }
                alice.append("Archive/2023", MailSamples.plain("a2", "Arsip baru", "dua"), flags(), day(10));
                assertThat(alice.uidValidity("Archive/2023")).isNotEqualTo(before);
            }
            var job = hub.bean(MigrationRegistry.class).require("surat-mail").job();
            List<PlannedItem> listing = job.replan(planned);
            assertThat(listing).filteredOn(i -> i.skipped() != null).extracting(PlannedItem::key).singleElement().asString()
                    .endsWith(" " + before); // the old range: superseded, not deleted
            List<PlannedItem> next = listing.stream().filter(i -> i.skipped() == null && !planned.contains(i)).toList();
            assertThat(next).extracting(PlannedItem::key).singleElement().asString()
                    .startsWith("alice Archive/2023 uid [1, 3] uidvalidity ").doesNotEndWith(" " + before);
            // copied as the core will copy it once it adds new items to a plan
            var outcome = job.copy(new id.go.pdn.hub.core.ledger.LedgerItem(1_000, "surat-mail", "mail",
                    next.get(0).key(), next.get(0).payload(), ItemStatus.RUNNING, 0, 99L, null, null, null, null, null, null, null));
            assertThat(outcome.verified()).isTrue();
            assertThat(outcome.rows()).isEqualTo(3);
        }
        try (ImapTestClient from = src("alice", "alice-src"); ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
            assertSameMessages(from.messages("Archive/2023"), to.messages("Archive/2023")); // 3, not 5
        }
    }

    @Test
    void renameRulesAndATargetPrefixPlaceTheFolders() throws Exception {
        try (TestHub hub = hub("surat-mail", "        folderMap: \"Archive=Arsip Lama\"\n        targetPrefix: Migrasi\n"
                + "        exclude: \"Kosong*\"\n")) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
        }
        try (ImapTestClient from = src("alice", "alice-src"); ImapTestClient to = tgt("alice@pdn", "alice-tgt")) {
            Map<String, List<Stored>> t = to.snapshot();
            assertThat(t).containsKeys("INBOX", "Sent", "Arsip Lama/2023").doesNotContainKeys("Kosong", "Migrasi/Kosong");
            assertSameMessages(from.messages("Archive/2023"), t.get("Arsip Lama/2023"));
        }
    }

    @Test
    void aServerUriInClearTextIsRefusedWithTheFix() {
        MailCapability mail = new MailCapability(new com.fasterxml.jackson.databind.ObjectMapper(), null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> id.go.pdn.hub.support.Declarations.declare(mail, "m", "routes/m.yaml:1",
                        "application", "surat", "source", "imap://mail.dinas.go.id", "target", "imaps://mail.pdn.go.id",
                        "accounts", accounts.toString()))
                .hasMessageContaining("Cannot load migration m (routes/m.yaml:1): parameter 'source'")
                .hasMessageContaining("imap://mail.dinas.go.id:143?starttls=true");
    }

    /** Same messages (bytes, flags, internal date) in any order: a re-run may append in another order than the source's. */
    static void assertSameMessages(List<Stored> source, List<Stored> target) {
        assertThat(target).as("message count").hasSameSizeAs(source);
        java.util.Comparator<Stored> byContent = java.util.Comparator.comparing(m -> MailFetcher.sha256(m.bytes()));
        List<Stored> sorted = source.stream().sorted(byContent).toList();
        List<Stored> copies = target.stream().sorted(byContent).toList();
        for (int i = 0; i < sorted.size(); i++) {
            Stored s = sorted.get(i);
            Stored t = copies.get(i);
            assertThat(t.bytes()).as("bytes of source uid %d", s.uid()).isEqualTo(s.bytes());
            assertThat(t.flagText()).as("flags of source uid %d", s.uid()).isEqualTo(s.flagText());
            assertThat(t.internalDate()).as("internal date of source uid %d", s.uid()).isEqualTo(s.internalDate());
        }
    }

    private TestHub hub(String id, String extra) throws Exception {
        return TestHub.builder(dir.resolve("hub")).route(id + ".yaml", MailSamples.route(id, url(source), url(target), accounts, extra))
                .start();
    }

    static String url(GreenMailExtension server) {
        return "imap://127.0.0.1:" + server.getImap().getPort() + "?plain=true";
    }

    private static ImapTestClient src(String user, String password) throws Exception {
        return new ImapTestClient("127.0.0.1", source.getImap().getPort(), user, password);
    }

    private static ImapTestClient tgt(String user, String password) throws Exception {
        return new ImapTestClient("127.0.0.1", target.getImap().getPort(), user, password);
    }
}

package id.go.pdn.hub.mail.integration;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Flags.Flag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.mail.ImapTestClient.Stored;
import id.go.pdn.hub.mail.MailSamples;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dovecot ("/" separator, fs layout) into Dovecot ("." separator, Maildir++), through the whole hub. */
class DovecotToDovecotIT extends DovecotTestSupport {

    @TempDir
    Path dir;

    @Test
    void copiesNestedFoldersAcrossSeparatorsByteForByteWithFlagsKeywordsAndDates() throws Exception {
        String user = newUser("alice", "alice-pw");
        try (ImapTestClient src = source(user, "alice-pw")) {
            src.append("INBOX", MailSamples.plain("d1", "Rapat", "Agenda"), flags(Flag.SEEN, "$Label1", "Penting"), day(1));
            src.append("INBOX", MailSamples.withoutMessageId("tanpa id"), flags(Flag.FLAGGED, Flag.ANSWERED), day(2));
            src.append("INBOX", MailSamples.malformed(), flags(), day(3));
            src.append("Archive/2023/Q1", MailSamples.plain("q1", "Arsip", "triwulan"), flags(Flag.SEEN, "$Label2"), day(4));
            src.append("Archive/2023/Q1", MailSamples.large("big", 2_500_000), flags(Flag.SEEN), day(5));
            src.append("Proyek/v1.2", MailSamples.plain("p1", "Titik", "nama dengan titik"), flags(Flag.DRAFT), day(6));
            src.append("Sent Items", MailSamples.plain("s1", "Terkirim", "balasan"), flags(Flag.SEEN), day(7));
            src.append("Trash", MailSamples.plain("t1", "Dibuang", "sampah"), flags(Flag.SEEN, Flag.DELETED), day(8));
            src.create("Kosong/Dalam");
            src.subscribe("Archive/2023/Q1");
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {user, "alice-pw", user, "alice-pw"}));
        try (TestHub hub = TestHub.builder(dir.resolve("hub"))
                .route("mail.yaml", MailSamples.route("surat-mail", sourceUrl(), targetUrl(), accounts, "")).start()) {
            RunSummary run = hub.run("surat-mail");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(8);
        }
        try (ImapTestClient src = source(user, "alice-pw"); ImapTestClient tgt = target(user, "alice-pw")) {
            assertThat(tgt.separator()).isEqualTo('.');
            Map<String, List<Stored>> s = src.snapshot();
            Map<String, List<Stored>> t = tgt.snapshot(); // names with "/" whatever the server's separator
            assertSame(s.get("INBOX"), t.get("INBOX"));
            assertSame(s.get("Archive/2023/Q1"), t.get("Archive/2023/Q1"));
            assertSame(s.get("Proyek/v1.2"), t.get("Proyek/v1_2")); // "." is the target's separator
            assertSame(s.get("Sent Items"), t.get("Sent"));          // \Sent on both sides
            assertSame(s.get("Trash"), t.get("Deleted Messages"));  // \Trash on both sides
            assertThat(t).containsKeys("Kosong/Dalam").doesNotContainKeys("Sent Items", "Trash");
            assertThat(tgt.isSubscribed("Archive/2023/Q1")).isTrue();
            assertThat(s.get("INBOX").get(2).flagText()).as("the source stays unread").isEmpty();
        }
    }

    @Test
    void anInterruptedRunThenARerunLeaveNoDuplicate() throws Exception {
        String user = newUser("bob", "bob-pw");
        int messages = 600;
        try (ImapTestClient src = source(user, "bob-pw"); ImapTestClient tgt = target(user, "bob-pw")) {
            for (int i = 0; i < messages; i++) {
                byte[] raw = i % 50 == 7 ? MailSamples.withoutMessageId("tanpa id " + i) : MailSamples.plain("r" + i, "Pesan " + i, "isi " + i);
                src.append(i % 3 == 0 ? "INBOX" : "Arsip/Lama", raw, i % 2 == 0 ? flags(Flag.SEEN) : flags("$Label1"), day(1 + i % 20));
                if (i % 10 == 0) {
                    // what a run killed in the middle of an item leaves on the target
                    tgt.append(i % 3 == 0 ? "INBOX" : "Arsip/Lama", raw, i % 2 == 0 ? flags(Flag.SEEN) : flags("$Label1"), day(1 + i % 20));
                }
            }
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {user, "bob-pw", user, "bob-pw"}));
        String route = MailSamples.route("arsip-mail", sourceUrl(), targetUrl(), accounts,
                "        uidRangeSize: \"50\"\n        parallelism: \"2\"\n");
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", route).start()) {
            CompletableFuture<RunSummary> run = hub.bean(MigrationRunner.class).startAsync("arsip-mail", "test");
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.ledger().items("arsip-mail", ItemStatus.VERIFIED).size() >= 2);
            hub.bean(MigrationRunner.class).stop("arsip-mail");
            assertThat(run.get().state()).isIn(RunState.STOPPED, RunState.SUCCEEDED);
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", route).start()) {
            RunSummary rerun = hub.run("arsip-mail");
            assertThat(rerun.state()).as(rerun.toString()).isEqualTo(RunState.SUCCEEDED);
        }
        try (ImapTestClient src = source(user, "bob-pw"); ImapTestClient tgt = target(user, "bob-pw")) {
            for (String folder : List.of("INBOX", "Arsip/Lama")) {
                List<Stored> t = tgt.messages(folder);
                assertThat(new HashSet<>(t.stream().map(m -> m.text()).toList())).as("no duplicate in " + folder).hasSize(t.size());
                assertSame(src.messages(folder), t);
            }
        }
    }

    @Test
    void duplicatesFlagChangesAndExpungesAreCarriedWithCondstoreThenMirrored() throws Exception {
        String user = newUser("citra", "citra-pw");
        byte[] twice = MailSamples.plain("dup", "Surat edaran", "isi yang sama");
        try (ImapTestClient src = source(user, "citra-pw")) {
            src.append("INBOX", twice, flags(Flag.SEEN), day(1));
            src.append("INBOX", twice, flags(Flag.DRAFT), day(2));
            src.append("INBOX", twice, flags(Flag.SEEN), day(1));
            src.append("INBOX", MailSamples.plain("x1", "Lain", "lain"), flags(), day(3));
            src.append("Arsip/2024", MailSamples.plain("a1", "Arsip", "arsip"), flags(), day(4));
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {user, "citra-pw", user, "citra-pw"}));
        String options = "        uidRangeSize: \"2\"\n";
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", MailSamples.route("citra-mail", sourceUrl(),
                targetUrl(), accounts, options)).start()) {
            RunSummary first = hub.run("citra-mail");
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(first.rows()).isEqualTo(5);
            assertMultiset(user, "citra-pw", "INBOX", "Arsip/2024");
            RunSummary quiet = hub.run("citra-mail"); // STATUS HIGHESTMODSEQ unchanged: nothing fetched, nothing copied
            assertThat(quiet.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(quiet.rows()).isZero();

            try (ImapTestClient src = source(user, "citra-pw")) {
                src.setFlags("INBOX", 2, flags(Flag.SEEN, Flag.FLAGGED, "$Label5"));
                src.expunge("INBOX", 3); // one of the identical ones
            }
            RunSummary report = hub.run("citra-mail");
            assertThat(report.state()).as(report.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(report.itemsGone()).as("the range [3, 4]").isEqualTo(1);
            try (ImapTestClient tgt = target(user, "citra-pw")) {
                assertThat(tgt.messages("INBOX")).hasSize(4);
            }
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", MailSamples.route("citra-mail", sourceUrl(),
                targetUrl(), accounts, options + "        deletions: mirror\n")).start()) {
            RunSummary mirror = hub.run("citra-mail");
            assertThat(mirror.state()).as(mirror.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mirror.itemsGone()).isZero();
            assertThat(mirror.itemsVerified()).isEqualTo(3);
            assertMultiset(user, "citra-pw", "INBOX", "Arsip/2024");
        }
    }

    /** Same messages as a multiset of (bytes, internal date, flags) in these folders on both servers. */
    private static void assertMultiset(String user, String password, String... folders) throws Exception {
        try (ImapTestClient src = source(user, password); ImapTestClient tgt = target(user, password)) {
            for (String folder : folders) {
                assertThat(entries(tgt.messages(folder))).as(folder).isEqualTo(entries(src.messages(folder)));
            }
        }
    }

    private static List<String> entries(List<Stored> messages) {
        return messages.stream().map(m -> m.text().hashCode() + " " + m.text().length() + " " + m.internalDate().getTime() + " "
                + m.flagText()).sorted().toList();
    }

    private static void assertSame(List<Stored> source, List<Stored> target) {
        assertThat(source).isNotNull();
        assertThat(target).as("message count").isNotNull().hasSameSizeAs(source);
        java.util.Comparator<Stored> byContent = java.util.Comparator.comparing(Stored::text);
        List<Stored> s = source.stream().sorted(byContent).toList();
        List<Stored> t = target.stream().sorted(byContent).toList();
        for (int i = 0; i < s.size(); i++) {
            assertThat(t.get(i).bytes()).as("bytes of source uid %d", s.get(i).uid()).isEqualTo(s.get(i).bytes());
            assertThat(t.get(i).flagText()).as("flags of source uid %d", s.get(i).uid()).isEqualTo(s.get(i).flagText());
            assertThat(t.get(i).internalDate()).as("internal date of source uid %d", s.get(i).uid()).isEqualTo(s.get(i).internalDate());
        }
    }
}

package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestHub;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code MailCapability.verify}: the source range's content hashes against what the target folder holds now. */
class MailVerifyTest {

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void anIntactRangeVerifiesAndAnExpungedMessageShows() throws Exception {
        source.setUser("alice@dinas.go.id", "alice", "alice-src");
        target.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(
                new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"}));
        try (ImapTestClient alice = new ImapTestClient("127.0.0.1", source.getImap().getPort(), "alice", "alice-src")) {
            alice.append("INBOX", MailSamples.plain("m1", "Rapat", "Agenda rapat"), flags(Flag.SEEN), day(1));
            alice.append("INBOX", MailSamples.plain("m2", "Cuti", "Permohonan cuti"), flags(), day(2));
            alice.append("INBOX", MailSamples.withoutMessageId("tanpa id"), flags(), day(3));
            alice.append("Archive", MailSamples.plain("a1", "Arsip", "arsip"), flags(), day(4));
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", MailSamples.route("surat-mail",
                MailMigrationTest.url(source), MailMigrationTest.url(target), accounts, "")).start()) {
            assertThat(hub.run("surat-mail").state()).isEqualTo(RunState.SUCCEEDED);
            MigrationJob job = hub.bean(MigrationRegistry.class).require("surat-mail").job();
            List<LedgerItem> items = hub.ledger().items("surat-mail", ItemStatus.VERIFIED);
            assertThat(items).hasSize(2);
            for (LedgerItem item : items) {
                ItemOutcome again = job.verify(item);
                assertThat(again.verified()).as(item.key()).isTrue();
                assertThat(again.sourceChecksum()).isEqualTo(item.sourceChecksum());
                assertThat(again.targetChecksum()).isEqualTo(item.targetChecksum());
                assertThat(again.rows()).isEqualTo(item.rowCount());
                assertThat(again.bytes()).isEqualTo(item.byteCount());
            }
            LedgerItem inbox = items.stream().filter(i -> i.key().startsWith("alice INBOX ")).findFirst().orElseThrow();
            LedgerItem archive = items.stream().filter(i -> i.key().startsWith("alice Archive ")).findFirst().orElseThrow();

            expungeFirst("INBOX");
            ItemOutcome expunged = job.verify(inbox);
            assertThat(expunged.verified()).isFalse();
            assertThat(expunged.sourceChecksum()).isEqualTo(inbox.sourceChecksum()).startsWith("3:");
            assertThat(expunged.targetChecksum()).startsWith("2:");
            assertThat(job.verify(archive).verified()).as("the other folder is intact").isTrue();

            try (ImapTestClient to = new ImapTestClient("127.0.0.1", target.getImap().getPort(), "alice@pdn", "alice-tgt")) {
                to.delete("Archive");
                assertThat(to.messages("INBOX")).as("verify appends nothing").hasSize(2);
            }
            ItemOutcome folderGone = job.verify(archive);
            assertThat(folderGone.verified()).isFalse();
            assertThat(folderGone.targetChecksum()).isNull();
        }
    }

    private static void expungeFirst(String folderName) throws Exception {
        IMAPStore store = (IMAPStore) Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", target.getImap().getPort(), "alice@pdn", "alice-tgt");
        try {
            Folder folder = store.getFolder(folderName);
            folder.open(Folder.READ_WRITE);
            Message first = folder.getMessage(1);
            first.setFlag(Flag.DELETED, true);
            folder.close(true); // expunges
        } finally {
            store.close();
        }
    }
}

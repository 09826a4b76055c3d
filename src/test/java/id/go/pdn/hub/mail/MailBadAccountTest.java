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
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One account with a wrong password fails that account (a FAILED item naming it), not the other accounts of the route. */
class MailBadAccountTest {

    @RegisterExtension
    static GreenMailExtension source = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());
    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void aWrongPasswordFailsItsAccountOnly() throws Exception {
        source.setUser("alice@dinas.go.id", "alice", "alice-src");
        source.setUser("bob@dinas.go.id", "bob", "bob-src");
        target.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        target.setUser("bob@pdn.go.id", "bob@pdn", "bob-tgt");
        try (ImapTestClient alice = new ImapTestClient("127.0.0.1", source.getImap().getPort(), "alice", "alice-src")) {
            alice.append("INBOX", MailSamples.plain("m1", "Rapat", "Agenda rapat"), flags(Flag.SEEN), day(1));
            alice.append("INBOX", MailSamples.plain("m2", "Surat", "isi"), flags(), day(2));
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.of(
                new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"},
                new String[] {"bob", "not-bobs-password", "bob@pdn", "bob-tgt"}));
        try (TestHub hub = TestHub.builder(dir.resolve("data")).route("bad-account.yaml", MailSamples.route("bad-account-mail",
                MailMigrationTest.url(source), MailMigrationTest.url(target), accounts, "")).start()) {
            RunSummary run = hub.run("bad-account-mail");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).as("alice's INBOX is copied").isEqualTo(1);
            assertThat(run.rows()).isEqualTo(2);
            List<LedgerItem> failed = hub.ledger().items("bad-account-mail", ItemStatus.FAILED);
            assertThat(failed).singleElement().satisfies(item -> {
                assertThat(item.key()).startsWith("bob ");
                assertThat(item.lastError()).contains("account bob", "bad-account-mail", "Cannot log in", "check the accounts file");
            });
        }
    }
}

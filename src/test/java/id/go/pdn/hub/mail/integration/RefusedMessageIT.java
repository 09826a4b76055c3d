package id.go.pdn.hub.mail.integration;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.mail.MailSamples;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message the target refuses: GreenMail holds a message with a 60-character keyword, which Dovecot (at most 50) will
 * not store. The refusal is
 * reported with account, folder, UID and Dovecot's answer, in the reject log too, and the other messages are copied.
 */
class RefusedMessageIT extends DovecotTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void aRefusedMessageIsReportedAndTheOthersAreCopied() throws Exception {
        greenMail.setUser("dewi@dinas.go.id", "dewi", "dewi-src");
        String user = newUser("dewi", "dewi-pw");
        try (ImapTestClient src = new ImapTestClient(HOST, greenMail.getImap().getPort(), "dewi", "dewi-src")) {
            src.append("INBOX", MailSamples.plain("ok1", "Satu", "isi"), flags(), day(1));
            src.append("INBOX", MailSamples.plain("long", "Kata kunci panjang", "isi"), flags("$" + "x".repeat(60)), day(2));
            src.append("INBOX", MailSamples.plain("ok2", "Dua", "isi"), flags(), day(3));
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {"dewi", "dewi-src", user, "dewi-pw"}));
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", MailSamples.route("dewi-mail",
                "imap://127.0.0.1:" + greenMail.getImap().getPort() + "?plain=true", targetUrl(), accounts, "")).start()) {
            RunSummary run = hub.run("dewi-mail");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            String error = hub.ledger().items("dewi-mail", ItemStatus.FAILED).get(0).lastError();
            assertThat(error).contains("Cannot copy dewi INBOX uid [1, 3]", "refused 1 of 3 messages", "account dewi folder INBOX uid 2",
                    "Keyword length too long");
            Path log = hub.dataDir.resolve("reports/surat/dewi-mail.mail.reject.log");
            assertThat(Files.readString(log)).contains("account dewi folder INBOX uid 2 (");
        }
        try (ImapTestClient tgt = target(user, "dewi-pw")) {
            assertThat(tgt.messages("INBOX")).hasSize(2);
        }
    }

    @Test
    void aFolderNameTheTargetRefusesFailsAtOnceWithDovecotsWordsAndTheOtherFoldersGoOn() throws Exception {
        greenMail.setUser("eko@dinas.go.id", "eko", "eko-src");
        String user = newUser("eko", "eko-pw");
        try (ImapTestClient src = new ImapTestClient(HOST, greenMail.getImap().getPort(), "eko", "eko-src")) {
            src.append("INBOX", MailSamples.plain("i1", "Masuk", "isi"), flags(), day(1));
            src.append("~Pribadi", MailSamples.plain("p1", "Pribadi", "isi"), flags(), day(2)); // Dovecot: "Begins with '~'"
            src.append("Arsip", MailSamples.plain("a1", "Arsip", "isi"), flags(), day(3));
        }
        Path accounts = MailSamples.accountsFile(dir.resolve("config"), List.<String[]>of(new String[] {"eko", "eko-src", user, "eko-pw"}));
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("mail.yaml", MailSamples.route("eko-mail",
                "imap://127.0.0.1:" + greenMail.getImap().getPort() + "?plain=true", targetUrl(), accounts, "")).start()) {
            RunSummary run = hub.run("eko-mail");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).as("INBOX and Arsip").isEqualTo(2);
            assertThat(hub.ledger().items("eko-mail", ItemStatus.DEAD)).isEmpty();
            var failed = hub.ledger().items("eko-mail", ItemStatus.FAILED);
            assertThat(failed).singleElement().satisfies(item -> {
                assertThat(item.attempts()).as("one attempt, not retried").isEqualTo(1);
                assertThat(item.lastError()).contains("Cannot create folder '~Pribadi' on the target", "Begins with '~'",
                        "account " + user, "source folder eko ~Pribadi", "folderMap");
            });
        }
        try (ImapTestClient tgt = target(user, "eko-pw")) {
            assertThat(tgt.messages("Arsip")).hasSize(1);
        }
    }
}

package id.go.pdn.hub.mail;

import static id.go.pdn.hub.mail.MailSamples.day;
import static id.go.pdn.hub.mail.MailSamples.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import jakarta.mail.Folder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MailAppender} reports the UIDs the server gave (UIDPLUS APPENDUID): the copy reads back exactly those messages.
 */
class MailAppenderTest {

    @RegisterExtension
    static GreenMailExtension target = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @Test
    void theUidsOfTheAppendUidAnswerNameTheAppendedBytes() throws Exception {
        target.setUser("bob@pdn.go.id", "bob", "bob-tgt");
        MailServer server = MailServer.parse("target", "imap://127.0.0.1:" + target.getImap().getPort() + "?plain=true");
        IMAPStore store = server.connect("bob", "bob-tgt");
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            long validity;
            inbox.open(Folder.READ_ONLY);
            validity = inbox.getUIDValidity();
            inbox.close(false);
            List<byte[]> messages = List.of(MailSamples.plain("u1", "Satu", "satu"), MailSamples.plain("u2", "Dua", "dua"),
                    MailSamples.withoutMessageId("tiga"));
            List<Long> uids = new ArrayList<>();
            Map<Long, String> sent = new HashMap<>();
            long[] reportedValidity = {0};
            MailAppender appender = new MailAppender(inbox, (body, answer) -> { }, (bodies, uidValidity, given) -> {
                reportedValidity[0] = uidValidity;
                for (int i = 0; i < given.size(); i++) {
                    uids.add(given.get(i));
                    sent.put(given.get(i), bodies.get(i).sha256());
                }
            });
            long uid = 1;
            for (byte[] bytes : messages) {
                appender.add(new MailFetcher.Body(new MailFetcher.Meta(uid++, flags(Flag.SEEN), day(1), bytes.length, ""), bytes, null,
                        bytes.length, MailFetcher.sha256(bytes)));
            }
            appender.flush();

            assertThat(reportedValidity[0]).isEqualTo(validity);
            assertThat(uids).hasSize(3).doesNotHaveDuplicates();
            inbox.open(Folder.READ_ONLY);
            try {
                List<MailFetcher.Meta> there = new ArrayList<>(MailFetcher.metasByUid(inbox, uids).values());
                there.sort(java.util.Comparator.comparingLong(MailFetcher.Meta::uid));
                Map<Long, String> read = new HashMap<>();
                MailFetcher.read(inbox, there, false, body -> read.put(body.meta().uid(), body.sha256()));
                assertThat(read).isEqualTo(sent); // each UID holds the bytes appended as it
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void uidSetsAreExpandedAndImplausibleOnesRefused() {
        assertThat(MailAppender.uids("3955:3957,3960", 4)).containsExactly(3955L, 3956L, 3957L, 3960L);
        assertThat(MailAppender.uids("12:10", 3)).containsExactly(10L, 11L, 12L);
        assertThat(MailAppender.uids("1:4000000000", 100)).isEmpty();
        assertThat(MailAppender.uids("1,2,3", 2)).isEmpty();
    }
}

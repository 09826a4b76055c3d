package id.go.pdn.hub.cli.command;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Properties;

/**
 * The demo's two embedded IMAP servers (GreenMail on free loopback ports): the local server of "simpeg", seeded with
 * a few accounts and awkward mail (nested and empty folders, flags and keywords, no Message-ID, broken headers and no
 * Date), and
 * an empty national server. The accounts file and its password files are written to the demo folder.
 */
final class MailDemoServers implements AutoCloseable {

    private static final String[][] ACCOUNTS = {{"budi", "budi@pdn.go.id"}, {"sari", "sari@pdn.go.id"}, {"joko", "joko@pdn.go.id"}};

    final GreenMail source = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
    final GreenMail target = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
    final Path accounts;
    int messages;

    MailDemoServers(Path dir) throws Exception {
        source.start();
        target.start();
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("sourceUser,targetUser,sourcePassword,targetPassword\n");
        ImapHostManager imap = source.getManagers().getImapHostManager();
        for (String[] account : ACCOUNTS) {
            String sourcePassword = account[0] + "-lokal";
            String targetPassword = account[0] + "-pdn";
            GreenMailUser user = source.setUser(account[0] + "@simpeg.go.id", account[0], sourcePassword);
            target.setUser(account[1], account[1], targetPassword);
            Path sp = DemoCommand.ownerOnly(dir.resolve(account[0] + ".source.password"), sourcePassword);
            Path tp = DemoCommand.ownerOnly(dir.resolve(account[0] + ".target.password"), targetPassword);
            csv.append(account[0]).append(',').append(account[1]).append(",file:").append(sp).append(",file:").append(tp).append('\n');
            seed(imap, user, account[0]);
        }
        accounts = Files.writeString(dir.resolve("mail-accounts.csv"), csv.toString());
    }

    private void seed(ImapHostManager imap, GreenMailUser user, String name) throws Exception {
        MailFolder inbox = imap.getInbox(user);
        for (int i = 1; i <= 5; i++) {
            append(inbox, message("<" + name + "-" + i + "@simpeg.go.id>", "Surat " + i + " untuk " + name, "Isi surat " + i),
                    i % 2 == 0 ? flags(Flags.Flag.SEEN) : flags("$Label1"), i);
        }
        append(inbox, ("From: sistem@simpeg.go.id\r\nSubject: tanpa Message-ID\r\n\r\nPesan otomatis\r\n").getBytes(StandardCharsets.US_ASCII),
                flags(Flags.Flag.FLAGGED), 6);
        // 7-bit only: GreenMail itself re-encodes 8-bit header bytes on APPEND (8-bit mail is tested against Dovecot)
        byte[] broken = ("From: =?utf-8?B?rusak?= <x@y>\r\nSubject: =?x-unknown?Q?Laporan_=E9?=\r\nBaris tanpa titik dua\r\n"
                + "Content-Type: text/plain; charset=\"x-unknown\"\r\nMessage-ID: <" + name + "-rusak@simpeg.go.id>\r\n\r\nisi\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        append(inbox, broken, flags(), 7);
        MailFolder archive = imap.createMailbox(user, "Arsip");
        MailFolder year = imap.createMailbox(user, "Arsip.2024");
        append(year, message("<" + name + "-a1@simpeg.go.id>", "Arsip 2024", "lama"), flags(Flags.Flag.SEEN, Flags.Flag.ANSWERED), 8);
        MailFolder sent = imap.createMailbox(user, "Sent Items");
        append(sent, message("<" + name + "-s1@simpeg.go.id>", "Balasan", "terkirim"), flags(Flags.Flag.SEEN), 9);
        imap.createMailbox(user, "Kosong");
        archive.getMessageCount();
    }

    private void append(MailFolder folder, byte[] raw, Flags flags, int day) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        folder.appendMessage(message, flags, new Date(1704067200000L + day * 86_400_000L));
        messages++;
    }

    private static byte[] message(String id, String subject, String body) {
        return ("From: Kepegawaian <kepegawaian@simpeg.go.id>\r\nTo: staf@simpeg.go.id\r\nSubject: " + subject
                + "\r\nDate: Mon, 1 Jan 2024 09:00:00 +0700\r\nMessage-ID: " + id + "\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Flags flags(Object... flags) {
        Flags result = new Flags();
        for (Object f : flags) {
            if (f instanceof Flags.Flag system) {
                result.add(system);
            } else {
                result.add((String) f);
            }
        }
        return result;
    }

    String sourceUrl() {
        return "imap://127.0.0.1:" + source.getImap().getPort() + "?plain=true";
    }

    String targetUrl() {
        return "imap://127.0.0.1:" + target.getImap().getPort() + "?plain=true";
    }

    @Override
    public void close() {
        source.stop();
        target.stop();
    }
}

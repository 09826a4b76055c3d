package id.go.pdn.hub.mail;

import jakarta.mail.Flags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/** Raw test messages, including the awkward ones a real mailbox holds. */
public final class MailSamples {

    private MailSamples() {
    }

    public static byte[] plain(String id, String subject, String body) {
        return ("From: Budi <budi@dinas.go.id>\r\nTo: alice@dinas.go.id\r\nSubject: " + subject
                + "\r\nDate: Mon, 2 Jan 2023 09:00:00 +0700\r\nMessage-ID: <" + id + "@dinas.go.id>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] withoutMessageId(String body) {
        return ("From: sistem@dinas.go.id\r\nTo: alice@dinas.go.id\r\nSubject: no id\r\nDate: Tue, 3 Jan 2023 10:00:00 +0700\r\n\r\n"
                + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** 8-bit bytes in headers (Latin-1 and broken UTF-8), a line that is no header, no Date, a bad charset name. */
    public static byte[] malformed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("From: =?utf-8?B?broken?= <x@y>\r\nSubject: Laporan ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0xE9, (byte) 0xC3, 0x28, (byte) 0xFF});
        out.writeBytes(("\r\nThis line is not a header\r\nX-Folded: a\r\n\tb\r\nContent-Type: text/plain; charset=\"x-unknown\"\r\n"
                + "Message-ID: <malformed-1@dinas.go.id>\r\n\r\nbody with 8-bit ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0xA0, (byte) 0xE2, (byte) 0x82});
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A message of about this many bytes with a base64 "attachment". */
    public static byte[] large(String id, int bytes) {
        StringBuilder text = new StringBuilder("From: a@b\r\nTo: c@d\r\nSubject: big\r\nMessage-ID: <" + id + "@dinas.go.id>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        String line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
        while (text.length() < bytes) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static Flags flags(Object... flags) {
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

    /** 2023-01-0N 08:00:00 UTC, whole seconds (IMAP internal dates have no milliseconds). */
    public static Date day(int n) {
        return new Date(1672560000000L + (n - 1) * 86_400_000L);
    }

    /** Writes an accounts file whose passwords come from files beside it. */
    public static Path accountsFile(Path dir, List<String[]> accounts) throws Exception {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("# test accounts\nsourceUser,targetUser,sourcePassword,targetPassword\n");
        for (String[] a : accounts) { // sourceUser, sourcePassword, targetUser, targetPassword
            Path sp = Files.writeString(dir.resolve(a[0] + ".src.pw"), a[1] + "\n");
            Path tp = Files.writeString(dir.resolve(a[2] + ".tgt.pw"), a[3] + "\n");
            csv.append(a[0]).append(',').append(a[2]).append(",file:").append(sp).append(",file:").append(tp).append('\n');
        }
        return Files.writeString(dir.resolve("accounts.csv"), csv.toString());
    }

    /** A mail migration route in the short form. */
    public static String route(String id, String source, String target, Path accounts, String extra) {
        return "- route:\n    id: " + id + "\n    from:\n      uri: migration:mail\n      parameters:\n"
                + "        application: surat\n        source: \"" + source + "\"\n        target: \"" + target + "\"\n"
                + "        accounts: \"" + accounts + "\"\n" + extra
                + "      steps:\n        - log: \"${body}\"\n";
    }
}

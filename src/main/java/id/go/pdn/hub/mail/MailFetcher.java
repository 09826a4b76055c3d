package id.go.pdn.hub.mail;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Reads messages from an open IMAP folder through Jakarta Mail's protocol layer, always with {@code BODY.PEEK}
 * (never sets \Seen). Small messages come many per {@code UID FETCH} (one round trip per batch, where
 * {@code IMAPMessage} would take one per message); a message above {@link MailServer#BLOCK_SIZE} is streamed by
 * {@code IMAPMessage.writeTo} in blocks of that size into a spool file, so a 50 MB attachment never sits on the heap.
 */
final class MailFetcher {

    /** What a FETCH says of a message before its body is read. messageId is "" when the message has none. */
    record Meta(long uid, Flags flags, Date internalDate, long size, String messageId) {
    }

    /** A message's bytes (in memory, or in a spool file the caller deletes) and their SHA-256. */
    record Body(Meta meta, byte[] bytes, Path file, long size, String sha256) {
    }

    @FunctionalInterface
    interface BodyHandler {
        void accept(Body body) throws Exception;
    }

    private static final long BATCH_BYTES = 2L * MailServer.BLOCK_SIZE;
    private static final int BATCH_MESSAGES = 250;

    private MailFetcher() {
    }

    /** Flags and internal dates of these UIDs (those that still exist in the folder), by UID. */
    static Map<Long, Meta> metasByUid(IMAPFolder folder, List<Long> uids) throws MessagingException {
        Map<Long, Meta> metas = new HashMap<>();
        if (uids.isEmpty()) {
            return metas;
        }
        List<Long> sorted = uids.stream().sorted().distinct().toList();
        for (Meta meta : metas(folder, uidSet(sorted), sorted.get(0), sorted.get(sorted.size() - 1))) {
            metas.put(meta.uid(), meta);
        }
        return metas;
    }

    /** UIDs, flags, internal dates, sizes and Message-IDs of the messages of a UID set (e.g. "1:500", "17:*"). */
    static List<Meta> metas(IMAPFolder folder, String uidSet, long minUid, long maxUid) throws MessagingException {
        String command = "UID FETCH " + uidSet + " (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";
        List<Meta> metas = new ArrayList<>();
        for (FetchResponse fetch : fetch(folder, command)) {
            UID uid = fetch.getItem(UID.class);
            // "17:*" also answers the last message when it is below 17
            if (uid == null || uid.uid < minUid || uid.uid > maxUid) {
                continue;
            }
            FLAGS flags = fetch.getItem(FLAGS.class);
            INTERNALDATE date = fetch.getItem(INTERNALDATE.class);
            RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
            BODY header = fetch.getItem(BODY.class);
            metas.add(new Meta(uid.uid, flags == null ? new Flags() : new Flags(flags), date == null ? null : date.getDate(),
                    size == null ? -1 : size.size, header == null ? "" : messageId(header.getByteArray() == null ? null : header.getByteArray().getNewBytes())));
        }
        return metas;
    }

    /** UID -> RFC822.SIZE of every message of a folder, in UID order: one FETCH, no bodies, no headers. */
    static java.util.SortedMap<Long, Long> sizes(IMAPFolder folder) throws MessagingException {
        java.util.SortedMap<Long, Long> sizes = new java.util.TreeMap<>();
        for (FetchResponse fetch : fetch(folder, "UID FETCH 1:* (UID RFC822.SIZE)")) {
            UID uid = fetch.getItem(UID.class);
            RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
            if (uid != null) {
                sizes.put(uid.uid, size == null ? 0 : size.size);
            }
        }
        return sizes;
    }

    /** UID -> flags and keywords ({@link #flagText}) of every message of a folder, in UID order: one FETCH, no bodies. */
    static java.util.SortedMap<Long, String> flags(IMAPFolder folder) throws MessagingException {
        java.util.SortedMap<Long, String> flags = new java.util.TreeMap<>();
        for (FetchResponse fetch : fetch(folder, "UID FETCH 1:* (UID FLAGS)")) {
            UID uid = fetch.getItem(UID.class);
            FLAGS f = fetch.getItem(FLAGS.class);
            if (uid != null) {
                flags.put(uid.uid, flagText(f == null ? new Flags() : f));
            }
        }
        return flags;
    }

    /**
     * Flags and keywords as compared on both sides: system flags but \Recent (the server's), then keywords, sorted,
     * e.g. "$Label1 \Flagged \Seen".
     */
    static String flagText(Flags flags) {
        List<String> names = new ArrayList<>();
        for (Flags.Flag flag : flags.getSystemFlags()) {
            String name = flag == Flags.Flag.ANSWERED ? "\\Answered" : flag == Flags.Flag.DELETED ? "\\Deleted"
                    : flag == Flags.Flag.DRAFT ? "\\Draft" : flag == Flags.Flag.FLAGGED ? "\\Flagged"
                    : flag == Flags.Flag.SEEN ? "\\Seen" : null;
            if (name != null) {
                names.add(name);
            }
        }
        names.addAll(List.of(flags.getUserFlags()));
        names.sort(null);
        return String.join(" ", names);
    }

    /** The UIDs of a folder from {@code fromUid} on. */
    static List<Long> uids(IMAPFolder folder, long fromUid) throws MessagingException {
        List<Long> uids = new ArrayList<>();
        for (FetchResponse fetch : fetch(folder, "UID FETCH " + fromUid + ":* (UID)")) {
            UID uid = fetch.getItem(UID.class);
            if (uid != null && uid.uid >= fromUid) {
                uids.add(uid.uid);
            }
        }
        uids.sort(null);
        return uids;
    }

    /**
     * Reads the bodies of these messages in UID order and hands each to the handler, hashed; when spool is false a
     * big message is only hashed (no bytes, no file).
     */
    static void read(IMAPFolder folder, List<Meta> metas, boolean spool, BodyHandler handler) throws Exception {
        List<Meta> batch = new ArrayList<>();
        long batchBytes = 0;
        for (Meta meta : metas) {
            if (meta.size() > MailServer.BLOCK_SIZE) {
                readBatch(folder, batch, handler);
                batch.clear();
                batchBytes = 0;
                readLarge(folder, meta, spool, handler);
                continue;
            }
            batch.add(meta);
            batchBytes += Math.max(meta.size(), 0);
            if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_MESSAGES) {
                readBatch(folder, batch, handler);
                batch.clear();
                batchBytes = 0;
            }
        }
        readBatch(folder, batch, handler);
    }

    private static void readBatch(IMAPFolder folder, List<Meta> batch, BodyHandler handler) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        java.util.Map<Long, byte[]> bodies = new java.util.HashMap<>();
        for (FetchResponse fetch : fetch(folder, "UID FETCH " + uidSet(batch.stream().map(Meta::uid).toList()) + " (UID BODY.PEEK[])")) {
            UID uid = fetch.getItem(UID.class);
            BODY body = fetch.getItem(BODY.class);
            if (uid != null && body != null) {
                ByteArray array = body.getByteArray();
                bodies.put(uid.uid, array == null ? new byte[0] : array.getNewBytes());
            }
        }
        for (Meta meta : batch) {
            byte[] bytes = bodies.remove(meta.uid());
            if (bytes == null) {
                throw new MessagingException("the server sent no body for uid " + meta.uid() + " of " + folder.getFullName()
                        + " (expunged meanwhile?)");
            }
            handler.accept(new Body(meta, bytes, null, bytes.length, sha256(bytes)));
        }
    }

    private static void readLarge(IMAPFolder folder, Meta meta, boolean spool, BodyHandler handler) throws Exception {
        IMAPMessage message = (IMAPMessage) folder.getMessageByUID(meta.uid());
        if (message == null) {
            throw new MessagingException("uid " + meta.uid() + " of " + folder.getFullName() + " is gone (expunged meanwhile?)");
        }
        message.setPeek(true);
        MessageDigest digest = sha256();
        Path file = spool ? Files.createTempFile("hub-mail-", ".eml") : null;
        try {
            long size;
            try (CountingStream out = new CountingStream(new DigestOutputStream(
                    file == null ? OutputStream.nullOutputStream() : Files.newOutputStream(file), digest))) {
                message.writeTo(out);
                size = out.count;
            }
            handler.accept(new Body(meta, null, file, size, HexFormat.of().formatHex(digest.digest())));
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A command on the selected folder (e.g. UID STORE, UID EXPUNGE); a NO or BAD answer throws with the server's words. */
    static void command(IMAPFolder folder, String command) throws MessagingException {
        folder.doCommand(p -> {
            Response[] responses = p.command(command, null);
            p.notifyResponseHandlers(responses);
            p.handleResult(responses[responses.length - 1]);
            return null;
        });
    }

    private static List<FetchResponse> fetch(IMAPFolder folder, String command) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<FetchResponse> fetches = (List<FetchResponse>) folder.doCommand(p -> {
            Response[] responses = p.command(command, null);
            List<FetchResponse> found = new ArrayList<>();
            for (Response response : responses) {
                if (response instanceof FetchResponse fetch) {
                    found.add(fetch);
                }
            }
            p.notifyResponseHandlers(responses);
            p.handleResult(responses[responses.length - 1]);
            return found;
        });
        return fetches;
    }

    /** "1:3,7,9:12" for sorted UIDs. */
    static String uidSet(List<Long> uids) {
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < uids.size(); i++) {
            long start = uids.get(i);
            long end = start;
            while (i + 1 < uids.size() && uids.get(i + 1) == end + 1) {
                end = uids.get(++i);
            }
            if (set.length() > 0) {
                set.append(',');
            }
            set.append(start);
            if (end != start) {
                set.append(':').append(end);
            }
        }
        return set.toString();
    }

    /** The Message-ID header's value (unfolded, trimmed) in a header block, or "" if there is none. */
    static String messageId(byte[] header) {
        if (header == null) {
            return "";
        }
        String text = new String(header, StandardCharsets.ISO_8859_1).replaceAll("\r?\n[ \t]+", " ");
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("message-id")) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    static String sha256(byte[] bytes) {
        return id.go.pdn.hub.core.Hashes.sha256Hex(bytes);
    }

    static MessageDigest sha256() {
        return id.go.pdn.hub.core.Hashes.sha256();
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

package id.go.pdn.hub.mail;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;

/**
 * Appends raw messages to one target folder with APPEND commands written through Jakarta Mail's protocol layer, the
 * message bytes as literals exactly as fetched (its {@code appendUIDMessages} would normalize line endings). On a
 * server that offers MULTIAPPEND (RFC 3502, e.g. Dovecot) small messages go many per command (one round trip per
 * batch); the command is atomic: if the server refuses it, nothing of the batch was stored, and the batch is appended
 * again one message at a time, which finds the refused message. Big (spooled) messages go one at a time, streamed
 * from their spool file. Where the server answers with UIDPLUS's {@code APPENDUID} (RFC 4315; Dovecot, GreenMail), the
 * UIDs it gave the messages go to an {@link AppendedHandler}: the caller reads back exactly those messages.
 */
final class MailAppender {

    @FunctionalInterface
    interface RefusedHandler {
        void refused(MailFetcher.Body body, String answer);
    }

    /**
     * Messages the server stored with one APPEND command: its UIDVALIDITY and the UIDs it gave them (APPENDUID), in the
     * order of the UID set; {@code uidValidity} is -1 and {@code uids} empty when the server did not say.
     */
    @FunctionalInterface
    interface AppendedHandler {
        void appended(List<MailFetcher.Body> bodies, long uidValidity, List<Long> uids);
    }

    private static final java.util.regex.Pattern APPENDUID =
            java.util.regex.Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)\\]", java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MailAppender.class);
    private static final int BATCH_MESSAGES = 100;
    private static final long BATCH_BYTES = 2L * MailServer.BLOCK_SIZE;

    private final IMAPFolder folder;
    private final boolean multiAppend;
    private final RefusedHandler onRefused;
    private final AppendedHandler onAppended;
    private final List<MailFetcher.Body> batch = new ArrayList<>();
    private long batchBytes;

    MailAppender(IMAPFolder folder, RefusedHandler onRefused) throws MessagingException {
        this(folder, onRefused, (bodies, uidValidity, uids) -> { });
    }

    MailAppender(IMAPFolder folder, RefusedHandler onRefused, AppendedHandler onAppended) throws MessagingException {
        this.folder = folder;
        this.multiAppend = ((IMAPStore) folder.getStore()).hasCapability("MULTIAPPEND");
        this.onRefused = onRefused;
        this.onAppended = onAppended;
    }

    /** Appends the message now (a spooled one, whose file is gone after the caller returns) or with its batch. */
    void add(MailFetcher.Body body) throws MessagingException {
        if (body.bytes() == null || !multiAppend) {
            appendOne(body);
            return;
        }
        batch.add(body);
        batchBytes += body.size();
        if (batch.size() >= BATCH_MESSAGES || batchBytes >= BATCH_BYTES) {
            flush();
        }
    }

    /** Appends what is waiting; call it before reading the folder back. */
    void flush() throws MessagingException {
        try {
            if (batch.size() > 1) {
                try {
                    appendBatch();
                    return;
                } catch (MessagingException e) {
                    if (!refused(e)) {
                        throw e;
                    }
                    // atomic: nothing of the batch was stored; one by one finds the refused message(s)
                }
            }
            for (MailFetcher.Body body : batch) {
                appendOne(body);
            }
        } finally {
            batch.clear();
            batchBytes = 0;
        }
    }

    private void appendBatch() throws MessagingException {
        LOG.trace("MULTIAPPEND of {} messages ({} bytes) to {}", batch.size(), batchBytes, folder.getFullName());
        appended(batch, appendRaw(batch));
    }

    /** Hands what one APPEND stored to the handler, with the UIDs of its APPENDUID answer when it has one per message. */
    private void appended(List<MailFetcher.Body> bodies, Response answer) {
        java.util.regex.Matcher m = APPENDUID.matcher(answer == null ? "" : answer.toString());
        if (m.find()) {
            List<Long> uids = uids(m.group(2), bodies.size());
            if (uids.size() == bodies.size()) {
                onAppended.appended(List.copyOf(bodies), Long.parseLong(m.group(1)), uids);
                return;
            }
        }
        onAppended.appended(List.copyOf(bodies), -1, List.of());
    }

    /**
     * "3955:3957,3960" -> [3955, 3956, 3957, 3960] (a range may be written high:low); empty when the set holds more than
     * {@code max} UIDs.
     */
    static List<Long> uids(String set, int max) {
        List<Long> uids = new ArrayList<>();
        for (String part : set.split(",")) {
            String[] ends = part.split(":");
            long a = Long.parseLong(ends[0]);
            long b = ends.length > 1 ? Long.parseLong(ends[1]) : a;
            if (Math.abs(a - b) >= max) {
                return List.of();
            }
            for (long uid = Math.min(a, b); uid <= Math.max(a, b); uid++) {
                uids.add(uid);
            }
            if (uids.size() > max) {
                return List.of();
            }
        }
        return uids;
    }

    /**
     * One APPEND command with the messages as raw literals: the bytes go out exactly as fetched (Jakarta Mail's own
     * append would turn a lone CR or LF of malformed mail into CRLF). One message needs no MULTIAPPEND.
     */
    private Response appendRaw(List<MailFetcher.Body> messages) throws MessagingException {
        String mailbox = BASE64MailboxEncoder.encode(folder.getFullName());
        return (Response) folder.doCommand(p -> {
            Argument args = new Argument();
            args.writeString(mailbox);
            for (MailFetcher.Body body : messages) {
                args.writeAtom(flagList(body.meta().flags()));
                if (body.meta().internalDate() != null) {
                    args.writeString(INTERNALDATE.format(body.meta().internalDate()));
                }
                if (body.bytes() != null) {
                    args.writeBytes(body.bytes());
                } else {
                    args.writeBytes(spooled(body)); // streamed from the spool file, never whole on the heap
                }
            }
            Response[] responses = p.command("APPEND", args);
            p.notifyResponseHandlers(responses);
            p.handleResult(responses[responses.length - 1]);
            return responses[responses.length - 1];
        });
    }

    private static org.eclipse.angus.mail.iap.Literal spooled(MailFetcher.Body body) {
        return new org.eclipse.angus.mail.iap.Literal() {
            @Override
            public int size() {
                return Math.toIntExact(body.size());
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                java.nio.file.Files.copy(body.file(), out);
            }
        };
    }

    private void appendOne(MailFetcher.Body body) throws MessagingException {
        try {
            appended(List.of(body), appendRaw(List.of(body)));
        } catch (MessagingException e) {
            if (!refused(e)) {
                throw e;
            }
            onRefused.refused(body, id.go.pdn.hub.core.Errors.oneLine(e));
        }
    }

    /** "(\Seen $Label1)": system flags and keywords; \Recent belongs to the server. */
    static String flagList(Flags flags) {
        StringBuilder list = new StringBuilder("(");
        for (Flags.Flag flag : flags.getSystemFlags()) {
            String name = flag == Flags.Flag.ANSWERED ? "\\Answered" : flag == Flags.Flag.DELETED ? "\\Deleted"
                    : flag == Flags.Flag.DRAFT ? "\\Draft" : flag == Flags.Flag.FLAGGED ? "\\Flagged"
                    : flag == Flags.Flag.SEEN ? "\\Seen" : null;
            if (name != null) {
                list.append(list.length() > 1 ? " " : "").append(name);
            }
        }
        for (String keyword : flags.getUserFlags()) {
            list.append(list.length() > 1 ? " " : "").append(keyword);
        }
        return list.append(')').toString();
    }

    /** NO or BAD to an APPEND: refused content (too big, bad, quota); a lost connection is not a refusal. */
    static boolean refused(MessagingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommandFailedException || t instanceof BadCommandException) {
                return true;
            }
        }
        return false;
    }
}

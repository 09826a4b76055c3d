package id.go.pdn.hub.mail;

import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;

/**
 * A message as the source server sent it, for {@code IMAPFolder.appendUIDMessages}: {@link #writeTo} writes the
 * original bytes (from memory, or from a spool file for big messages) and nothing else. It is never parsed, so
 * malformed mail (broken or 8-bit headers, no Date) reaches the target unchanged and no header is added.
 * Jakarta Mail sends it as an APPEND literal with these flags (keywords included) and this internal date.
 */
final class RawMessage extends MimeMessage {

    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final Flags rawFlags;
    private final Date internalDate;

    private RawMessage(Session session, byte[] bytes, Path file, long size, Flags flags, Date internalDate) {
        super(session);
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.rawFlags = new Flags(flags);
        this.rawFlags.remove(Flags.Flag.RECENT); // set by the server only
        this.internalDate = internalDate;
    }

    static RawMessage of(Session session, MailFetcher.Body body) {
        return new RawMessage(session, body.bytes(), body.file(), body.size(), body.meta().flags(), body.meta().internalDate());
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (bytes != null) {
            out.write(bytes);
        } else {
            Files.copy(file, out);
        }
    }

    @Override
    public void writeTo(OutputStream out, String[] ignoreHeaders) throws IOException {
        writeTo(out);
    }

    @Override
    public int getSize() {
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    @Override
    public Flags getFlags() {
        return new Flags(rawFlags);
    }

    @Override
    public synchronized boolean isSet(Flags.Flag flag) {
        return rawFlags.contains(flag);
    }

    @Override
    public Date getReceivedDate() {
        return internalDate;
    }
}

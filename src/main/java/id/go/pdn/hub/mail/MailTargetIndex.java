package id.go.pdn.hub.mail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * What one target folder holds, by content: the SHA-256 of each message's bytes as the target serves them. This is
 * what makes "no duplicates" hold after an interrupted run, a UIDVALIDITY change or a second source of the same mail:
 * a message is appended only if its hash is not here.
 * <p>
 * Building it does not download the folder: messages are first known by Message-ID and size only (one FETCH), and a
 * message is downloaded and hashed only when a source message with the same Message-ID and size asks for it.
 * Messages this hub appends are always read back and hashed: that read-back is the verification.
 * <p>
 * Not thread-safe: the capability holds the folder's lock while it uses the index.
 */
final class MailTargetIndex {

    private final long uidValidity;
    private long highestUid;
    private final Set<String> hashes = new HashSet<>();
    /** Messages not hashed yet, by Message-ID and size. */
    private final Map<String, List<MailFetcher.Meta>> unhashed = new HashMap<>();

    private MailTargetIndex(long uidValidity) {
        this.uidValidity = uidValidity;
    }

    /** Indexes an open target folder (Message-ID and size of each message). */
    static MailTargetIndex build(IMAPFolder folder) throws Exception {
        MailTargetIndex index = new MailTargetIndex(folder.getUIDValidity());
        index.catchUp(folder, false);
        return index;
    }

    long uidValidity() {
        return uidValidity;
    }

    /** Takes in the messages that arrived since the last look; with hashAll, downloads and hashes them (read-back). */
    void catchUp(IMAPFolder folder, boolean hashAll) throws Exception {
        folder.doCommand(p -> {
            p.noop(); // the folder's view learns what other connections (ours included) appended
            return null;
        });
        if (folder.getMessageCount() == 0) {
            return;
        }
        List<MailFetcher.Meta> fresh = MailFetcher.metas(folder, (highestUid + 1) + ":*", highestUid + 1, Long.MAX_VALUE);
        for (MailFetcher.Meta meta : fresh) {
            highestUid = Math.max(highestUid, meta.uid());
        }
        if (hashAll) {
            MailFetcher.read(folder, fresh, false, body -> hashes.add(body.sha256()));
        } else {
            fresh.forEach(meta -> unhashed.computeIfAbsent(key(meta.messageId(), meta.size()), k -> new ArrayList<>()).add(meta));
        }
    }

    /** Whether the folder holds a message with these bytes; hashes the target's candidates (same Message-ID and size) first. */
    boolean contains(IMAPFolder folder, String sha256, String messageId, long size) throws Exception {
        if (hashes.contains(sha256)) {
            return true;
        }
        List<MailFetcher.Meta> candidates = unhashed.remove(key(messageId, size));
        if (candidates != null) {
            MailFetcher.read(folder, candidates, false, body -> hashes.add(body.sha256()));
        }
        return hashes.contains(sha256);
    }

    /** Whether a hash was seen on the target (after {@link #contains} or a hashing catch-up). */
    boolean holds(String sha256) {
        return hashes.contains(sha256);
    }

    private static String key(String messageId, long size) {
        return size + " " + messageId;
    }
}

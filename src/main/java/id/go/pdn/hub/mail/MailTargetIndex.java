package id.go.pdn.hub.mail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * What one target folder holds, by content: the SHA-256 of each message's bytes as the target serves them, with each
 * message's UID, flags and internal date. Identical messages are kept apart (a hash maps to every message that has it):
 * the capability matches a source message to a target message with the same hash and internal date that no other
 * source message claims ({@link MailCopies}); this is what makes "no duplicates" hold after an interrupted run, a
 * UIDVALIDITY change or a second source of the same mail, while n identical messages still give n.
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
    private final Map<String, List<MailFetcher.Meta>> hashes = new HashMap<>();
    /** UIDs of the messages in {@link #hashes}. */
    private final java.util.Set<Long> hashedUids = new java.util.HashSet<>();
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
        fresh = fresh.stream().filter(meta -> !hashedUids.contains(meta.uid())).toList(); // read back by their item already
        if (hashAll) {
            MailFetcher.read(folder, fresh, false, this::add);
        } else {
            fresh.forEach(meta -> unhashed.computeIfAbsent(key(meta.messageId(), meta.size()), k -> new ArrayList<>()).add(meta));
        }
    }

    /**
     * The folder's messages with these bytes, in UID order; hashes the target's candidates (same Message-ID and size)
     * first.
     */
    List<MailFetcher.Meta> withHash(IMAPFolder folder, String sha256, String messageId, long size) throws Exception {
        List<MailFetcher.Meta> candidates = unhashed.remove(key(messageId, size));
        if (candidates != null) {
            MailFetcher.read(folder, candidates, false, this::add);
        }
        return hashes.getOrDefault(sha256, List.of());
    }

    /**
     * A message this hub appended and read back (its target meta and the SHA-256 of the bytes the target served): the
     * index knows its hash without downloading it again.
     */
    void readBack(MailFetcher.Meta meta, String sha256) {
        List<MailFetcher.Meta> waiting = unhashed.get(key(meta.messageId(), meta.size()));
        if (waiting != null) {
            waiting.removeIf(m -> m.uid() == meta.uid());
        }
        add(new MailFetcher.Body(meta, null, null, meta.size(), sha256));
    }

    /** Forgets messages the hub expunged. */
    void removed(Set<Long> uids) {
        hashedUids.removeAll(uids);
        hashes.values().forEach(list -> list.removeIf(m -> uids.contains(m.uid())));
        unhashed.values().forEach(list -> list.removeIf(m -> uids.contains(m.uid())));
    }

    private void add(MailFetcher.Body body) {
        List<MailFetcher.Meta> same = hashes.computeIfAbsent(body.sha256(), k -> new ArrayList<>());
        if (same.stream().noneMatch(m -> m.uid() == body.meta().uid())) {
            hashedUids.add(body.meta().uid());
            same.add(body.meta());
            same.sort(java.util.Comparator.comparingLong(MailFetcher.Meta::uid));
        }
    }

    private static String key(String messageId, long size) {
        return size + " " + messageId;
    }
}

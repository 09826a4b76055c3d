package id.go.pdn.hub.mail;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's record of the hub's mail copies ({@code hub_mail_copy}, {@code hub_mail_folder}; Flyway V7): one row per
 * source message copied, naming its copy on the target. A message is immutable under its folder's UIDVALIDITY on both
 * sides, so a row whose target UID still exists proves the copy's bytes; this is how n identical messages stay n, how
 * flags are carried to the right copy, and how {@code deletions: mirror} finds the hub's own copies.
 */
final class MailCopies {

    /** One source message's copy. */
    record Copy(long uid, long targetUidValidity, long targetUid, String sha256) {
    }

    // looked up at first use: the ledger starts after the routes' pre-flight, which opens the jobs
    private final java.util.function.Supplier<JdbcTemplate> ledger;

    MailCopies(java.util.function.Supplier<JdbcTemplate> ledger) {
        this.ledger = ledger;
    }

    static String key(String migration, String user, String folder) {
        return MailFetcher.sha256((migration + "\u0000" + user + "\u0000" + folder).getBytes(StandardCharsets.UTF_8));
    }

    /** The copies of the source messages of a UID range (any target UIDVALIDITY), by source UID. */
    Map<Long, Copy> range(String folderKey, long uidValidity, long uidFrom, long uidTo) {
        Map<Long, Copy> copies = new TreeMap<>();
        jdbc().query("SELECT uid, target_uidvalidity, target_uid, sha256 FROM hub_mail_copy WHERE folder_key = ? AND uidvalidity = ? "
                + "AND uid BETWEEN ? AND ?", rs -> {
                    copies.put(rs.getLong(1), new Copy(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
                }, folderKey, uidValidity, uidFrom, uidTo);
        return copies;
    }

    /** Target UIDs that are the copy of some source message (of any folder of this migration), among messages with this hash. */
    Set<Long> claimed(String targetKey, long targetUidValidity, String sha256) {
        return new HashSet<>(jdbc().queryForList("SELECT target_uid FROM hub_mail_copy WHERE target_key = ? AND target_uidvalidity = ? "
                + "AND sha256 = ?", Long.class, targetKey, targetUidValidity, sha256));
    }

    void record(String folderKey, long uidValidity, String migration, String targetKey, long targetUidValidity,
                Collection<Copy> copies) {
        if (copies.isEmpty()) {
            return;
        }
        jdbc().batchUpdate("INSERT INTO hub_mail_copy (folder_key, uidvalidity, uid, migration, target_key, target_uidvalidity, "
                + "target_uid, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", copies.stream().map(c -> new Object[] {folderKey,
                        uidValidity, c.uid(), migration, targetKey, targetUidValidity, c.targetUid(), c.sha256()}).toList());
    }

    void forget(String folderKey, long uidValidity, Collection<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        jdbc().batchUpdate("DELETE FROM hub_mail_copy WHERE folder_key = ? AND uidvalidity = ? AND uid = ?",
                uids.stream().map(uid -> new Object[] {folderKey, uidValidity, uid}).toList());
    }

    /**
     * Forgets the copies recorded under another UIDVALIDITY of the source folder: those UIDs name nothing now, and the
     * target messages they held are free to be recognised by content as the copies of the renumbered messages.
     */
    int forgetOtherValidities(String folderKey, long uidValidity) {
        return jdbc().update("DELETE FROM hub_mail_copy WHERE folder_key = ? AND uidvalidity <> ?", folderKey, uidValidity);
    }

    /** The state and listing digest recorded at a folder's last listing. */
    Optional<String[]> folderState(String folderKey) {
        return jdbc().query("SELECT folder_state, listing FROM hub_mail_folder WHERE folder_key = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, folderKey).stream().findFirst();
    }

    void saveFolderState(String folderKey, String migration, String state, String listing) {
        if (jdbc().update("UPDATE hub_mail_folder SET folder_state = ?, listing = ? WHERE folder_key = ?", state, listing, folderKey) == 0) {
            jdbc().update("INSERT INTO hub_mail_folder (folder_key, migration, folder_state, listing) VALUES (?, ?, ?, ?)",
                    folderKey, migration, state, listing);
        }
    }

    void forgetFolderState(String folderKey) {
        jdbc().update("DELETE FROM hub_mail_folder WHERE folder_key = ?", folderKey);
    }

    static List<Long> uids(Collection<Copy> copies) {
        return copies.stream().map(Copy::uid).toList();
    }

    private JdbcTemplate jdbc() {
        return ledger.get();
    }
}

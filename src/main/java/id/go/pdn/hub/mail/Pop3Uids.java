package id.go.pdn.hub.mail;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's record of the hub's copies of POP3 messages ({@code hub_mail_pop3_uid}, Flyway V9): one row per UIDL
 * copied, naming the IMAP message on the target that is its copy, with the message's hash and the internal date it was
 * appended with.
 */
final class Pop3Uids {

    /** One POP3 message's copy. */
    record Copy(String uidl, long targetUidValidity, long targetUid, String sha256, long internalDate) {
    }

    private static final int IN_LIST = 200;

    private final Supplier<JdbcTemplate> ledger;

    Pop3Uids(Supplier<JdbcTemplate> ledger) {
        this.ledger = ledger;
    }

    static String mailboxKey(String migration, String sourceUser) {
        return MailFetcher.sha256((migration + "\u0000" + sourceUser + "\u0000pop3").getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded copies of these UIDLs, by UIDL. */
    Map<String, Copy> copies(String mailboxKey, List<String> uidls) {
        Map<String, Copy> copies = new LinkedHashMap<>();
        for (int from = 0; from < uidls.size(); from += IN_LIST) {
            List<String> part = uidls.subList(from, Math.min(uidls.size(), from + IN_LIST));
            Object[] args = new Object[part.size() + 1];
            args[0] = mailboxKey;
            for (int i = 0; i < part.size(); i++) {
                args[i + 1] = part.get(i);
            }
            jdbc().query("SELECT uidl, target_uidvalidity, target_uid, sha256, internal_date FROM hub_mail_pop3_uid WHERE mailbox_key = ? "
                    + "AND uidl IN (" + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")", rs -> {
                        copies.put(rs.getString(1), new Copy(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
                    }, args);
        }
        return copies;
    }

    /** Target UIDs that are the copy of some POP3 message, among target messages with this hash. */
    Set<Long> claimed(String targetKey, long targetUidValidity, String sha256) {
        return new HashSet<>(jdbc().queryForList("SELECT target_uid FROM hub_mail_pop3_uid WHERE target_key = ? AND target_uidvalidity = ? "
                + "AND sha256 = ?", Long.class, targetKey, targetUidValidity, sha256));
    }

    void record(String mailboxKey, String migration, String targetKey, Collection<Copy> copies) {
        if (copies.isEmpty()) {
            return;
        }
        jdbc().batchUpdate("INSERT INTO hub_mail_pop3_uid (mailbox_key, uidl, migration, target_key, target_uidvalidity, target_uid, "
                + "sha256, internal_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", copies.stream().map(c -> new Object[] {mailboxKey, c.uidl(),
                        migration, targetKey, c.targetUidValidity(), c.targetUid(), c.sha256(), c.internalDate()}).toList());
    }

    void forget(String mailboxKey, Collection<String> uidls) {
        if (uidls.isEmpty()) {
            return;
        }
        jdbc().batchUpdate("DELETE FROM hub_mail_pop3_uid WHERE mailbox_key = ? AND uidl = ?",
                uidls.stream().map(uidl -> new Object[] {mailboxKey, uidl}).toList());
    }

    private JdbcTemplate jdbc() {
        return ledger.get();
    }
}

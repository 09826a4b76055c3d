package id.go.pdn.hub.core.tracked;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import id.go.pdn.hub.core.Hashes;
import id.go.pdn.hub.core.ledger.ItemStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * A tracked route's rows in the ledger: the route is a migration of kind {@code tracked} ({@code hub_migration}), each
 * exchange an item ({@code hub_item}, keyed by the route's idempotent key), each batch of exchanges a run
 * ({@code hub_run}). The same tables as every migration, so that the report and {@code status --ledger} show them.
 */
final class TrackedLedger {

    private final Supplier<JdbcTemplate> ledger;

    TrackedLedger(Supplier<JdbcTemplate> ledger) {
        this.ledger = ledger;
    }

    void ensureMigration(String route, String application) {
        if (jdbc().update("UPDATE hub_migration SET application = ?, updated_at = ? WHERE name = ? AND kind = ?", application, now(),
                route, TrackedRoutes.KIND) == 0) {
            List<String> other = jdbc().queryForList("SELECT kind FROM hub_migration WHERE name = ?", String.class, route);
            if (!other.isEmpty()) {
                throw new IllegalStateException("route " + route + " cannot be tracked: the ledger holds a " + other.get(0)
                        + " migration of that name; give the route another id or ./hub reset " + route);
            }
            jdbc().update("INSERT INTO hub_migration (name, application, kind, definition_hash, plan_state, updated_at) "
                    + "VALUES (?, ?, ?, ?, 'PLANNED', ?)", route, application, TrackedRoutes.KIND, "tracked", now());
        }
    }

    Optional<ItemStatus> status(String route, String key) {
        return jdbc().queryForList("SELECT status FROM hub_item WHERE migration = ? AND key_hash = ?", String.class, route,
                Hashes.sha256Hex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))).stream().findFirst().map(ItemStatus::valueOf);
    }

    /** Takes an item for this exchange: true (now RUNNING) unless it is done (COPIED or VERIFIED). */
    synchronized boolean begin(String route, String key, Long runId) {
        String hash = Hashes.sha256Hex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Optional<ItemStatus> status = status(route, key);
        if (status.isPresent()) {
            if (status.get() == ItemStatus.COPIED || status.get() == ItemStatus.VERIFIED) {
                return false;
            }
            jdbc().update("UPDATE hub_item SET status = 'RUNNING', attempts = attempts + 1, run_id = ?, started_at = ?, last_error = NULL "
                    + "WHERE migration = ? AND key_hash = ?", runId, now(), route, hash);
            return true;
        }
        Integer seq = jdbc().queryForObject("SELECT COALESCE(MAX(seq), 0) + 1 FROM hub_item WHERE migration = ?", Integer.class, route);
        jdbc().update("INSERT INTO hub_item (migration, kind, item_key, key_hash, seq, payload, status, attempts, run_id, created_at, "
                + "started_at) VALUES (?, ?, ?, ?, ?, '{}', 'RUNNING', 1, ?, ?, ?)", route, TrackedRoutes.KIND, key, hash, seq, runId,
                now(), now());
        return true;
    }

    /**
     * The exchange's outcome. Only a RUNNING item changes (a later outcome never overwrites a settled one). A VERIFIED
     * item was compared by the route now: {@code checked_at}, which the report's and status's freshness read. An
     * exchange copied is one unit ({@code row_count} 1: the report counts exchanges).
     */
    void finish(String route, String key, ItemStatus status, String error, Long bytes, int redeliveries) {
        OffsetDateTime now = now();
        boolean done = status == ItemStatus.VERIFIED || status == ItemStatus.COPIED;
        jdbc().update("UPDATE hub_item SET status = ?, last_error = ?, row_count = ?, byte_count = ?, finished_at = ?, "
                + "attempts = attempts + ?, checked_at = ? WHERE migration = ? AND key_hash = ? AND status = 'RUNNING'", status.name(),
                clip(error), done ? 1 : 0, bytes, now, redeliveries, status == ItemStatus.VERIFIED ? now : null, route,
                Hashes.sha256Hex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    long startRun(String route, String application, String triggeredBy) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc().update(con -> {
            var ps = con.prepareStatement("INSERT INTO hub_run (migration, application, kind, state, triggered_by, started_at) "
                    + "VALUES (?, ?, ?, 'RUNNING', ?, ?)", new String[] {"run_id"});
            ps.setString(1, route);
            ps.setString(2, application);
            ps.setString(3, TrackedRoutes.KIND);
            ps.setString(4, triggeredBy);
            ps.setObject(5, now());
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    void finishRun(long runId, String state, int total, int verified, int failed, long bytes, String message) {
        jdbc().update("UPDATE hub_run SET state = ?, finished_at = ?, items_total = ?, items_verified = ?, items_failed = ?, "
                + "rows_copied = ?, bytes_copied = ?, message = ? WHERE run_id = ?", state, now(), total, verified, failed, total, bytes,
                clip(message), runId);
    }

    /** Runs left RUNNING by a hub that died. */
    void closeAbandonedRuns(String route) {
        jdbc().update("UPDATE hub_run SET state = 'FAILED', finished_at = ?, message = 'the hub stopped during this run' "
                + "WHERE migration = ? AND state = 'RUNNING'", now(), route);
    }

    private static String clip(String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private JdbcTemplate jdbc() {
        return ledger.get();
    }
}

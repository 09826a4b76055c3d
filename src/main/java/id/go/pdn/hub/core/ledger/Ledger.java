package id.go.pdn.hub.core.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.PlannedItem;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The hub's record of every migration, run and item (tables {@code hub_migration}, {@code hub_run}, {@code hub_item};
 * schema in {@code db/ledger}, applied by Flyway). It is the source of truth: the work queue only carries item ids.
 */
@Repository
public class Ledger {

    private static final int MAX_TEXT = 3900;
    /** An item whose last copy or check read both sides and found them different (its row_count: the rows read). */
    private static final String DIFFERED = "source_checksum IS NOT NULL AND target_checksum IS NOT NULL "
            + "AND source_checksum <> target_checksum";
    private static final String ITEM_COLUMNS = "item_id, migration, kind, item_key, payload, status, attempts, run_id, "
            + "row_count, byte_count, source_checksum, target_checksum, last_error, started_at, finished_at";

    private final JdbcTemplate jdbc;
    /**
     * This hub instance ({@code pid@host} and a random part: two hubs in one JVM differ): its workers' claims and its
     * run leases carry it, so a new run never takes back an item being copied here. The hub MBean shows it.
     */
    private final String hubInstance;

    public Ledger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        String process = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        this.hubInstance = (process.length() > 50 ? process.substring(0, 50) : process) + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- migrations and plans

    /** The plan state of a migration, or empty if it was never planned. */
    public Optional<PlanRecord> plan(String migration) {
        return jdbc.query("SELECT definition_hash, plan_state FROM hub_migration WHERE name = ?",
                (rs, i) -> new PlanRecord(rs.getString(1), rs.getString(2)), migration).stream().findFirst();
    }

    public record PlanRecord(String definitionHash, String state) {
        public boolean finished() { return "FINISHED".equals(state); }
    }

    /** Records a new plan: forgets the migration's earlier items and inserts the planned ones as PENDING. */
    @Transactional
    public void savePlan(Migration migration, String definitionHash, List<PlannedItem> items) {
        forget(migration.name());
        jdbc.update("INSERT INTO hub_migration (name, application, kind, definition_hash, plan_state, updated_at) "
                + "VALUES (?, ?, ?, ?, 'PLANNED', ?)", migration.name(), migration.application(), migration.kind(),
                definitionHash, now());
        OffsetDateTime now = now();
        List<Object[]> rows = new java.util.ArrayList<>(items.size());
        for (int seq = 0; seq < items.size(); seq++) {
            PlannedItem item = items.get(seq);
            rows.add(new Object[] {migration.name(), migration.kind(), item.key(), sha256(item.key()), seq,
                    item.payload(), item.skipped() == null ? ItemStatus.PENDING.name() : ItemStatus.SKIPPED.name(),
                    clip(item.skipped()), now});
        }
        // a skipped entry (a fifo, a link) is SKIPPED with its reason from the first plan on, as mergePlan does later
        jdbc.batchUpdate("INSERT INTO hub_item (migration, kind, item_key, key_hash, seq, payload, status, last_error, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    /**
     * Merges a fresh listing into an existing plan: new keys are appended as PENDING, items whose payload differs
     * are put back to PENDING with the new payload, the rest is left alone. When anything changed, the plan is
     * PLANNED again so that the capability's finishing step runs after the new items. Returns the items added or
     * changed. Costs one read of the migration's keys plus one batch per kind of change.
     */
    @Transactional
    public MergeResult mergePlan(Migration migration, List<PlannedItem> items) {
        Map<String, String[]> known = new java.util.HashMap<>(); // key hash -> payload, status
        jdbc.query("SELECT key_hash, payload, status FROM hub_item WHERE migration = ?",
                rs -> { known.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}); }, migration.name());
        Integer maxSeq = jdbc.queryForObject("SELECT MAX(seq) FROM hub_item WHERE migration = ?", Integer.class, migration.name());
        int seq = maxSeq == null ? 0 : maxSeq + 1;
        OffsetDateTime now = now();
        List<Object[]> added = new java.util.ArrayList<>();
        List<Object[]> changed = new java.util.ArrayList<>();
        List<Object[]> skipped = new java.util.ArrayList<>();
        int unchanged = 0;
        List<Object[]> dropped = new java.util.ArrayList<>();
        List<Object[]> deleted = new java.util.ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (PlannedItem item : items) {
            String keyHash = sha256(item.key());
            listed.add(keyHash);
            String[] before = known.get(keyHash);
            if (before == null) {
                added.add(new Object[] {migration.name(), migration.kind(), item.key(), keyHash, seq++, item.payload(),
                        item.skipped() == null ? ItemStatus.PENDING.name() : ItemStatus.SKIPPED.name(), clip(item.skipped()), now});
            } else if (item.skipped() != null) {
                if (item.goneIfCopied() && before[1].equals(ItemStatus.VERIFIED.name())) {
                    deleted.add(new Object[] {now, migration.name(), keyHash}); // its copy no longer matches the source
                } else if (item.goneIfCopied() && before[1].equals(ItemStatus.GONE.name())) {
                    // still a difference: stays GONE until mirrored (REMOVED) or back in a copyable shape
                } else if (!before[1].equals(ItemStatus.SKIPPED.name()) || !before[0].equals(item.payload())) {
                    skipped.add(new Object[] {item.payload(), clip(item.skipped()), now, migration.name(), keyHash});
                }
            } else if (!before[0].equals(item.payload()) || SETTLED_ELSEWHERE.contains(before[1])) {
                // changed at the source, back at the source after a deletion, or no longer skipped: copied (again)
                changed.add(new Object[] {item.payload(), migration.name(), keyHash});
            } else if (before[1].equals(ItemStatus.VERIFIED.name())) {
                unchanged++; // compared with the source now: equal
            }
        }
        // an item not verified whose source is gone (a file deleted before its copy) leaves the plan: it would fail
        // every night and keep the finishing step from running; a verified one stays as the record of what was copied,
        // GONE: the target still holds what the source deleted
        known.forEach((keyHash, before) -> {
            if (listed.contains(keyHash)) {
                return;
            }
            if (before[1].equals(ItemStatus.VERIFIED.name())) {
                deleted.add(new Object[] {now, migration.name(), keyHash});
            } else if (!before[1].equals(ItemStatus.GONE.name()) && !before[1].equals(ItemStatus.REMOVED.name())) {
                dropped.add(new Object[] {migration.name(), keyHash});
            }
        });
        if (!added.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO hub_item (migration, kind, item_key, key_hash, seq, payload, status, last_error, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", added);
        }
        if (!changed.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET payload = ?, status = 'PENDING', attempts = 0, last_error = NULL "
                    + "WHERE migration = ? AND key_hash = ?", changed);
        }
        if (!skipped.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET payload = ?, status = 'SKIPPED', last_error = ?, checked_at = ? "
                    + "WHERE migration = ? AND key_hash = ?", skipped);
        }
        if (unchanged > 0) {
            // every item still VERIFIED after this merge was listed now and found unchanged (a changed one goes back to
            // PENDING, a deleted one to GONE, a skipped one to SKIPPED): one stamp on the migration instead of a row
            // update per item (10,000 of them cost seconds on a quiet night); readers take the later of the two times
            jdbc.update("UPDATE hub_migration SET verified_compared_at = ? WHERE name = ?", now, migration.name());
        }
        if (!deleted.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET status = 'GONE', last_error = 'deleted at the source; the target still holds it', "
                    + "checked_at = ? WHERE migration = ? AND key_hash = ? AND status = 'VERIFIED'", deleted);
        }
        if (!dropped.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM hub_item WHERE migration = ? AND key_hash = ? AND status NOT IN ('VERIFIED', 'GONE', 'REMOVED')", dropped);
        }
        if (!added.isEmpty() || !changed.isEmpty() || !deleted.isEmpty()) {
            jdbc.update("UPDATE hub_migration SET plan_state = 'PLANNED', updated_at = ? WHERE name = ?", now, migration.name());
        }
        return new MergeResult(added.size(), changed.size(), deleted.size(), dropped.size(), known.size());
    }

    /**
     * What a fresh listing of the source shows against the plan, writing nothing (the cut-over's check that the source
     * is quiet): keys the plan does not know, verified items whose payload changed, verified items no longer listed; with
     * up to five of their keys.
     */
    public ListingChanges compareListing(String migration, List<PlannedItem> items) {
        Map<String, String[]> known = new java.util.HashMap<>(); // key hash -> payload, status
        jdbc.query("SELECT key_hash, payload, status FROM hub_item WHERE migration = ?",
                rs -> { known.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}); }, migration);
        int added = 0;
        int changed = 0;
        List<String> examples = new java.util.ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (PlannedItem item : items) {
            String keyHash = sha256(item.key());
            listed.add(keyHash);
            String[] before = known.get(keyHash);
            if (item.skipped() != null) {
                if (before == null || !ItemStatus.VERIFIED.name().equals(before[1])) {
                    continue;
                }
                changed++; // a copied file that is now a link or a fifo: the target still holds the old content
            } else if (before == null) {
                added++;
            } else if ((ItemStatus.VERIFIED.name().equals(before[1]) || ItemStatus.GONE.name().equals(before[1]))
                    && !before[0].equals(item.payload())
                    || ItemStatus.REMOVED.name().equals(before[1]) || ItemStatus.SKIPPED.name().equals(before[1])) {
                changed++; // changed, or back at the source after its deletion or skip, as mergePlan would copy it again
            } else {
                continue;
            }
            if (examples.size() < 5) {
                examples.add(item.key());
            }
        }
        int deleted = (int) known.entrySet().stream()
                .filter(e -> !listed.contains(e.getKey()) && ItemStatus.VERIFIED.name().equals(e.getValue()[1])).count();
        return new ListingChanges(added, changed, deleted, examples);
    }

    /** {@link #compareListing}'s answer: new, changed and deleted items at the source, and some of their keys. */
    public record ListingChanges(int added, int changed, int deleted, List<String> examples) {
        public boolean quiet() { return added == 0 && changed == 0 && deleted == 0; }

        @Override
        public String toString() {
            return added + " new, " + changed + " changed, " + deleted + " deleted" + (examples.isEmpty() ? "" : " (e.g. "
                    + String.join(", ", examples) + ")");
        }
    }

    /** Statuses of items not on the target by the hub's doing: listed again as copyable, they are copied. */
    private static final java.util.Set<String> SETTLED_ELSEWHERE = java.util.Set.of(ItemStatus.GONE.name(),
            ItemStatus.REMOVED.name(), ItemStatus.SKIPPED.name());

    /**
     * What {@link #mergePlan} did: items added, changed (copied again), deleted at the source since their copy (now GONE),
     * dropped (gone from the source before their copy), known before.
     */
    public record MergeResult(int added, int changed, int deleted, int dropped, int known) {
        public boolean anyChange() { return added > 0 || changed > 0 || deleted > 0; }
    }

    /** Items deleted at the source that the hub removed from the target too (deletions: mirror). */
    public void markRemoved(java.util.Collection<Long> itemIds) {
        if (itemIds.isEmpty()) {
            return;
        }
        OffsetDateTime now = now();
        jdbc.batchUpdate("UPDATE hub_item SET status = 'REMOVED', last_error = 'deleted at the source; removed from the target', "
                + "checked_at = ? WHERE item_id = ? AND status = 'GONE'", itemIds.stream().map(id -> new Object[] {now, id}).toList());
    }

    /** Every item of a migration's plan as planned (key and payload), in plan order. */
    public List<PlannedItem> plannedItems(String migration) {
        return jdbc.query("SELECT item_key, payload FROM hub_item WHERE migration = ? ORDER BY seq",
                (rs, i) -> new PlannedItem(rs.getString(1), rs.getString(2)), migration);
    }


    public void markPlanFinished(String migration) {
        jdbc.update("UPDATE hub_migration SET plan_state = 'FINISHED', updated_at = ? WHERE name = ?", now(), migration);
    }

    /** Forgets a migration's plan and items (runs stay, as history). */
    @Transactional
    public void forget(String migration) {
        jdbc.update("DELETE FROM hub_item WHERE migration = ?", migration);
        jdbc.update("DELETE FROM hub_migration WHERE name = ?", migration);
    }

    public List<String> migrationNames() {
        return jdbc.queryForList("SELECT name FROM hub_migration ORDER BY application, name", String.class);
    }

    /** The names of the migrations of one kind, e.g. the tracked routes ({@code tracked}). */
    public List<String> migrationNamesOfKind(String kind) {
        return jdbc.queryForList("SELECT name FROM hub_migration WHERE kind = ? ORDER BY name", String.class, kind);
    }

    public Optional<String> applicationOf(String migration) {
        return jdbc.queryForList("SELECT application FROM hub_migration WHERE name = ?", String.class, migration)
                .stream().findFirst();
    }

    // ---- runs

    /**
     * Takes the right to run a migration, for every hub on this ledger: true if no hub holds it or its lease ran out
     * (that hub died). {@code token} names the run that holds it: only that run renews it or gives it back. Expiry is
     * computed and compared by the database, so the hubs' clocks do not matter.
     */
    public boolean acquireRunLease(String migration, String token, Duration ttl) {
        // an expired lease (or a stale one of this hub) first: a failed INSERT would leave an error in PostgreSQL's log
        if (jdbc.update("UPDATE hub_run_lease SET instance_id = ?, lease_token = ?, expires_at = " + expiry(ttl)
                + " WHERE migration = ? AND (instance_id = ? OR expires_at < CURRENT_TIMESTAMP)", hubInstance, token, migration,
                hubInstance) == 1) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO hub_run_lease (migration, instance_id, lease_token, expires_at) VALUES (?, ?, ?, " + expiry(ttl)
                    + ")", migration, hubInstance, token);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Keeps the lease of a run going on here; false if another hub took it over (this hub was thought dead). */
    public boolean renewRunLease(String migration, String token, Duration ttl) {
        return jdbc.update("UPDATE hub_run_lease SET expires_at = " + expiry(ttl) + " WHERE migration = ? AND lease_token = ?",
                migration, token) == 1;
    }

    public void releaseRunLease(String migration, String token) {
        jdbc.update("DELETE FROM hub_run_lease WHERE migration = ? AND lease_token = ?", migration, token);
    }

    private static String expiry(Duration ttl) {
        return "CURRENT_TIMESTAMP + INTERVAL '" + ttl.toSeconds() + "' SECOND";
    }

    /** Until when the migration's run lease holds, whoever holds it; empty if nobody does. */
    public Optional<OffsetDateTime> runLeaseExpiry(String migration) {
        return jdbc.query("SELECT expires_at FROM hub_run_lease WHERE migration = ?",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class), migration).stream().findFirst();
    }

    /** The hub instance running this migration now, if any hub is. */
    public Optional<String> runLeaseHolder(String migration) {
        return jdbc.queryForList("SELECT instance_id FROM hub_run_lease WHERE migration = ? AND expires_at >= CURRENT_TIMESTAMP",
                String.class, migration).stream().findFirst();
    }

    /** Marks the migration paused for every hub on this ledger (idempotent). */
    public void pause(String migration) {
        if (!isPaused(migration)) {
            try {
                jdbc.update("INSERT INTO hub_pause (migration, paused_by, paused_at) VALUES (?, ?, ?)", migration, hubInstance, now());
            } catch (DuplicateKeyException e) {
                // paused by another hub at the same moment
            }
        }
    }

    public void resume(String migration) {
        jdbc.update("DELETE FROM hub_pause WHERE migration = ?", migration);
    }

    public boolean isPaused(String migration) {
        return !jdbc.queryForList("SELECT migration FROM hub_pause WHERE migration = ?", String.class, migration).isEmpty();
    }

    // ---- hubs on this ledger (hub_node)

    /**
     * Says in the ledger that this hub is alive, with its worker threads: inserts its row the first time (or after another
     * hub removed it as gone), renews {@code last_seen} (the database's time) afterwards.
     */
    public void heartbeat(int workers) {
        if (jdbc.update("UPDATE hub_node SET last_seen = CURRENT_TIMESTAMP, workers = ? WHERE node_id = ?", workers, hubInstance) == 0) {
            String process = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            jdbc.update("INSERT INTO hub_node (node_id, host, workers, started_at, last_seen) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)",
                    hubInstance, process.length() > 200 ? process.substring(0, 200) : process, workers, now());
        }
    }

    /** A hub on this ledger as its heartbeat row says: its id, its JVM (pid@host), its worker threads. */
    public record Node(String nodeId, String host, int workers) {
    }

    /** The hubs that renewed their row within {@code alive}, oldest first. */
    public List<Node> liveNodes(Duration alive) {
        return jdbc.query("SELECT node_id, host, workers FROM hub_node WHERE last_seen >= " + ago(alive)
                + " ORDER BY started_at, node_id", (rs, i) -> new Node(rs.getString(1), rs.getString(2), rs.getInt(3)));
    }

    /** Worker threads of every hub seen within {@code alive}: how many items all of them can copy at once. */
    public int liveWorkers(Duration alive) {
        Integer n = jdbc.queryForObject("SELECT COALESCE(SUM(workers), 0) FROM hub_node WHERE last_seen >= " + ago(alive), Integer.class);
        return n == null ? 0 : n;
    }

    /** Whether the hub {@code nodeId} renewed its row within {@code alive}. */
    public boolean isAlive(String nodeId, Duration alive) {
        return nodeId != null && !jdbc.queryForList("SELECT node_id FROM hub_node WHERE node_id = ? AND last_seen >= " + ago(alive),
                String.class, nodeId).isEmpty();
    }

    /**
     * Items of the migration claimed by a hub not seen within {@code alive} (killed, cut off): back to PENDING for the
     * run to send again. A hub that died left its message unacknowledged, so the broker delivered it again already; the
     * claim kept that delivery from copying the item a second time while its hub might still have been at it.
     */
    public int releaseStaleClaims(String migration, Duration alive) {
        return jdbc.update("UPDATE hub_item SET status = 'PENDING', last_error = 'its hub (' || claimed_by || ') stopped answering; "
                + "taken back' WHERE migration = ? AND status IN ('RUNNING', 'COPIED') AND claimed_by <> ? AND claimed_by NOT IN "
                + "(SELECT node_id FROM hub_node WHERE last_seen >= " + ago(alive) + ")", migration, hubInstance);
    }

    /** Forgets hubs not seen for {@code gone} (their rows only: what they did stays in hub_item and hub_run). */
    public int forgetNodes(Duration gone) {
        return jdbc.update("DELETE FROM hub_node WHERE last_seen < " + ago(gone));
    }

    /**
     * The run a hub that is gone left RUNNING, if the migration's latest run is one and nobody holds its lease: what
     * another hub takes over. A run whose hub is not recorded ({@code run_by} empty: an older hub) is left to the next
     * start or fire, as before.
     */
    public Optional<LedgerRun> abandonedRun(String migration, Duration alive) {
        return jdbc.query("SELECT * FROM hub_run r WHERE migration = ? AND state = 'RUNNING' AND run_by IS NOT NULL AND run_by <> ? "
                + "AND run_by NOT IN (SELECT node_id FROM hub_node WHERE last_seen >= " + ago(alive) + ") "
                + "AND NOT EXISTS (SELECT 1 FROM hub_run_lease l WHERE l.migration = r.migration AND l.expires_at >= CURRENT_TIMESTAMP) "
                + "AND run_id = (SELECT MAX(run_id) FROM hub_run WHERE migration = ?)", RUN_MAPPER, migration, hubInstance, migration)
                .stream().findFirst();
    }

    /** Which hub ran a run ({@code hub_run.run_by}), if recorded. */
    public Optional<String> runBy(long runId) {
        return jdbc.queryForList("SELECT run_by FROM hub_run WHERE run_id = ?", String.class, runId).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    private static String ago(Duration d) {
        return "CURRENT_TIMESTAMP - INTERVAL '" + d.toSeconds() + "' SECOND";
    }

    /** This hub's id in the ledger (claims and run leases carry it). */
    public String hubInstance() {
        return hubInstance;
    }

    /** Records a run started by this hub ({@code run_by}). */
    public long startRun(Migration migration, String triggeredBy) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO hub_run (migration, application, kind, state, triggered_by, started_at, run_by) "
                    + "VALUES (?, ?, ?, 'RUNNING', ?, ?, ?)", new String[] {"run_id"});
            ps.setString(1, migration.name());
            ps.setString(2, migration.application());
            ps.setString(3, migration.kind());
            ps.setString(4, triggeredBy);
            ps.setObject(5, now());
            ps.setString(6, hubInstance);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public void finishRun(long runId, RunState state, ItemCounts counts, long rows, long bytes, String message, Duration waited) {
        jdbc.update("UPDATE hub_run SET state = ?, finished_at = ?, items_total = ?, items_verified = ?, items_failed = ?, "
                + "rows_copied = ?, bytes_copied = ?, message = ?, waited_seconds = ? WHERE run_id = ?", state.name(), now(),
                counts.total(), counts.get(ItemStatus.VERIFIED), counts.unsuccessful(), rows, bytes, clip(message),
                waited.toSeconds(), runId);
    }

    /** Marks runs left RUNNING by a hub that died as FAILED, so that reports tell the truth. */
    public int closeAbandonedRuns(String migration) {
        return jdbc.update("UPDATE hub_run SET state = 'FAILED', finished_at = ?, message = 'the hub stopped during this run; "
                + "a later run resumed it' WHERE migration = ? AND state = 'RUNNING'", now(), migration);
    }

    public Optional<LedgerRun> lastRun(String migration) {
        return jdbc.query("SELECT * FROM hub_run WHERE migration = ? ORDER BY run_id DESC FETCH FIRST 1 ROWS ONLY",
                RUN_MAPPER, migration).stream().findFirst();
    }

    public List<LedgerRun> runs(String application) {
        return jdbc.query("SELECT * FROM hub_run WHERE application = ? ORDER BY run_id", RUN_MAPPER, application);
    }

    /**
     * The latest finished runs that copied something, newest first: of one migration, or (migration null) of every
     * migration of a kind. What {@code ./hub plan} measures its rates on.
     */
    public List<LedgerRun> runsThatCopied(String migration, String kind, int limit) {
        // verify runs read both sides and copy nothing: their speed says nothing about a copy's
        String sql = "SELECT * FROM hub_run WHERE kind = ? AND finished_at IS NOT NULL AND rows_copied > 0 "
                + "AND triggered_by NOT LIKE '%verify%'"
                + (migration == null ? "" : " AND migration = ?") + " ORDER BY run_id DESC FETCH FIRST " + limit + " ROWS ONLY";
        return migration == null ? jdbc.query(sql, RUN_MAPPER, kind) : jdbc.query(sql, RUN_MAPPER, kind, migration);
    }

    public List<String> applications() {
        return jdbc.queryForList("SELECT DISTINCT application FROM hub_run ORDER BY application", String.class);
    }

    // ---- items

    public ItemCounts counts(String migration) {
        Map<ItemStatus, Integer> byStatus = new EnumMap<>(ItemStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM hub_item WHERE migration = ? GROUP BY status",
                rs -> { byStatus.put(ItemStatus.valueOf(rs.getString(1)), rs.getInt(2)); }, migration);
        Map<String, Object> volume = jdbc.queryForMap("SELECT COALESCE(SUM(row_count), 0) AS r, COALESCE(SUM(byte_count), 0) AS b "
                + "FROM hub_item WHERE migration = ? AND status = 'VERIFIED'", migration);
        return new ItemCounts(byStatus, ((Number) volume.get("r")).longValue(), ((Number) volume.get("b")).longValue());
    }

    /**
     * The items waiting or in flight, by status: what the dispatcher needs after every finished item. Reads only those
     * rows (index on migration and status), so a plan of 10,000 small files costs no 10,000-row scan per item.
     */
    public ItemCounts activeCounts(String migration) {
        Map<ItemStatus, Integer> byStatus = new EnumMap<>(ItemStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM hub_item WHERE migration = ? AND status IN ('PENDING', 'QUEUED', 'RUNNING', 'COPIED') "
                + "GROUP BY status", rs -> { byStatus.put(ItemStatus.valueOf(rs.getString(1)), rs.getInt(2)); }, migration);
        return new ItemCounts(byStatus, 0, 0);
    }

    /**
     * How fresh the proof of a migration's VERIFIED items is: how many of them were compared with the source since its
     * latest run (or verify, or cut-over) started, and the oldest comparison among them. See {@link Freshness}. A run
     * that did not succeed (cut off by a crash, stopped, failed items) is finished by the next one, which resumes it
     * without reading again what it verified: the latest run counts from the start of the unsuccessful runs just before it.
     */
    public Freshness freshness(String migration) {
        OffsetDateTime latestRun = jdbc.query("SELECT state, started_at FROM hub_run WHERE migration = ? ORDER BY run_id DESC "
                + "FETCH FIRST 50 ROWS ONLY", rs -> {
            OffsetDateTime start = null;
            boolean first = true;
            while (rs.next()) {
                if (!first && RunState.SUCCEEDED.name().equals(rs.getString(1))) {
                    break;
                }
                start = rs.getObject(2, OffsetDateTime.class);
                if (first && !RunState.SUCCEEDED.name().equals(rs.getString(1))) {
                    break; // a latest run that did not succeed (or still runs) completes no pass: only its own start counts
                }
                first = false;
            }
            return start;
        }, migration);
        // an item was compared at the later of its own checked_at and the migration's stamp (see mergePlan)
        OffsetDateTime stamp = verifiedComparedAt(migration).orElse(null);
        return jdbc.query("SELECT COUNT(*), SUM(CASE WHEN checked_at >= ? THEN 1 ELSE 0 END), MIN(checked_at), "
                + "SUM(CASE WHEN checked_at IS NULL THEN 1 ELSE 0 END) FROM hub_item WHERE migration = ? AND status = 'VERIFIED'",
                rs -> {
                    rs.next();
                    int items = rs.getInt(1);
                    int compared = latestRun == null ? 0
                            : stamp != null && !stamp.isBefore(latestRun) ? items : rs.getInt(2);
                    OffsetDateTime oldest = rs.getObject(3, OffsetDateTime.class);
                    if (stamp == null) {
                        oldest = rs.getInt(4) > 0 ? null : oldest;
                    } else if (items > 0 && (rs.getInt(4) > 0 || oldest == null || oldest.isBefore(stamp))) {
                        oldest = stamp; // min over items of max(own, stamp) = max(min own, stamp); never stamped: the stamp
                    }
                    return new Freshness(items, compared, oldest, latestRun);
                }, latestRun == null ? OffsetDateTime.now() : latestRun, migration);
    }

    /**
     * When a re-listing last found every item that stayed VERIFIED unchanged ({@link #mergePlan}): each VERIFIED item was
     * compared with the source at this time or at its own {@code checked_at}, whichever is later.
     */
    public Optional<OffsetDateTime> verifiedComparedAt(String migration) {
        return jdbc.query("SELECT verified_compared_at FROM hub_migration WHERE name = ?",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class), migration).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Items verified by one run. */
    public int runItemsVerified(long runId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hub_item WHERE run_id = ? AND status = 'VERIFIED'", Integer.class, runId);
        return n == null ? 0 : n;
    }

    /**
     * Rows and bytes one run read: of the items it verified, and of those that failed verification (both sides read, the
     * checksums differ: the rows are there, just not equal).
     */
    public long[] runVolume(long runId) {
        Map<String, Object> v = jdbc.queryForMap("SELECT COALESCE(SUM(row_count), 0) AS r, COALESCE(SUM(byte_count), 0) AS b "
                + "FROM hub_item WHERE run_id = ? AND (status = 'VERIFIED' OR (status = 'FAILED' AND " + DIFFERED + "))", runId);
        return new long[] {((Number) v.get("r")).longValue(), ((Number) v.get("b")).longValue()};
    }

    /**
     * Puts back every item that is not verified (left over by a crash, a stop or a failure) so that a run retries it;
     * except items a worker of this hub is copying right now (e.g. a message the broker kept from before a crash).
     */
    public int resetUnfinished(String migration, java.util.Collection<Long> copyingHere) {
        return resetUnfinished(migration, copyingHere, null);
    }

    /**
     * As {@link #resetUnfinished(String, java.util.Collection)}, and leaves alone the items claimed by the workers of any
     * other hub seen within {@code alive} (several hubs share the work: a run taken over from a hub that died must not
     * take back what a live hub is copying).
     */
    public int resetUnfinished(String migration, java.util.Collection<Long> copyingHere, Duration alive) {
        // SKIPPED, GONE and REMOVED are settled: put back in line, a chunk split since (REMOVED) would be copied again
        // over its parts, a deleted file copied from nowhere
        String otherLiveHubs = alive == null ? "" : " AND NOT (status = 'RUNNING' AND claimed_by <> ? AND claimed_by IN "
                + "(SELECT node_id FROM hub_node WHERE last_seen >= " + ago(alive) + "))";
        Object[] args = alive == null ? new Object[] {migration, hubInstance} : new Object[] {migration, hubInstance, hubInstance};
        return jdbc.update("UPDATE hub_item SET status = 'PENDING' WHERE migration = ? "
                + "AND status NOT IN ('VERIFIED', 'SKIPPED', 'GONE', 'REMOVED') "
                + "AND NOT (status = 'RUNNING' AND claimed_by = ? AND item_id IN (" + ids(copyingHere) + "))" + otherLiveHubs, args);
    }

    /** Items this hub's ledger says it is copying but no worker of it is (a worker lost them): back to PENDING. */
    public int releaseLost(String migration, java.util.Collection<Long> copyingHere) {
        // claims younger than a minute are left alone: the worker may have claimed after the snapshot was taken
        return jdbc.update("UPDATE hub_item SET status = 'PENDING' WHERE migration = ? AND status = 'RUNNING' AND claimed_by = ? "
                + "AND started_at < ? AND item_id NOT IN (" + ids(copyingHere) + ")", migration, hubInstance, now().minusMinutes(1));
    }

    private static String ids(java.util.Collection<Long> ids) {
        return ids.isEmpty() ? "-1" : ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** Takes the next pending items in plan order and marks them QUEUED for this run. */
    @Transactional
    public List<LedgerItem> takePending(String migration, long runId, int limit) {
        List<LedgerItem> items = jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE migration = ? AND status = 'PENDING' "
                + "ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY", ITEM_MAPPER, migration);
        if (items.isEmpty()) {
            return items;
        }
        // only what is still PENDING: a worker may have claimed an item from an older message in the meantime
        int[] queued = jdbc.batchUpdate("UPDATE hub_item SET status = 'QUEUED', run_id = ? WHERE item_id = ? AND status = 'PENDING'",
                items.stream().map(item -> new Object[] {runId, item.itemId()}).toList());
        List<LedgerItem> taken = new java.util.ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (queued[i] == 1 || queued[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                taken.add(items.get(i));
            }
        }
        return taken;
    }

    /**
     * Claims a batch of items of the named migration for a worker in one transaction, as {@link #claim(long, String)}
     * claims one: returns those it won (in the given order); the others are taken or verified elsewhere.
     */
    @Transactional
    public List<LedgerItem> claimAll(List<Long> itemIds, String migration) {
        OffsetDateTime now = now();
        int[] claimed = jdbc.batchUpdate("UPDATE hub_item SET status = 'RUNNING', attempts = attempts + 1, started_at = ?, "
                + "last_error = NULL, claimed_by = ? WHERE item_id = ? AND status IN ('PENDING', 'QUEUED', 'DEAD', 'FAILED') "
                + "AND migration = ?", itemIds.stream().map(id -> new Object[] {now, hubInstance, id, migration}).toList());
        List<Long> won = new java.util.ArrayList<>(itemIds.size());
        for (int i = 0; i < itemIds.size(); i++) {
            if (claimed[i] == 1) {
                won.add(itemIds.get(i));
            }
        }
        if (won.isEmpty()) {
            return List.of();
        }
        Map<Long, LedgerItem> byId = new java.util.HashMap<>();
        jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE item_id IN (" + ids(won) + ")", ITEM_MAPPER)
                .forEach(item -> byId.put(item.itemId(), item));
        return won.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** One item's verdict in a batch for {@link #recordBatch}: VERIFIED, FAILED, GONE, or PENDING (to be tried again alone). */
    public record BatchRecord(long itemId, ItemStatus status, ItemOutcome outcome, String error) {
    }

    /**
     * Records the outcomes of a batch in one transaction, each as {@link #markVerified} / {@link #markUnsuccessful} would
     * (only items this hub still holds); PENDING puts an item back in line with its error.
     */
    @Transactional
    public void recordBatch(List<BatchRecord> records) {
        OffsetDateTime now = now();
        List<Object[]> verified = new java.util.ArrayList<>();
        List<Object[]> unsuccessful = new java.util.ArrayList<>();
        List<Object[]> again = new java.util.ArrayList<>();
        for (BatchRecord r : records) {
            ItemOutcome o = r.outcome();
            if (r.status() == ItemStatus.VERIFIED) {
                verified.add(new Object[] {o.rows(), o.bytes(), o.sourceChecksum(), o.targetChecksum(), now, now, r.itemId(), hubInstance});
            } else if (r.status() == ItemStatus.PENDING) {
                again.add(new Object[] {clip(r.error()), r.itemId(), hubInstance});
            } else {
                unsuccessful.add(new Object[] {r.status().name(), clip(r.error()), o == null ? null : o.rows(), o == null ? null : o.bytes(),
                        o == null ? null : o.sourceChecksum(), o == null ? null : o.targetChecksum(), now, r.itemId(), hubInstance});
            }
        }
        if (!verified.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET status = 'VERIFIED', row_count = ?, byte_count = ?, source_checksum = ?, "
                    + "target_checksum = ?, last_error = NULL, finished_at = ?, checked_at = ? WHERE item_id = ? AND status = 'RUNNING' "
                    + "AND claimed_by = ?", verified);
        }
        if (!unsuccessful.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET status = ?, last_error = ?, row_count = COALESCE(?, row_count), "
                    + "byte_count = COALESCE(?, byte_count), source_checksum = COALESCE(?, source_checksum), "
                    + "target_checksum = COALESCE(?, target_checksum), finished_at = ? WHERE item_id = ? AND status = 'RUNNING' "
                    + "AND claimed_by = ?", unsuccessful);
        }
        if (!again.isEmpty()) {
            jdbc.batchUpdate("UPDATE hub_item SET status = 'PENDING', last_error = ? WHERE item_id = ? AND status = 'RUNNING' "
                    + "AND claimed_by = ?", again);
        }
    }

    /**
     * Claims an item for a worker. Only one worker wins: a duplicate delivery (a replayed dead letter, a message
     * redelivered after a crash) finds the item already running or verified and is skipped.
     */
    public Optional<LedgerItem> claim(long itemId) {
        return claim(itemId, null);
    }

    /**
     * Claims an item of the named migration only: a message whose item id belongs to another migration in this ledger
     * (a queue shared with hubs on another ledger, a message from before a reset) claims nothing.
     */
    public Optional<LedgerItem> claim(long itemId, String migration) {
        int claimed = jdbc.update("UPDATE hub_item SET status = 'RUNNING', attempts = attempts + 1, started_at = ?, "
                + "last_error = NULL, claimed_by = ? "
                + "WHERE item_id = ? AND status IN ('PENDING', 'QUEUED', 'DEAD', 'FAILED')"
                + (migration == null ? "" : " AND migration = ?"), migration == null ? new Object[] {now(), hubInstance, itemId}
                : new Object[] {now(), hubInstance, itemId, migration});
        return claimed == 1 ? item(itemId) : Optional.empty();
    }

    /** Items each hub's workers verified for the migration (claimed_by of its VERIFIED items). */
    public Map<String, Integer> verifiedByHub(String migration) {
        Map<String, Integer> byHub = new java.util.TreeMap<>();
        jdbc.query("SELECT COALESCE(claimed_by, '?'), COUNT(*) FROM hub_item WHERE migration = ? AND status = 'VERIFIED' GROUP BY claimed_by",
                rs -> { byHub.put(rs.getString(1), rs.getInt(2)); }, migration);
        return byHub;
    }

    public Optional<LedgerItem> item(long itemId) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE item_id = ?", ITEM_MAPPER, itemId).stream().findFirst();
    }

    /** One more attempt at an item this hub holds (a retry; the first attempt is counted by {@link #claim}). */
    public void recordAttempt(long itemId) {
        jdbc.update("UPDATE hub_item SET attempts = attempts + 1 WHERE item_id = ?", itemId);
    }

    public void recordError(long itemId, String error) {
        jdbc.update("UPDATE hub_item SET last_error = ? WHERE item_id = ? AND status = 'RUNNING' AND claimed_by = ?",
                clip(error), itemId, hubInstance);
    }

    /** The item is on the target and both sides hold the same: it is done. */
    public void markVerified(long itemId, ItemOutcome outcome) {
        OffsetDateTime now = now();
        jdbc.update("UPDATE hub_item SET status = 'VERIFIED', row_count = ?, byte_count = ?, source_checksum = ?, "
                + "target_checksum = ?, last_error = NULL, finished_at = ?, checked_at = ? WHERE item_id = ? AND status = 'RUNNING' "
                + "AND claimed_by = ?", outcome.rows(), outcome.bytes(), outcome.sourceChecksum(), outcome.targetChecksum(), now,
                now, itemId, hubInstance);
    }

    /** A final failure (FAILED) or a dead letter (DEAD), with its error and what was measured, if anything. */
    public void markUnsuccessful(long itemId, ItemStatus status, String error, ItemOutcome outcome) {
        // a worker's verdict only counts while the item is still its own (not verified or re-queued meanwhile)
        String ownItem = " WHERE item_id = ? AND status NOT IN ('VERIFIED', 'PENDING') AND (claimed_by = ? OR claimed_by IS NULL)";
        if (outcome == null) {
            jdbc.update("UPDATE hub_item SET status = ?, last_error = ?, finished_at = ?" + ownItem,
                    status.name(), clip(error), now(), itemId, hubInstance);
        } else {
            jdbc.update("UPDATE hub_item SET status = ?, last_error = ?, row_count = ?, byte_count = ?, source_checksum = ?, "
                    + "target_checksum = ?, finished_at = ?" + ownItem, status.name(), clip(error), outcome.rows(),
                    outcome.bytes(), outcome.sourceChecksum(), outcome.targetChecksum(), now(), itemId, hubInstance);
        }
    }

    /** Puts an item back to PENDING, e.g. when it reached a hub that does not have its migration loaded. */
    public void release(long itemId, String reason) {
        jdbc.update("UPDATE hub_item SET status = 'PENDING', last_error = ? WHERE item_id = ?", clip(reason), itemId);
    }

    /** An item taken for the work queue but not sent: back to PENDING, unless a worker claimed it meanwhile (an older message). */
    public void unqueue(long itemId, String reason) {
        jdbc.update("UPDATE hub_item SET status = 'PENDING', last_error = ? WHERE item_id = ? AND status = 'QUEUED'", clip(reason), itemId);
    }

    public List<LedgerItem> items(String migration, ItemStatus status) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE migration = ? AND status = ? ORDER BY seq",
                ITEM_MAPPER, migration, status.name());
    }

    /** A page of a migration's items in plan order, after the item with {@code afterSeq}: for long walks over a plan. */
    public List<LedgerItem> itemsPage(String migration, ItemStatus status, int afterSeq, int limit) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE migration = ? AND status = ? AND seq > ? ORDER BY seq "
                + "FETCH FIRST " + limit + " ROWS ONLY", ITEM_MAPPER, migration, status.name(), afterSeq);
    }

    public int seqOf(long itemId) {
        Integer seq = jdbc.queryForObject("SELECT seq FROM hub_item WHERE item_id = ?", Integer.class, itemId);
        return seq == null ? 0 : seq;
    }

    /**
     * The result of checking a verified item again (operators' {@code verify}): equal sides stamp the check time;
     * different ones make the item FAILED with the finding, so that "retry failed" copies it again.
     */
    public void recordCheck(long itemId, ItemOutcome outcome, String finding) {
        if (outcome.verified()) {
            jdbc.update("UPDATE hub_item SET checked_at = ? WHERE item_id = ? AND status = 'VERIFIED'", now(), itemId);
        } else {
            jdbc.update("UPDATE hub_item SET status = 'FAILED', last_error = ?, target_checksum = ?, checked_at = ? "
                    + "WHERE item_id = ? AND status = 'VERIFIED'", clip(finding), outcome.targetChecksum(), now(), itemId);
        }
    }

    /** The error of the migration's latest failed or dead item, if any. */
    public Optional<String> lastError(String migration) {
        return jdbc.queryForList("SELECT last_error FROM hub_item WHERE migration = ? AND status IN ('FAILED', 'DEAD') "
                + "AND last_error IS NOT NULL ORDER BY finished_at DESC, item_id DESC FETCH FIRST 1 ROWS ONLY", String.class, migration)
                .stream().findFirst();
    }

    public List<LedgerItem> unsuccessfulItems(String migration) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + " FROM hub_item WHERE migration = ? AND status IN ('FAILED', 'DEAD') "
                + "ORDER BY seq", ITEM_MAPPER, migration);
    }

    /** Puts FAILED and DEAD items of a migration back to PENDING; the next dispatch retries them. */
    public int retryUnsuccessful(String migration) {
        return jdbc.update("UPDATE hub_item SET status = 'PENDING' WHERE migration = ? AND status IN ('FAILED', 'DEAD')", migration);
    }

    // ---- audit trail

    /** Records an operation called on the hub (who, when, from where, on what, with what outcome): table hub_audit. */
    public void audit(AuditEntry entry) {
        jdbc.update("INSERT INTO hub_audit (occurred_at, actor, address, channel, migration, application, operation, outcome) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entry.at() == null ? now() : entry.at(), clip200(entry.who()),
                clip200(entry.address()), entry.channel(), entry.migration(), entry.application(), entry.operation(),
                clip(entry.outcome()));
    }

    /** The latest operations, oldest first: of one application (and the hub-wide ones), or of all (application null). */
    public List<AuditEntry> auditTrail(String application, int limit) {
        String sql = "SELECT * FROM hub_audit" + (application == null ? "" : " WHERE application = ? OR application IS NULL")
                + " ORDER BY audit_id DESC FETCH FIRST " + limit + " ROWS ONLY";
        RowMapper<AuditEntry> mapper = (rs, i) -> new AuditEntry(rs.getObject("occurred_at", OffsetDateTime.class),
                rs.getString("actor"), rs.getString("address"), rs.getString("channel"), rs.getString("migration"),
                rs.getString("application"), rs.getString("operation"), rs.getString("outcome"));
        List<AuditEntry> entries = new java.util.ArrayList<>(application == null ? jdbc.query(sql, mapper)
                : jdbc.query(sql, mapper, application));
        java.util.Collections.reverse(entries);
        return entries;
    }

    private static String clip200(String text) {
        return text == null ? "?" : text.length() <= 200 ? text : text.substring(0, 200);
    }

    private static final RowMapper<LedgerItem> ITEM_MAPPER = (ResultSet rs, int i) -> new LedgerItem(
            rs.getLong("item_id"), rs.getString("migration"), rs.getString("kind"), rs.getString("item_key"),
            rs.getString("payload"), ItemStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
            (Long) rs.getObject("run_id", Long.class), (Long) rs.getObject("row_count", Long.class),
            (Long) rs.getObject("byte_count", Long.class), rs.getString("source_checksum"), rs.getString("target_checksum"),
            rs.getString("last_error"), rs.getObject("started_at", OffsetDateTime.class),
            rs.getObject("finished_at", OffsetDateTime.class));

    private static final RowMapper<LedgerRun> RUN_MAPPER = (ResultSet rs, int i) -> new LedgerRun(
            rs.getLong("run_id"), rs.getString("migration"), rs.getString("application"), rs.getString("kind"),
            RunState.valueOf(rs.getString("state")), rs.getString("triggered_by"),
            rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
            intOrZero(rs, "items_total"), intOrZero(rs, "items_verified"), intOrZero(rs, "items_failed"),
            rs.getLong("rows_copied"), rs.getLong("bytes_copied"), rs.getString("message"), rs.getLong("waited_seconds"));

    private static int intOrZero(ResultSet rs, String column) throws SQLException {
        return rs.getInt(column);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now();
    }

    static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    static String sha256(String text) {
        return id.go.pdn.hub.core.Hashes.sha256Hex(text);
    }
}

package id.go.pdn.hub.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.copy.RowChecksum;
import id.go.pdn.hub.db.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan of a database migration: reads the source schema, prepares the target tables (created, dropped, emptied or
 * kept by {@code onExistingTable}) and cuts each table into chunks of about {@code chunkSize} rows on its key. Also
 * {@code ./hub plan}'s survey, which reads the source only.
 */
final class TablePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(TablePlanner.class);

    /** Above this many rows (by the engine's statistics) a table is not counted: the statistics' estimate is shown. */
    static final long EXACT_COUNT_LIMIT = 5_000_000;

    private final DbContext ctx;

    TablePlanner(DbContext ctx) {
        this.ctx = ctx;
    }

    /** Lists the chunks of every table and prepares the target tables. */
    List<PlannedItem> plan() {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            List<TableInfo> tables = ctx.tables(source);
            if (tables.isEmpty()) {
                throw noTables("plan", source);
            }
            prepareTargetTables(target, tables);
            List<PlannedItem> items = new ArrayList<>();
            for (TableInfo table : tables) {
                for (Chunk chunk : chunks(source, target, table)) {
                    items.add(item(table, chunk));
                }
            }
            return items;
        } catch (SQLException | JsonProcessingException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + ctx.migration.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private PlannedItem item(TableInfo table, Chunk chunk) throws JsonProcessingException {
        ColumnInfo key = table.rangeKey();
        return new PlannedItem(chunk.describe(key == null ? null : key.name()), ctx.json.writeValueAsString(chunk));
    }

    // ---- sync: the plan listed again on every run

    /** What a sync listing knows of the ledger: the verified items by key, and the keys of items no longer planned. */
    record Known(Map<String, LedgerItem> verified, Set<String> retired) {
    }

    /**
     * The listing of a sync run. Chunk boundaries stay as planned (a boundary computed afresh would shift with every
     * insert or delete before it, and every chunk after it would look changed): each verified chunk's source rows are
     * read again (streamed, in parallel, the target not read) and their checksum compared with the one its last copy
     * recorded. Unchanged: listed as planned (the ledger stamps it as compared now). Changed: listed with a changed
     * payload, so it is copied again; one that grew beyond twice chunkSize rows (the open-ended last chunk, where new keys
     * land) is split into new chunks instead. Tables new at the source get chunks (and target tables); a table whose key
     * changed is planned afresh; chunks of tables gone from the source are not listed (GONE, then removed).
     */
    List<PlannedItem> replan(List<PlannedItem> planned, Known known) {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            List<TableInfo> tables = ctx.tables(source);
            if (tables.isEmpty()) {
                throw noTables("plan", source);
            }
            Map<String, List<PlannedItem>> byTable = new LinkedHashMap<>();
            Map<PlannedItem, Chunk> chunkOf = new HashMap<>();
            for (PlannedItem item : planned) {
                if (known.retired().contains(item.key())) {
                    continue; // deleted at the source, or a range split since: no longer part of the plan
                }
                Chunk chunk = ctx.json.readValue(item.payload(), Chunk.class);
                chunkOf.put(item, chunk);
                byTable.computeIfAbsent(chunk.table(), t -> new ArrayList<>()).add(item);
            }
            List<TableInfo> fresh = tables.stream().filter(t -> !byTable.containsKey(t.name())).toList();
            if (!fresh.isEmpty()) {
                prepareTargetTables(target, fresh);
            }
            List<Callable<List<PlannedItem>>> work = new ArrayList<>();
            for (TableInfo table : tables) {
                List<PlannedItem> items = byTable.get(table.name());
                if (items == null || !fits(table, items, chunkOf)) {
                    if (items != null) {
                        LOG.info("Migration {}: table {} changed its key since it was planned: planned again", ctx.migration.name(),
                                table.name());
                    }
                    work.add(() -> fresh(table));
                    continue;
                }
                for (PlannedItem item : items) {
                    LedgerItem verified = known.verified().get(item.key());
                    if (verified == null) {
                        work.add(() -> List.of(item)); // not verified yet: copied by this run anyway
                    } else {
                        work.add(() -> compared(table, item, chunkOf.get(item), verified));
                    }
                }
            }
            List<PlannedItem> listing = new ArrayList<>();
            for (List<PlannedItem> part : inParallel(work)) {
                listing.addAll(part);
            }
            return listing;
        } catch (SQLException | JsonProcessingException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot list migration " + ctx.migration.describe()
                    + " again: " + e.getMessage(), e);
        }
    }

    /** Whether a table's planned chunks are on the key the table has now. */
    private boolean fits(TableInfo table, List<PlannedItem> items, Map<PlannedItem, Chunk> chunkOf) {
        ChunkKey keyset = ChunkKey.of(table, ctx.sourceDialect);
        ColumnInfo rangeKey = table.rangeKey();
        for (PlannedItem item : items) {
            Chunk chunk = chunkOf.get(item);
            boolean fits = keyset != null ? chunk.isKeyset() && chunk.key().equals(keyset.columns())
                    : !chunk.isKeyset() && item.key().equals(chunk.describe(rangeKey == null ? null : rangeKey.name()));
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    private List<PlannedItem> fresh(TableInfo table) throws SQLException, JsonProcessingException {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            List<PlannedItem> items = new ArrayList<>();
            for (Chunk chunk : chunks(source, target, table)) {
                items.add(item(table, chunk));
            }
            return items;
        }
    }

    /** A verified chunk read again on the source and compared with its last copy. */
    private List<PlannedItem> compared(TableInfo table, PlannedItem item, Chunk planned, LedgerItem verified)
            throws SQLException, JsonProcessingException {
        Chunk chunk = planned.range();
        ChunkSql sql;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, target, chunk);
        }
        RowChecksum now;
        try {
            now = ChunkCopier.checksum(ctx.source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk);
        } catch (RowReader.UndecodableRow e) {
            // a row now holds bytes its column cannot hold: copied again, which rejects it and fails the chunk naming it
            Chunk changed = chunk.withChanged("a row that cannot be read (" + e.getMessage() + ")");
            return List.of(new PlannedItem(item.key(), ctx.json.writeValueAsString(changed)));
        }
        if (now.value().equals(verified.sourceChecksum())) {
            return List.of(item);
        }
        if (now.rows() > 2L * ctx.spec.chunkSize() && sql.sourceKeysInOrder(chunk) != null) {
            List<Chunk> parts;
            try (Connection source = ctx.source.getConnection()) {
                parts = split(source, sql, chunk);
            }
            if (parts.size() > 1) {
                LOG.info("Migration {}: {} changed and holds {} rows: split into {} chunks", ctx.migration.name(), item.key(),
                        now.rows(), parts.size());
                List<PlannedItem> items = new ArrayList<>();
                for (Chunk part : parts) {
                    items.add(item(table, part));
                }
                return items;
            }
        }
        Chunk changed = chunk.withChanged(now.value() + " (copied: " + verified.sourceChecksum() + " at " + verified.finishedAt() + ")");
        return List.of(new PlannedItem(item.key(), ctx.json.writeValueAsString(changed)));
    }

    /** Runs the listing's reads on as many source connections as the migration's parallelism and the pool allow. */
    private List<List<PlannedItem>> inParallel(List<Callable<List<PlannedItem>>> work) throws SQLException {
        int threads = Math.max(1, Math.min(work.size(), Math.min(ctx.migration.common().getParallelism(), ctx.sourcePoolSize - 1)));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<PlannedItem>>> futures = new ArrayList<>();
            for (Callable<List<PlannedItem>> task : work) {
                futures.add(pool.submit(task));
            }
            List<List<PlannedItem>> results = new ArrayList<>();
            for (Future<List<PlannedItem>> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private HubException noTables(String verb, Connection source) throws SQLException {
        List<String> found = new SchemaReader(source, ctx.sourceDialect, ctx.sourceSchema(source)).tableNames();
        return new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot " + verb + " migration " + ctx.migration.describe()
                + ": no table of " + ctx.spec.source() + " schema " + ctx.sourceSchema(source) + " matches tables '"
                + ctx.spec.tables() + "' and exclude '" + ctx.spec.exclude() + "'; tables there: " + found);
    }

    // ---- survey (./hub plan): the source only, nothing created

    /**
     * Per table: rows (an exact count, or the engine's estimate for a table above {@link #EXACT_COUNT_LIMIT} rows), the
     * table's size in storage where the engine tells it, and the chunks a plan would make; verified = the ledger's
     * verified chunks of the table. Only the source is read.
     */
    PlanSurvey survey(String kind, List<LedgerItem> verified) {
        Map<String, long[]> done = new HashMap<>(); // table -> items, rows, bytes verified
        for (LedgerItem item : verified) {
            Chunk chunk = ctx.chunkOf(item);
            long[] v = done.computeIfAbsent(chunk.table(), t -> new long[3]);
            v[0]++;
            v[1] += item.rowCount() == null ? 0 : item.rowCount();
            v[2] += item.byteCount() == null ? 0 : item.byteCount();
        }
        Dialect sd = ctx.sourceDialect;
        try (Connection source = ctx.source.getConnection()) {
            String schema = ctx.sourceSchema(source);
            List<TableInfo> tables = ctx.tables(source);
            if (tables.isEmpty()) {
                throw noTables("survey", source);
            }
            List<PlanSurvey.Group> groups = new ArrayList<>();
            int estimated = 0;
            for (TableInfo table : tables) {
                Dialect.TableStatistics stats = sd.statistics(source, schema, table.name());
                long rows;
                String note = null;
                if (stats.estimatedRows() >= EXACT_COUNT_LIMIT) {
                    rows = stats.estimatedRows();
                    note = "rows estimated from " + sd.name() + " statistics";
                    estimated++;
                } else {
                    try (Statement s = source.createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + sd.qualified(schema, table.name()))) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                }
                // the planner's chunks: one per chunkSize rows of the key, plus the open-ended last one
                boolean chunked = table.rangeKey() != null || ChunkKey.of(table, sd) != null;
                long items = !chunked ? 1 : rows / ctx.spec.chunkSize() + 1;
                long[] d = done.getOrDefault(table.name(), new long[3]);
                long rowsLeft = Math.max(0, rows - d[1]);
                long bytesLeft = !stats.bytesKnown() ? PlanSurvey.Volume.UNKNOWN
                        : rows == 0 ? 0 : (long) (stats.bytes() * (rowsLeft / (double) rows));
                long itemsLeft = rowsLeft == 0 ? 0 : Math.max(1, items - d[0]);
                groups.add(new PlanSurvey.Group(table.name(), new PlanSurvey.Volume(items, rows, stats.bytes()),
                        new PlanSurvey.Volume(d[0], d[1], d[2]), new PlanSurvey.Volume(itemsLeft, rowsLeft, bytesLeft), note));
            }
            List<String> notes = new ArrayList<>();
            notes.add(estimated == 0 ? "rows: exact COUNT(*) of every table"
                    : estimated + " of " + tables.size() + " tables above " + EXACT_COUNT_LIMIT
                    + " rows: their rows are the engine's estimate, the others are counted");
            notes.add(sd.name().equals("h2") ? "bytes: H2 does not report table sizes"
                    : "source bytes: the tables' size in storage (" + sd.name() + " statistics); verified bytes: the rows' "
                    + "normalized text as the ledger measures it");
            return new PlanSurvey(ctx.migration.name(), kind, "rows", groups, notes);
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot survey migration " + ctx.migration.describe()
                    + ": cannot read " + ctx.spec.source() + ": " + e.getMessage(), e);
        }
    }

    // ---- target tables

    private void prepareTargetTables(Connection target, List<TableInfo> tables) throws SQLException {
        Dialect td = ctx.targetDialect;
        String schema = ctx.targetSchema(target);
        SchemaReader existing = new SchemaReader(target, td, schema);
        td.relaxForeignKeyChecks(target);
        List<TableInfo> toCreate = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (TableInfo table : tables) {
            String before = seen.put(ctx.targetName(table.name()), table.name());
            if (before != null) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot plan migration " + ctx.migration.describe()
                        + ": tables " + before + " and " + table.name() + " are both " + ctx.targetName(table.name())
                        + " on the target once lowered (identifierCase: lower). Rename one at the source, leave one out"
                        + " (exclude), or set identifierCase: keep");
            }
        }
        for (TableInfo table : tables) {
            String name = ctx.targetName(table.name());
            if (!existing.exists(name)) {
                toCreate.add(table);
                continue;
            }
            switch (ctx.spec.onExistingTable()) {
                case "drop" -> {
                    DbContext.execute(target, td.dropTable(schema, name));
                    toCreate.add(table);
                }
                case "truncate" -> DbContext.execute(target, "DELETE FROM " + td.qualified(schema, name));
                case "keep" -> LOG.info("Migration {}: target table {} exists, kept as it is", ctx.migration.name(), name);
                default -> throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot plan migration "
                        + ctx.migration.describe() + ": target table " + schema + "." + name + " already exists. Set onExistingTable: "
                        + "drop (replace it), truncate (empty it) or keep (copy into it as it is)");
            }
        }
        boolean spatial = ctx.sourceDialect.getClass() != td.getClass() && toCreate.stream()
                .anyMatch(t -> t.columns().stream().anyMatch(c -> ctx.sourceDialect.spatialType(c) != null));
        if (spatial) {
            ctx.geometry(target, false); // PostGIS found or created, else the spatial columns become WKB bytea
        }
        ctx.targetTablesChanged();
        for (TableInfo table : toCreate) {
            TargetDdl ddl = TargetDdl.of(ctx, table, schema);
            for (String statement : ddl.before()) {
                DbContext.execute(target, statement);
            }
            DbContext.execute(target, ddl.create());
            for (String statement : ddl.after()) {
                DbContext.execute(target, statement);
            }
        }
        td.restoreForeignKeyChecks(target);
    }

    /** The CREATE TABLE statement of a source table on the target (see {@link TargetDdl}). */
    String createTableSql(String schema, TableInfo table) {
        return TargetDdl.of(ctx, table, schema).create();
    }

    // ---- chunk boundaries

    /**
     * Chunks of about chunkSize rows. A single integer key: walks the key index, one boundary query per chunk. A keyset
     * key: one streamed read of the key in binary order, a boundary every chunkSize rows. The first and last chunks are
     * open-ended, so keys below the lowest and above the highest are covered on later runs.
     */
    private List<Chunk> chunks(Connection source, Connection target, TableInfo table) throws SQLException {
        ColumnInfo key = table.rangeKey();
        if (key == null) {
            ChunkKey keyset = ChunkKey.of(table, ctx.sourceDialect);
            if (keyset == null) {
                LOG.info("Table {} has no primary or unique key of integer or text columns: copied and compared as one chunk",
                        table.name());
                return List.of(new Chunk(table.name(), null, null));
            }
            return split(source, ctx.chunkSql(source, target, new Chunk(table.name(), null, null)),
                    Chunk.keyset(table.name(), keyset.columns(), null, null));
        }
        Dialect sd = ctx.sourceDialect;
        String from = sd.qualified(ctx.sourceSchema(source), table.name());
        String column = sd.quote(key.name());
        List<Chunk> chunks = new ArrayList<>();
        Long lo = null;
        while (true) {
            String sql = "SELECT " + column + " FROM " + from + (lo == null ? "" : " WHERE " + column + " >= ?")
                    + " ORDER BY " + column + sd.oneRowAfter(ctx.spec.chunkSize());
            Long hi = null;
            try (PreparedStatement ps = source.prepareStatement(sql)) {
                if (lo != null) {
                    ps.setLong(1, lo);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        hi = rs.getLong(1);
                    }
                }
            }
            chunks.add(new Chunk(table.name(), lo, hi));
            if (hi == null) {
                return chunks;
            }
            lo = hi;
        }
    }

    /**
     * Cuts a chunk's range into chunks of chunkSize rows: streams its keys in key order and takes a boundary every
     * chunkSize rows. The first part keeps the chunk's lower bound, the last its upper bound.
     */
    private List<Chunk> split(Connection source, ChunkSql sql, Chunk within) throws SQLException {
        List<List<Object>> boundaries = new ArrayList<>();
        int size = ctx.spec.chunkSize();
        try (PreparedStatement ps = source.prepareStatement(sql.sourceKeysInOrder(within), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            ctx.sourceDialect.streamResults(source, ps, false);
            sql.bindRange(ps, within);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                long rows = 0;
                while (rs.next()) {
                    if (rows > 0 && rows % size == 0) {
                        List<Object> boundary = new ArrayList<>(columns);
                        for (int i = 0; i < columns; i++) {
                            boundary.add(sql.keyIsText(i) ? rs.getString(i + 1) : (Object) rs.getLong(i + 1));
                        }
                        boundaries.add(boundary);
                    }
                    rows++;
                }
            }
        } finally {
            if (!source.getAutoCommit()) {
                source.commit();
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        if (within.isKeyset()) {
            List<Object> lo = within.from();
            for (List<Object> boundary : boundaries) {
                chunks.add(Chunk.keyset(within.table(), within.key(), lo, boundary));
                lo = boundary;
            }
            chunks.add(Chunk.keyset(within.table(), within.key(), lo, within.to()));
        } else {
            Long lo = within.lo();
            for (List<Object> boundary : boundaries) {
                Long hi = (Long) boundary.get(0);
                chunks.add(new Chunk(within.table(), lo, hi));
                lo = hi;
            }
            chunks.add(new Chunk(within.table(), lo, within.hi()));
        }
        return chunks;
    }
}

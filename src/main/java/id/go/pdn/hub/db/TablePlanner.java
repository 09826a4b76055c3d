package id.go.pdn.hub.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.ledger.LedgerItem;
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
                for (Chunk chunk : chunks(source, table)) {
                    ColumnInfo key = table.rangeKey();
                    items.add(new PlannedItem(chunk.describe(key == null ? null : key.name()), ctx.json.writeValueAsString(chunk)));
                }
            }
            return items;
        } catch (SQLException | JsonProcessingException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + ctx.migration.describe() + ": "
                    + e.getMessage(), e);
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
                long items = table.rangeKey() == null ? 1 : rows / ctx.spec.chunkSize() + 1;
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
        for (TableInfo table : toCreate) {
            TargetDdl ddl = TargetDdl.of(ctx, table, schema);
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

    /** Chunks of about chunkSize rows: walks the key index, one boundary query per chunk. */
    private List<Chunk> chunks(Connection source, TableInfo table) throws SQLException {
        ColumnInfo key = table.rangeKey();
        if (key == null) {
            LOG.info("Table {} has no single integer primary key: copied as one chunk", table.name());
            return List.of(new Chunk(table.name(), null, null));
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
}

package id.go.pdn.hub.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.KindFacts;
import id.go.pdn.hub.core.Redaction;
import id.go.pdn.hub.core.options.KindOptions;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.copy.PgCopyWriter;
import id.go.pdn.hub.db.copy.RowChecksum;
import id.go.pdn.hub.db.copy.RowWriter;
import id.go.pdn.hub.db.copy.ValueKind;
import id.go.pdn.hub.db.dialect.Dialect;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Database migrations ({@code migration:db}): plan = target tables with primary keys, and one item per key-range
 * chunk; copy = stream the chunk from the source into the target in one transaction, then read it back and
 * compare row counts and checksums; finish = secondary indexes, foreign keys and identity counters.
 */
@Component
public class DbCapability implements MigrationCapability {

    private static final Logger LOG = LoggerFactory.getLogger(DbCapability.class);
    private static final int MAX_REJECTS_PER_CHUNK = 1_000;
    /** MariaDB error codes for refused data whose SQLSTATE is a catch-all (HY000, 01000). */
    private static final Set<Integer> MARIADB_DATA_ERRORS = Set.of(1048, 1062, 1264, 1265, 1292, 1366, 1406, 1452);

    private final DataSources dataSources;
    private final ObjectMapper json;
    private final RunReports reports;

    public DbCapability(DataSources dataSources, ObjectMapper json, RunReports reports) {
        this.dataSources = dataSources;
        this.json = json;
        this.reports = reports;
    }

    @Override
    public String kind() {
        return "db";
    }

    @Override
    public KindFacts facts() {
        return FACTS;
    }

    private static final KindFacts FACTS = new KindFacts("Database", "rows", "table", "#1565c0", 1, false,
            "indexes, foreign keys and identity counters", KindFacts::firstWord, 110_000, 0);

    @Override
    public KindOptions newOptions() {
        return new DbOptions();
    }

    /** Checks that both datasources are declared and of an engine the hub knows; connects to neither yet. */
    @Override
    public MigrationJob open(Migration migration) {
        DbOptions options = migration.options(DbOptions.class);
        for (String name : List.of(options.source(), options.target())) {
            if (!dataSources.declared().containsKey(name)) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe()
                        + ": datasource '" + name + "' is not declared; declare it under hub.datasources in "
                        + "config/application.yaml (declared: " + String.join(", ", dataSources.declared().keySet()) + ")");
            }
        }
        Context ctx = new Context(options, dataSources);
        return new Job(migration, ctx);
    }

    @Override
    public Map<String, String> describeEndpoints(Migration migration) {
        DbOptions options = migration.options(DbOptions.class);
        Map<String, String> endpoints = new java.util.LinkedHashMap<>();
        for (String side : List.of("source", "target")) {
            String name = side.equals("source") ? options.source() : options.target();
            DbProperties.Datasource declared = dataSources.declared().get(name);
            if (declared != null) {
                endpoints.put(side + "Database", Redaction.location(declared.getUrl()));
            }
        }
        return endpoints;
    }

    /** SQLSTATE classes that mean "the connection or the server, not the data": 08 connection, 40 rollback, 53 resources, 57 operator, 58 system. */
    private static final Set<String> RETRIABLE_SQLSTATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    /**
     * A lost connection, a rollback by the server, a server short of resources: retried. Refused data (22, 23, a
     * MariaDB data error) and statements the target cannot run (42): final, since the same row is refused again.
     */
    @Override
    public java.util.Optional<Boolean> isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return java.util.Optional.of(true);
            }
            if (t instanceof SQLException sql) {
                if (isDataError(sql)) {
                    return java.util.Optional.of(false);
                }
                String state = sql.getSQLState();
                if (state != null && state.length() >= 2) {
                    if (RETRIABLE_SQLSTATE_CLASSES.contains(state.substring(0, 2))) {
                        return java.util.Optional.of(true);
                    }
                    if (state.startsWith("42")) {
                        return java.util.Optional.of(false);
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** One migration's work: its datasources, dialects and table metadata live in its {@link Context}. */
    private final class Job implements MigrationJob {
        private final Migration migration;
        private final Context ctx;

        Job(Migration migration, Context ctx) {
            this.migration = migration;
            this.ctx = ctx;
        }

        @Override public List<PlannedItem> plan() { return DbCapability.this.plan(migration, ctx); }
        @Override public PlanSurvey survey(List<LedgerItem> verified) { return DbCapability.this.survey(migration, ctx, verified); }
        @Override public ItemOutcome copy(LedgerItem item) throws Exception { return DbCapability.this.copy(migration, ctx, item); }
        @Override public ItemOutcome verify(LedgerItem item) throws Exception { return DbCapability.this.verify(migration, ctx, item); }
        @Override public void finish() { DbCapability.this.finish(migration, ctx); }
    }

    // ---- plan

    List<PlannedItem> plan(Migration migration, Context ctx) {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            List<TableInfo> tables = ctx.tables(source);
            if (tables.isEmpty()) {
                throw noTables("plan", migration, ctx, source);
            }
            prepareTargetTables(migration, ctx, target, tables);
            List<PlannedItem> items = new ArrayList<>();
            for (TableInfo table : tables) {
                for (Chunk chunk : chunks(ctx, source, table)) {
                    ColumnInfo key = table.rangeKey();
                    items.add(new PlannedItem(chunk.describe(key == null ? null : key.name()), json.writeValueAsString(chunk)));
                }
            }
            return items;
        } catch (SQLException | JsonProcessingException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static HubException noTables(String verb, Migration migration, Context ctx, Connection source) throws SQLException {
        List<String> found = new SchemaReader(source, ctx.sourceDialect, ctx.sourceSchema(source)).tableNames();
        return new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot " + verb + " migration " + migration.describe()
                + ": no table of " + ctx.spec.source() + " schema " + ctx.sourceSchema(source) + " matches tables '"
                + ctx.spec.tables() + "' and exclude '" + ctx.spec.exclude() + "'; tables there: " + found);
    }

    // ---- survey (./hub plan): the source only, nothing created

    /** Above this many rows (by the engine's statistics) a table is not counted: the statistics' estimate is shown. */
    static final long EXACT_COUNT_LIMIT = 5_000_000;

    /**
     * Per table: rows (an exact count, or the engine's estimate for a table above {@link #EXACT_COUNT_LIMIT} rows), the
     * table's size in storage where the engine tells it, and the chunks a plan would make; verified = the ledger's
     * verified chunks of the table. Only the source is read.
     */
    PlanSurvey survey(Migration migration, Context ctx, List<LedgerItem> verified) {
        Map<String, long[]> done = new java.util.HashMap<>(); // table -> items, rows, bytes verified
        for (LedgerItem item : verified) {
            Chunk chunk = readChunk(item);
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
                throw noTables("survey", migration, ctx, source);
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
            return new PlanSurvey(migration.name(), kind(), "rows", groups, notes);
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot survey migration " + migration.describe()
                    + ": cannot read " + ctx.spec.source() + ": " + e.getMessage(), e);
        }
    }

    private Chunk readChunk(LedgerItem item) {
        try {
            return json.readValue(item.payload(), Chunk.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read work item " + item.key() + " of migration " + item.migration()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    private void prepareTargetTables(Migration migration, Context ctx, Connection target, List<TableInfo> tables) throws SQLException {
        Dialect td = ctx.targetDialect;
        String schema = ctx.targetSchema(target);
        SchemaReader existing = new SchemaReader(target, td, schema);
        td.relaxForeignKeyChecks(target);
        List<TableInfo> toCreate = new ArrayList<>();
        for (TableInfo table : tables) {
            String name = ctx.targetName(table.name());
            if (!existing.exists(name)) {
                toCreate.add(table);
                continue;
            }
            switch (ctx.spec.onExistingTable()) {
                case "drop" -> {
                    execute(target, td.dropTable(schema, name));
                    toCreate.add(table);
                }
                case "truncate" -> execute(target, "DELETE FROM " + td.qualified(schema, name));
                case "keep" -> LOG.info("Migration {}: target table {} exists, kept as it is", migration.name(), name);
                default -> throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot plan migration "
                        + migration.describe() + ": target table " + schema + "." + name + " already exists. Set onExistingTable: "
                        + "drop (replace it), truncate (empty it) or keep (copy into it as it is)");
            }
        }
        for (TableInfo table : toCreate) {
            execute(target, createTableSql(ctx, schema, table));
        }
        td.restoreForeignKeyChecks(target);
    }

    String createTableSql(Context ctx, String schema, TableInfo table) {
        Dialect td = ctx.targetDialect;
        List<String> columns = new ArrayList<>();
        for (ColumnInfo column : table.columns()) {
            String type = td.columnType(column, ctx.sourceDialect);
            boolean identity = column.autoIncrement() && table.primaryKey().contains(column.name())
                    && table.rangeKey() != null;
            columns.add(td.quote(ctx.targetName(column.name())) + " " + (identity ? td.identityColumn(type) : type)
                    + (column.nullable() ? "" : " NOT NULL"));
        }
        return td.createTable(schema, ctx.targetName(table.name()), columns,
                table.primaryKey().stream().map(ctx::targetName).toList());
    }

    /** Chunks of about chunkSize rows: walks the key index, one boundary query per chunk. */
    private List<Chunk> chunks(Context ctx, Connection source, TableInfo table) throws SQLException {
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

    // ---- copy and verify

    ItemOutcome copy(Migration migration, Context ctx, LedgerItem item) throws Exception {
        Chunk chunk = json.readValue(item.payload(), Chunk.class);
        ChunkSql sql;
        RowChecksum sourceSum = new RowChecksum();
        long started = System.nanoTime();
        SQLException refused = null;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, target, chunk);
            target.setAutoCommit(false);
            // chunks cover disjoint key ranges: without InnoDB's gap locks their transactions never deadlock
            target.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            boolean reading = false;
            try {
                try (PreparedStatement delete = target.prepareStatement(sql.targetDelete(chunk))) {
                    sql.bindRange(delete, chunk);
                    delete.executeUpdate(); // the chunk replaces what an earlier attempt left: nothing twice
                }
                try (PreparedStatement select = source.prepareStatement(sql.sourceSelect(chunk), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    ctx.sourceDialect.streamResults(source, select, sql.wideRows);
                    sql.bindRange(select, chunk);
                    reading = true;
                    try (ResultSet rs = select.executeQuery();
                         RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                        ValueKind[] kinds = ValueKind.of(rs.getMetaData());
                        Object[] row = new Object[kinds.length];
                        while (rs.next()) {
                            reading = true;
                            for (int i = 0; i < kinds.length; i++) {
                                row[i] = kinds[i].read(rs, i + 1);
                            }
                            sourceSum.add(row, kinds);
                            reading = false;
                            writer.write(row, kinds);
                        }
                        reading = false;
                        writer.finish();
                    }
                }
                target.commit();
            } catch (SQLException e) {
                rollbackQuietly(target);
                if (reading && isDataError(e)) {
                    throw new ItemFailure.Final("Cannot copy " + item.key() + " of migration " + migration.describe()
                            + ": the source cannot give a value of row " + (sourceSum.rows() + 1) + " of the chunk: "
                            + targetMessage(e), e);
                }
                if (reading || !isDataError(e)) {
                    throw e;
                }
                refused = e; // found row by row below, once this chunk's connections are back in the pool
            }
        }
        if (refused != null) {
            throw rejected(migration, ctx, chunk, sql, item, refused);
        }
        long copied = System.nanoTime();
        RowChecksum targetSum = readTarget(ctx, sql, chunk);
        LOG.debug("{}: {} rows copied in {} ms, read back in {} ms", item.key(), sourceSum.rows(),
                (copied - started) / 1_000_000, (System.nanoTime() - copied) / 1_000_000);
        return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum.value());
    }

    private RowChecksum readTarget(Context ctx, ChunkSql sql, Chunk chunk) throws SQLException {
        return readChecksum(ctx.target, ctx.targetDialect, sql.targetSelect(chunk), sql, chunk);
    }

    /** Reads a chunk's rows on one side and sums them as {@link #copy} does while it writes them. */
    private static RowChecksum readChecksum(DataSource side, Dialect dialect, String select, ChunkSql sql, Chunk chunk)
            throws SQLException {
        RowChecksum sum = new RowChecksum();
        try (Connection connection = side.getConnection();
             PreparedStatement ps = connection.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            dialect.streamResults(connection, ps, sql.wideRows);
            sql.bindRange(ps, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                ValueKind[] kinds = ValueKind.of(rs.getMetaData());
                Object[] row = new Object[kinds.length];
                while (rs.next()) {
                    for (int i = 0; i < kinds.length; i++) {
                        row[i] = kinds[i].read(rs, i + 1);
                    }
                    sum.add(row, kinds);
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        return sum;
    }

    /**
     * Reads the chunk again on both sides, writing nothing: row count and checksum of the source's rows and of the
     * target's, as {@link #copy} computes them. A target table that is gone gives a null target checksum.
     */
    ItemOutcome verify(Migration migration, Context ctx, LedgerItem item) throws Exception {
        Chunk chunk = readChunk(item);
        ChunkSql sql;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, target, chunk);
        }
        RowChecksum sourceSum = readChecksum(ctx.source, ctx.sourceDialect, sql.sourceSelect(chunk), sql, chunk);
        String targetSum;
        try {
            targetSum = readTarget(ctx, sql, chunk).value();
        } catch (SQLException e) {
            boolean tableThere;
            try (Connection target = ctx.target.getConnection()) {
                tableThere = new SchemaReader(target, ctx.targetDialect, sql.targetSchema).exists(sql.targetTable);
            }
            if (tableThere) {
                throw e;
            }
            targetSum = null;
        }
        return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum);
    }

    /**
     * The target refused the chunk: finds the refused rows one by one (each in a savepoint, all rolled back),
     * writes them to the reject file and fails the chunk with the first one's table, key and column.
     */
    private ItemFailure rejected(Migration migration, Context ctx, Chunk chunk, ChunkSql sql, LedgerItem item, SQLException cause) {
        List<RejectFile.Reject> rejects = new ArrayList<>();
        long rows = 0;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            target.setAutoCommit(false);
            try (PreparedStatement select = source.prepareStatement(sql.sourceSelect(chunk), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ctx.sourceDialect.streamResults(source, select, sql.wideRows);
                sql.bindRange(select, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    ValueKind[] kinds = ValueKind.of(rs.getMetaData());
                    Object[] row = new Object[kinds.length];
                    while (rs.next() && rejects.size() < MAX_REJECTS_PER_CHUNK) {
                        rows++;
                        for (int i = 0; i < kinds.length; i++) {
                            row[i] = kinds[i].read(rs, i + 1);
                        }
                        Savepoint savepoint = target.setSavepoint();
                        try (RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                            writer.write(row, kinds);
                            writer.finish();
                        } catch (SQLException refused) {
                            target.rollback(savepoint);
                            rejects.add(new RejectFile.Reject(sql.keyText(row), columnOf(refused), targetMessage(refused), copyLine(row, kinds)));
                        }
                    }
                }
            } finally {
                rollbackQuietly(target);
            }
        } catch (SQLException e) {
            LOG.warn("Cannot find the refused rows of {}: {}", item.key(), e.getMessage());
        }
        String what = "Cannot copy " + item.key() + " of migration " + migration.describe() + ": the target refused ";
        if (rejects.isEmpty()) {
            return new ItemFailure.Final(what + "the chunk: " + targetMessage(cause), cause);
        }
        Path file;
        try {
            file = RejectFile.append(reports.applicationDir(migration.application()), migration.name(), sql.targetTable, rejects);
        } catch (java.io.IOException e) {
            file = null;
            LOG.warn("Cannot write the reject file of {}: {}", item.key(), e.getMessage());
        }
        RejectFile.Reject first = rejects.get(0);
        return new ItemFailure.Final(what + rejects.size() + (rejects.size() >= MAX_REJECTS_PER_CHUNK ? "+" : "") + " of " + rows
                + " rows; first: table " + sql.targetTable + ", key " + first.key()
                + (first.column() == null ? "" : ", column " + first.column()) + ": " + first.error()
                + (file == null ? "" : "; refused rows in " + file), cause);
    }

    private static String copyLine(Object[] row, ValueKind[] kinds) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            if (row[i] == null) {
                line.append("\\N");
            } else {
                String text = kinds[i].copyText(row[i]);
                StringBuilder escaped = new StringBuilder();
                for (char c : text.toCharArray()) {
                    switch (c) {
                        case '\\' -> escaped.append("\\\\");
                        case '\t' -> escaped.append("\\t");
                        case '\n' -> escaped.append("\\n");
                        case '\r' -> escaped.append("\\r");
                        case '\0' -> escaped.append("\\0");
                        default -> escaped.append(c);
                    }
                }
                line.append(escaped);
            }
        }
        return line.toString();
    }

    private static final Pattern COLUMN_IN_WHERE = Pattern.compile("column ([^:,]+)");
    private static final Pattern COLUMN_IN_MESSAGE = Pattern.compile("column ['`\"]([^'`\"]+)['`\"]");

    /** The refused column, from PostgreSQL's error fields or the text of MariaDB's and H2's messages. */
    static String columnOf(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server.getColumn() != null) {
                return server.getColumn();
            }
            if (server.getWhere() != null) {
                Matcher m = COLUMN_IN_WHERE.matcher(server.getWhere());
                if (m.find()) {
                    return m.group(1).strip();
                }
            }
        }
        Matcher m = COLUMN_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    private static String targetMessage(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            return psql.getServerErrorMessage().getMessage() + " (SQLSTATE " + psql.getSQLState() + ")";
        }
        return e.getMessage().strip().replaceAll("\\s*\\n\\s*", " ") + " (SQLSTATE " + e.getSQLState() + ")";
    }

    static boolean isDataError(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
                if (MARIADB_DATA_ERRORS.contains(sql.getErrorCode()) && (state == null || !state.startsWith("08"))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- finish

    void finish(Migration migration, Context ctx) {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            Dialect td = ctx.targetDialect;
            String schema = ctx.targetSchema(target);
            List<TableInfo> tables = ctx.tables(source);
            Set<String> migrated = tables.stream().map(TableInfo::name).collect(Collectors.toSet());
            finishTablesInParallel(migration, ctx, schema, tables);
            SchemaReader targetSchema = new SchemaReader(target, td, schema);
            for (TableInfo table : tables) {
                String name = ctx.targetName(table.name());
                Set<String> present = targetSchema.table(name).foreignKeys().stream().map(TableInfo.ForeignKeyInfo::name)
                        .collect(Collectors.toSet());
                for (TableInfo.ForeignKeyInfo fk : table.foreignKeys()) {
                    if (!migrated.contains(fk.referencedTable())) {
                        LOG.warn("Migration {}: foreign key {} of {} not created: table {} is not migrated", migration.name(),
                                fk.name(), table.name(), fk.referencedTable());
                        continue;
                    }
                    TableInfo.ForeignKeyInfo mapped = new TableInfo.ForeignKeyInfo(ctx.targetName(fk.name()),
                            fk.columns().stream().map(ctx::targetName).toList(), ctx.targetName(fk.referencedTable()),
                            fk.referencedColumns().stream().map(ctx::targetName).toList(), fk.onUpdate(), fk.onDelete());
                    if (!present.contains(mapped.name())) {
                        execute(target, td.addForeignKey(schema, name, mapped, mapped.referencedTable()));
                    }
                }
            }
            if (!target.getAutoCommit()) {
                target.commit();
            }
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot create the indexes and foreign keys of migration "
                    + migration.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Indexes and identity counters, one table per connection at a time (index builds are the slow part). */
    private void finishTablesInParallel(Migration migration, Context ctx, String schema, List<TableInfo> tables) throws SQLException {
        int poolRoom = dataSources.declared().get(ctx.spec.target()).getMaxPoolSize() - 1; // finish() holds one
        int threads = Math.max(1, Math.min(Math.min(tables.size(), poolRoom), migration.common().getParallelism()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Void>> done = new ArrayList<>();
            for (TableInfo table : tables) {
                done.add(pool.submit(() -> {
                    finishTable(ctx, schema, table);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Void> table : done) {
                try {
                    table.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void finishTable(Context ctx, String schema, TableInfo table) throws SQLException {
        Dialect td = ctx.targetDialect;
        String name = ctx.targetName(table.name());
        try (Connection target = ctx.target.getConnection()) {
            for (TableInfo.IndexInfo index : table.indexes()) {
                TableInfo.IndexInfo mapped = new TableInfo.IndexInfo(index.name(), index.unique(),
                        index.columns().stream().map(ctx::targetName).toList());
                execute(target, td.createIndex(schema, name, mapped, td.indexName(name, ctx.targetName(index.name()))));
            }
            for (ColumnInfo column : table.columns()) {
                if (column.autoIncrement() && table.rangeKey() != null && table.rangeKey().name().equals(column.name())) {
                    td.resetIdentity(target, schema, name, ctx.targetName(column.name()));
                }
            }
            if (!target.getAutoCommit()) {
                target.commit();
            }
        }
    }

    // ---- shared

    private static void execute(Connection connection, String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " [" + sql + "]", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.getMessage());
        }
    }

    /** What every item of one migration shares: datasources, dialects, schemas and table metadata. */
    static final class Context {
        final DbOptions spec;
        final DataSource source;
        final DataSource target;
        final Dialect sourceDialect;
        final Dialect targetDialect;
        private volatile String sourceSchema;
        private volatile String targetSchema;
        private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();

        Context(DbOptions spec, DataSources dataSources) {
            this.spec = spec;
            this.source = dataSources.get(spec.source());
            this.target = dataSources.get(spec.target());
            this.sourceDialect = dataSources.dialect(spec.source());
            this.targetDialect = dataSources.dialect(spec.target());
        }

        String sourceSchema(Connection source) throws SQLException {
            if (sourceSchema == null) {
                sourceSchema = spec.sourceSchema() != null ? spec.sourceSchema() : sourceDialect.defaultSchema(source);
            }
            return sourceSchema;
        }

        String targetSchema(Connection target) throws SQLException {
            if (targetSchema == null) {
                targetSchema = spec.targetSchema() != null ? spec.targetSchema() : targetDialect.defaultSchema(target);
            }
            return targetSchema;
        }

        String targetName(String sourceName) {
            return targetDialect.targetName(sourceName, sourceDialect);
        }

        List<TableInfo> tables(Connection source) throws SQLException {
            SchemaReader reader = new SchemaReader(source, sourceDialect, sourceSchema(source));
            List<TableInfo> all = reader.tables(spec::includes);
            all.forEach(t -> tables.put(t.name(), t));
            return all;
        }

        TableInfo table(Connection source, String name) throws SQLException {
            TableInfo table = tables.get(name);
            if (table == null) {
                table = new SchemaReader(source, sourceDialect, sourceSchema(source)).table(name);
                tables.put(name, table);
            }
            return table;
        }

        ChunkSql chunkSql(Connection source, Connection target, Chunk chunk) throws SQLException {
            TableInfo table = table(source, chunk.table());
            return new ChunkSql(this, table, sourceSchema(source), targetSchema(target));
        }
    }

    /** The statements of one table's chunks, on each side; a bound that is open adds no condition. */
    static final class ChunkSql {
        final String targetSchema;
        final String targetTable;
        final List<String> targetColumns;
        /** Whether rows may hold large text or binary values (fetched a few at a time). */
        final boolean wideRows;
        private final String sourceSelect;
        private final String targetSelect;
        private final String targetDelete;
        private final String sourceKey;
        private final String targetKey;
        private final ColumnInfo key;
        private final int keyIndex;

        ChunkSql(Context ctx, TableInfo table, String sourceSchema, String targetSchema) {
            Dialect sd = ctx.sourceDialect;
            Dialect td = ctx.targetDialect;
            this.targetSchema = targetSchema;
            this.targetTable = ctx.targetName(table.name());
            this.key = table.rangeKey();
            List<String> sourceColumns = table.columns().stream().map(ColumnInfo::name).toList();
            this.targetColumns = sourceColumns.stream().map(ctx::targetName).toList();
            this.keyIndex = key == null ? -1 : sourceColumns.indexOf(key.name());
            this.wideRows = table.columns().stream().map(sd::classify)
                    .anyMatch(t -> t == GenericType.TEXT || t == GenericType.BINARY || t == GenericType.JSON || t == GenericType.OTHER);
            this.sourceKey = key == null ? null : sd.quote(key.name());
            this.targetKey = key == null ? null : td.quote(ctx.targetName(key.name()));
            this.sourceSelect = "SELECT " + sd.quoteAll(sourceColumns) + " FROM " + sd.qualified(sourceSchema, table.name());
            this.targetSelect = "SELECT " + td.quoteAll(targetColumns) + " FROM " + td.qualified(targetSchema, targetTable);
            this.targetDelete = "DELETE FROM " + td.qualified(targetSchema, targetTable);
        }

        String sourceSelect(Chunk chunk) {
            return sourceSelect + where(sourceKey, chunk);
        }

        String targetSelect(Chunk chunk) {
            return targetSelect + where(targetKey, chunk);
        }

        String targetDelete(Chunk chunk) {
            return targetDelete + where(targetKey, chunk);
        }

        private String where(String column, Chunk chunk) {
            if (key == null || (chunk.lo() == null && chunk.hi() == null)) {
                return "";
            }
            if (chunk.lo() == null) {
                return " WHERE " + column + " < ?";
            }
            return chunk.hi() == null ? " WHERE " + column + " >= ?" : " WHERE " + column + " >= ? AND " + column + " < ?";
        }

        void bindRange(PreparedStatement ps, Chunk chunk) throws SQLException {
            if (key == null) {
                return;
            }
            int index = 1;
            if (chunk.lo() != null) {
                ps.setLong(index++, chunk.lo());
            }
            if (chunk.hi() != null) {
                ps.setLong(index, chunk.hi());
            }
        }

        String keyText(Object[] row) {
            return key == null ? "(no key)" : key.name() + "=" + row[keyIndex];
        }
    }
}

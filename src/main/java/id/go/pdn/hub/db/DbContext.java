package id.go.pdn.hub.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one database migration share (planner, chunk copier, reject finder, finisher): the migration and its
 * options, both datasources and dialects, the schemas and the source tables' metadata, read once and kept while the
 * migration is loaded.
 */
final class DbContext {

    private static final Logger LOG = LoggerFactory.getLogger(DbContext.class);

    final Migration migration;
    final DbOptions spec;
    final DataSource source;
    final DataSource target;
    final Dialect sourceDialect;
    final Dialect targetDialect;
    /** Reads and writes the chunks' payloads in the ledger. */
    final ObjectMapper json;
    /** Connections the target's pool holds at most: the finisher builds indexes on as many at once. */
    final int targetPoolSize;
    /** Connections the source's pool holds at most: a sync listing reads chunks on as many at once, less one. */
    final int sourcePoolSize;
    private volatile Boolean targetRelaxesForeignKeys;
    private volatile String sourceSchema;
    private volatile String targetSchema;
    private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cascading = new ConcurrentHashMap<>(); // target table -> deletes cascade
    private final Map<String, Map<String, String>> targetTypes = new ConcurrentHashMap<>(); // target table -> column -> type
    /** PostGIS on the target, as the plan found or made it (null: not asked yet in this process). */
    private volatile Dialect.Geometry geometry;

    DbContext(Migration migration, DataSources dataSources, ObjectMapper json) {
        this.migration = migration;
        this.json = json;
        this.spec = migration.options(DbOptions.class);
        this.source = dataSources.get(spec.source());
        this.target = dataSources.get(spec.target());
        this.sourceDialect = dataSources.dialect(spec.source());
        this.targetDialect = dataSources.dialect(spec.target());
        this.targetPoolSize = dataSources.declared().get(spec.target()).getMaxPoolSize();
        this.sourcePoolSize = dataSources.declared().get(spec.source()).getMaxPoolSize();
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

    /** Whether names are lowered on the target: {@code identifierCase}, or the engines' default (MariaDB into PostgreSQL). */
    boolean lowersNames() {
        String option = spec.identifierCase();
        return option == null ? targetDialect.lowersNamesFrom(sourceDialect) : option.equals("lower");
    }

    /** sync mode: chunks are copied again over a target whose foreign keys exist. */
    boolean sync() {
        return spec.sync();
    }

    /**
     * Whether a chunk's transaction on the target may lift foreign-key checks and actions (probed once): in sync mode a
     * replaced chunk must not cascade into other tables' rows, nor wait for a referenced table's chunk.
     */
    boolean targetRelaxesForeignKeys(Connection target) {
        if (targetRelaxesForeignKeys == null) {
            targetRelaxesForeignKeys = targetDialect.canRelaxForeignKeys(target);
            if (!targetRelaxesForeignKeys) {
                LOG.warn("Migration {}: the user of {} may not lift foreign-key checks (PostgreSQL: superuser, or GRANT SET ON "
                        + "PARAMETER session_replication_role TO it): in sync mode a chunk copied again over a table that "
                        + "other tables reference may fail, or cascade", migration.name(), spec.target());
            }
        }
        return targetRelaxesForeignKeys;
    }

    /**
     * Whether deleting rows of a target table changes other tables' rows: a foreign key referring to it with ON DELETE
     * CASCADE, SET NULL or SET DEFAULT (read from the driver's metadata, once per table).
     */
    boolean deletesCascade(Connection target, String schema, String table) throws java.sql.SQLException {
        Boolean known = cascading.get(table);
        if (known != null) {
            return known;
        }
        boolean cascades = false;
        try (java.sql.ResultSet keys = target.getMetaData().getExportedKeys(target.getCatalog(), schema, table)) {
            while (keys.next()) {
                short rule = keys.getShort("DELETE_RULE");
                cascades |= rule == java.sql.DatabaseMetaData.importedKeyCascade || rule == java.sql.DatabaseMetaData.importedKeySetNull
                        || rule == java.sql.DatabaseMetaData.importedKeySetDefault;
            }
        }
        cascading.put(table, cascades);
        return cascades;
    }

    String targetName(String sourceName) {
        if (lowersNames()) {
            return sourceName.toLowerCase(java.util.Locale.ROOT);
        }
        return targetDialect.targetName(sourceName, sourceDialect);
    }

    /** How the translated expressions and views name things on the target. */
    id.go.pdn.hub.db.dialect.MySqlToPostgres.Names names(String sourceSchema, String targetSchema) {
        return new id.go.pdn.hub.db.dialect.MySqlToPostgres.Names(this::targetName, sourceSchema, targetSchema);
    }

    /**
     * The source tables the migration copies (tables and exclude), read again from the source's metadata. A column whose
     * values the hub cannot read faithfully (a charset without a Java table) fails, naming table, column and why.
     */
    List<TableInfo> tables(Connection source) throws SQLException {
        SchemaReader reader = new SchemaReader(source, sourceDialect, sourceSchema(source));
        List<TableInfo> all = reader.tables(spec::includes);
        for (TableInfo table : all) {
            for (ColumnInfo column : table.copiedColumns()) {
                String why = sourceDialect.unreadable(column);
                if (why != null) {
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot plan migration " + migration.describe()
                            + ": column " + column.name() + " of table " + table.name() + " cannot be copied: " + why
                            + ". Convert the column at the source (ALTER TABLE " + table.name() + " MODIFY " + column.name()
                            + " ... CHARACTER SET utf8mb4) or leave the table out (exclude: " + table.name() + ")");
                }
            }
        }
        all.forEach(t -> tables.put(t.name(), t));
        return all;
    }

    /**
     * PostGIS on the target for the spatial columns of the tables a plan makes ({@link Dialect#geometry}): found, or
     * created when possible (else they become WKB bytea, said in the log); {@code preview} only tries (rolled back).
     */
    Dialect.Geometry geometry(Connection target, boolean preview) throws SQLException {
        Dialect.Geometry found = targetDialect.geometry(target, !preview);
        if (found.schema() == null && found.note() != null) {
            LOG.warn("Migration {}: spatial columns become WKB bytea on {}, not PostGIS geometry: {}", migration.name(),
                    spec.target(), found.note());
        } else if (found.created() && !preview) {
            LOG.info("Migration {}: {}", migration.name(), found.note());
        }
        geometry = found;
        return found;
    }

    /** Target table -> its {@link SqlSums#rowExpression} ("" when it has none), for a PostgreSQL target. */
    private final Map<String, String> sqlSumRows = new ConcurrentHashMap<>();

    /**
     * The statement that sums a chunk of the target in SQL ({@link SqlSums}), or null: the target is no PostgreSQL, or a column
     * has no SQL form.
     */
    String sqlSums(Connection target, ChunkSql sql, Chunk chunk) throws SQLException {
        String row = sqlRowHash(target, sql);
        return row == null ? null : SqlSums.query(row, sql.targetFrom(chunk));
    }

    /** The SQL expression of a target row's MD5 as {@link id.go.pdn.hub.db.copy.RowChecksum} hashes it, or null (see {@link #sqlSums}). */
    String sqlRowHash(Connection target, ChunkSql sql) throws SQLException {
        if (!(targetDialect instanceof id.go.pdn.hub.db.dialect.PostgresDialect)) {
            return null;
        }
        String row = sqlSumRows.get(sql.targetTable);
        if (row == null) {
            try (PreparedStatement ps = target.prepareStatement(sql.targetSelectNoRows()); ResultSet rs = ps.executeQuery()) {
                row = SqlSums.rowExpression(sql.targetReads, rs.getMetaData());
            }
            row = row == null ? "" : row;
            sqlSumRows.put(sql.targetTable, row);
            if (row.isEmpty()) {
                LOG.debug("target table {}: a column has no SQL checksum form; its chunks are read back to be verified", sql.targetTable);
            }
        }
        return row.isEmpty() ? null : row;
    }

    /** Forgets the target tables' column types read so far (the plan made or replaced tables). */
    void targetTablesChanged() {
        targetTypes.clear();
        sqlSumRows.clear();
    }

    /** PostGIS as the plan found it, or {@link Dialect.Geometry#NONE} before (spatial columns are then bytea). */
    Dialect.Geometry geometry() {
        Dialect.Geometry known = geometry;
        return known == null ? Dialect.Geometry.NONE : known;
    }

    /**
     * The target table's column types as the target engine writes them, by column name (read once and kept; empty while
     * the table does not exist yet): how a chunk reads a column depends on them (PostGIS geometry or WKB bytea).
     */
    Map<String, String> targetTypes(Connection target, String schema, String table) throws SQLException {
        Map<String, String> known = targetTypes.get(table);
        if (known != null) {
            return known;
        }
        Map<String, String> types = targetDialect.nativeColumnTypes(target, schema, table);
        if (!types.isEmpty()) {
            targetTypes.put(table, types);
        }
        return types;
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
        String schema = targetSchema(target);
        return new ChunkSql(this, table, sourceSchema(source), schema, targetTypes(target, schema, targetName(table.name())));
    }

    /** The chunk a ledger item stands for (its payload). */
    Chunk chunkOf(LedgerItem item) {
        try {
            return json.readValue(item.payload(), Chunk.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read work item " + item.key() + " of migration " + item.migration()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " [" + sql + "]", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.getMessage());
        }
    }
}

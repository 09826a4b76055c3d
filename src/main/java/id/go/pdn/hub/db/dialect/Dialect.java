package id.go.pdn.hub.db.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.List;
import id.go.pdn.hub.db.ColumnInfo;
import id.go.pdn.hub.db.GenericType;
import id.go.pdn.hub.db.TableInfo;
import id.go.pdn.hub.db.copy.RawValue;
import id.go.pdn.hub.db.copy.RowWriter;

/**
 * What differs between database engines, as source and as target. One subclass per engine, registered in
 * {@link Dialects}; the type table of each target is one readable map ({@link #typeTable()}).
 */
public abstract class Dialect {

    /** Short name, as in messages: postgresql, mariadb, h2. */
    public abstract String name();

    /** Whether this dialect handles a JDBC URL. */
    public abstract boolean handles(String jdbcUrl);

    /** Driver properties the hub needs (e.g. keep TINYINT(1) a number so no value is folded to true/false). */
    public Map<String, String> connectionProperties() {
        return Map.of();
    }

    // ---- names

    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Whether metadata calls take the database as catalog (MariaDB) instead of a schema. */
    public boolean schemaIsCatalog() {
        return false;
    }

    /** The schema (or catalog) to read or write when the route names none. */
    public abstract String defaultSchema(Connection connection) throws SQLException;

    public String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /**
     * The name a source identifier gets on this target. Names the source folded to upper case (H2) are folded to
     * this engine's case, so that unquoted queries keep working; other names are kept as they are.
     */
    public String targetName(String sourceName, Dialect source) {
        if (source.foldsToUpperCase() && !foldsToUpperCase() && sourceName.equals(sourceName.toUpperCase(Locale.ROOT))) {
            return sourceName.toLowerCase(Locale.ROOT);
        }
        return sourceName;
    }

    /** Whether names from this source are lowered by default on this target (MySQL's mixed case into PostgreSQL). */
    public boolean lowersNamesFrom(Dialect source) {
        return false;
    }

    protected boolean foldsToUpperCase() {
        return false;
    }

    // ---- as source

    /** Exact native column types of a table, by column name, when the engine can tell (first layer of the mapping). */
    public Map<String, String> nativeColumnTypes(Connection connection, String schema, String table) throws SQLException {
        return Map.of();
    }

    /**
     * What a source column holds beyond JDBC metadata: its default, its generation, MySQL's ON UPDATE, the character set
     * of a text column (null if none or unknown).
     */
    public record ColumnDetails(String defaultValue, String generated, boolean stored, boolean onUpdateNow, String charset) {
        public ColumnDetails(String defaultValue, String generated, boolean stored, boolean onUpdateNow) {
            this(defaultValue, generated, stored, onUpdateNow, null);
        }
    }

    /** Defaults, generated columns and ON UPDATE of a table's columns, by column name, when the engine can tell. */
    public Map<String, ColumnDetails> columnDetails(Connection connection, String schema, String table) throws SQLException {
        return Map.of();
    }

    /** The table's check constraints (not NOT NULL), when the engine can tell. */
    public List<TableInfo.CheckInfo> checks(Connection connection, String schema, String table) throws SQLException {
        return List.of();
    }

    /**
     * A schema object beside the tables.
     *
     * @param kind view, trigger, procedure or function
     * @param table a trigger's table, else null
     * @param definition a view's query as the engine stores it, else null
     * @param ddl the statement that makes the object on the source engine
     */
    public record SourceObject(String kind, String name, String table, String definition, String ddl) {
    }

    /** The schema's views, triggers and routines, with their source DDL. */
    public List<SourceObject> objects(Connection connection, String schema) throws SQLException {
        return List.of();
    }

    /**
     * What the engine's statistics say of a table without reading it: estimated rows ({@code -1} if the engine has
     * none yet) and its size in storage in bytes ({@code -1} if unknown). Used by {@code ./hub plan} only.
     */
    public TableStatistics statistics(Connection connection, String schema, String table) throws SQLException {
        return TableStatistics.NONE;
    }

    /** Estimated rows and bytes in storage of a table; -1 where the engine cannot tell. */
    public record TableStatistics(long estimatedRows, long bytes) {
        public static final TableStatistics NONE = new TableStatistics(-1, -1);

        public boolean bytesKnown() {
            return bytes >= 0;
        }
    }

    /** Refines the generic classification of a source column for this engine's own types. */
    public GenericType classify(ColumnInfo column) {
        return GenericType.of(column);
    }

    /**
     * How a chunk's SELECT reads a source column for this target: the column itself, or a conversion (spatial to WKB,
     * text of a legacy charset as its raw bytes, see {@link #rawValue}).
     *
     * @param targetType the target column's type as the target engine writes it, lower case ({@code geometry(point)},
     *                   {@code bytea}), or null when unknown
     */
    public String selectColumn(ColumnInfo column, Dialect target, String targetType) {
        return quote(column.name());
    }

    /**
     * How the hub turns the raw bytes {@link #selectColumn} reads into the column's value (a MySQL charset decoded in
     * Java, MariaDB geometry into EWKB), or null when the driver's value is taken as it is.
     */
    public RawValue rawValue(ColumnInfo column, Dialect target, String targetType) {
        return null;
    }

    /**
     * Whether the driver's {@code getString} of a DECIMAL column, as a source, is the value's text as the server sent it
     * (MariaDB's text protocol): a chunk then reads DECIMAL values as that text, without a BigDecimal, where it is the plain
     * text of the value ({@link id.go.pdn.hub.db.copy.ValueKind#plainDecimal}).
     */
    public boolean decimalTextIsPlain() {
        return false;
    }

    /** Why the hub cannot read a source column's values faithfully (a charset Java has no table for), or null. */
    public String unreadable(ColumnInfo column) {
        return null;
    }

    /** The geometry type of a source spatial column ({@code Point}, {@code Geometry}, ...), or null for other columns. */
    public String spatialType(ColumnInfo column) {
        return null;
    }

    // ---- spatial and enum types on a target

    /**
     * Whether this target can hold geometry (PostGIS), made available if {@code create} and possible.
     *
     * @param schema the schema of the extension's types and functions, or null
     * @param note what was done or why it is not there, for the log and {@code plan --ddl}
     * @param created whether the extension was created now (or, without {@code create}, would be)
     */
    public record Geometry(String schema, String note, boolean created) {
        public static final Geometry NONE = new Geometry(null, null, false);
    }

    /**
     * Makes geometry available on this target when it can: PostgreSQL with PostGIS present or creatable. Without
     * {@code create} only tells whether it would be (tried and rolled back).
     */
    public Geometry geometry(Connection connection, boolean create) throws SQLException {
        return Geometry.NONE;
    }

    /** Whether a target column type (as {@code selectColumn} gets it) is PostGIS geometry. */
    public static boolean isGeometry(String targetType) {
        return targetType != null && targetType.matches("(?i)(.*\\.)?\"?geometry\"?(\\(.*)?");
    }

    /** The DDL type of a spatial column on this target when it holds geometry, or null. */
    public String geometryType(String spatialType, String schema) {
        return null;
    }

    /** How a chunk's SELECT reads a target column so that it compares with the source ({@code ST_AsEWKB} for geometry). */
    public String selectTargetColumn(String quotedColumn, String type) {
        return quotedColumn;
    }

    /** Statements that make an enum type of these values on this target (before the table), or null if it has none. */
    public List<String> createEnumType(String schema, String type, List<String> values) {
        return null;
    }

    /** SQL suffix that keeps one row after skipping {@code offset} (chunk boundaries). */
    public String oneRowAfter(int offset) {
        return " OFFSET " + offset + " ROWS FETCH NEXT 1 ROWS ONLY";
    }

    /** Lets a session drop or load tables in any order (MariaDB checks foreign keys per statement). */
    public void relaxForeignKeyChecks(Connection connection) throws SQLException {
    }

    /** Undoes {@link #relaxForeignKeyChecks} before the connection goes back to the pool. */
    public void restoreForeignKeyChecks(Connection connection) throws SQLException {
    }

    /**
     * Makes a query stream its rows instead of loading them all.
     *
     * @param wideRows the rows may hold large text or binary values: fetch fewer at a time
     */
    public void streamResults(Connection connection, PreparedStatement statement, boolean wideRows) throws SQLException {
        statement.setFetchSize(wideRows ? 100 : 10_000);
    }

    // ---- as target

    /** Generic type to DDL for this engine: the second layer of the type mapping. */
    protected abstract Map<GenericType, TypeWriter> typeTable();

    /** DDL text for one type; a lambda over the source column (size, scale). */
    @FunctionalInterface
    public interface TypeWriter {
        String ddl(ColumnInfo column);
    }

    /** The DDL type of a source column on this target. */
    public String columnType(ColumnInfo column, Dialect source) {
        if (source.getClass() == getClass() && column.nativeType() != null) {
            return column.nativeType();
        }
        return typeTable().get(source.classify(column)).ddl(column);
    }

    /**
     * A source expression (default, check, generated column, view query) in this engine's SQL.
     *
     * @throws MySqlToPostgres.Untranslatable when this engine has no equivalent the hub knows of
     */
    public String expression(String sourceExpression, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        if (source.getClass() == getClass()) {
            return sourceExpression;
        }
        throw new MySqlToPostgres.Untranslatable("no translation from " + source.name() + " into " + name());
    }

    /**
     * The default of a source column on this target, or null for none.
     *
     * @throws MySqlToPostgres.Untranslatable when this engine cannot express it
     */
    public String columnDefault(ColumnInfo column, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        String value = column.defaultValue();
        if (value == null || column.autoIncrement()) {
            return null;
        }
        return expression(value, source, names);
    }

    /** A generated column's definition after its name. */
    public String generatedColumn(String type, String expression, boolean stored) {
        return type + " GENERATED ALWAYS AS (" + expression + ")";
    }

    /** The clause that keeps a column at the row's last update time, inside its definition; null if made by a trigger. */
    public String onUpdateNowClause(ColumnInfo column) {
        return null;
    }

    /** Statements after CREATE TABLE that set these columns to the current time whenever a row is updated. */
    public List<String> onUpdateNowTriggers(String schema, String table, List<ColumnInfo> columns, java.util.function.UnaryOperator<String> names) {
        return List.of();
    }

    /** A CHECK that keeps a column within a MySQL enum's values (or, {@code set}, comma lists of them); null if none. */
    public String valueListCheck(String quotedColumn, List<String> values, boolean set) {
        if (set) {
            return null;
        }
        return quotedColumn + " IN (" + values.stream().map(MySqlToPostgres::literal).collect(Collectors.joining(", ")) + ")";
    }

    /** A check constraint inside CREATE TABLE. */
    public String checkConstraint(String name, String condition) {
        return "CONSTRAINT " + quote(name) + " CHECK (" + condition + ")";
    }

    /** A unique constraint (or unique index, where the engine makes no difference) on the target. */
    public String addUnique(String schema, String table, TableInfo.IndexInfo index, String name) {
        return createIndex(schema, table, index, name);
    }

    /** Whether a unique constraint or index of this name is on the target already. */
    public boolean hasUnique(Connection connection, String schema, String table, String name) throws SQLException {
        return false;
    }

    /**
     * A source view's query ({@code definition} as the source stores it) for this engine, with the tables it reads.
     *
     * @throws MySqlToPostgres.Untranslatable when it cannot be carried over
     */
    public MySqlToPostgres.View view(String definition, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        if (source.getClass() != getClass()) {
            throw new MySqlToPostgres.Untranslatable("no translation of views from " + source.name() + " into " + name());
        }
        // the same engine: the query as it is, its tables in the target schema; the translator only finds the tables
        String select = names.sourceSchema() == null ? definition
                : definition.replace(source.quote(names.sourceSchema()) + ".", quote(names.targetSchema()) + ".");
        return new MySqlToPostgres.View(select, MySqlToPostgres.tablesOf(definition, names.sourceSchema()));
    }

    public String createView(String schema, String view, String select) {
        return "CREATE OR REPLACE VIEW " + qualified(schema, view) + " AS " + select;
    }

    /** An auto-increment column's definition (type plus identity clause). */
    public String identityColumn(String type) {
        return type + " GENERATED BY DEFAULT AS IDENTITY";
    }

    public String createTable(String schema, String table, List<String> columnDefinitions, List<String> primaryKey) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(qualified(schema, table)).append(" (\n  ")
                .append(String.join(",\n  ", columnDefinitions));
        if (!primaryKey.isEmpty()) {
            ddl.append(",\n  PRIMARY KEY (").append(quoteAll(primaryKey)).append(')');
        }
        return ddl.append("\n)").toString();
    }

    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualified(schema, table) + " CASCADE";
    }

    public String createIndex(String schema, String table, TableInfo.IndexInfo index, String indexName) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + quote(indexName) + " ON "
                + qualified(schema, table) + " (" + quoteAll(index.columns()) + ")";
    }

    /**
     * The name of an index on this target. Engines whose index names are per schema (PostgreSQL, H2) prefix the
     * table's name; a name too long for the engine is cut and given a short hash, so two never collide.
     */
    public String indexName(String table, String sourceIndexName) {
        return sourceIndexName;
    }

    protected static String uniqueIdentifier(String name, int maxBytes) {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= maxBytes) {
            return name;
        }
        String hash = Integer.toHexString(name.hashCode() & 0x7fffffff);
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if ((cut + next + "_" + hash).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
                break;
            }
            cut.append(next);
            i += Character.charCount(cp);
        }
        return cut + "_" + hash;
    }

    public String addForeignKey(String schema, String table, TableInfo.ForeignKeyInfo fk, String referencedTable) {
        return "ALTER TABLE " + qualified(schema, table) + " ADD CONSTRAINT " + quote(fk.name()) + " FOREIGN KEY ("
                + quoteAll(fk.columns()) + ") REFERENCES " + qualified(schema, referencedTable) + " ("
                + quoteAll(fk.referencedColumns()) + ")" + (fk.onUpdate() == null ? "" : " ON UPDATE " + fk.onUpdate())
                + (fk.onDelete() == null ? "" : " ON DELETE " + fk.onDelete());
    }

    /**
     * A key column as chunk ranges compare and order it: text in binary (code point) order, whatever the column's
     * collation, so that a range holds the same rows on the source and on the target.
     */
    public String keyOrder(String quotedColumn, boolean text) {
        return quotedColumn;
    }

    /**
     * After a chunk's rows were written and committed: moves the identity counter of the table past its highest key,
     * never back, safely while other chunks of the table commit. By default {@link #resetIdentity}.
     */
    public void followIdentity(Connection connection, String schema, String table, String column) throws SQLException {
        resetIdentity(connection, schema, table, column);
    }

    /**
     * Whether {@link #relaxForeignKeysInTransaction} is allowed for the hub's user (probed once per migration).
     */
    public boolean canRelaxForeignKeys(Connection connection) {
        return true;
    }

    /**
     * In a sync run the target has its foreign keys: a chunk replaced in its transaction (rows deleted and written again)
     * must neither cascade to other tables nor wait for the chunk of a referenced table. Lifts foreign-key checks and
     * actions for the open transaction; {@link #restoreForeignKeyChecks} before the connection goes back.
     */
    public void relaxForeignKeysInTransaction(Connection connection) throws SQLException {
        relaxForeignKeyChecks(connection);
    }

    /** Moves an identity column's counter past the copied rows; nothing to do for engines that follow by themselves. */
    public void resetIdentity(Connection connection, String schema, String table, String column) throws SQLException {
    }

    /** A writer that loads rows into one table in the connection's open transaction. */
    public abstract RowWriter openWriter(Connection connection, String schema, String table, List<String> columns)
            throws SQLException;

    /** A prepared INSERT of one row into the table, for the batch writers. */
    protected String insertSql(String schema, String table, List<String> columns) {
        return "INSERT INTO " + qualified(schema, table) + " (" + quoteAll(columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
    }

    public String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name();
    }
}

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

    protected boolean foldsToUpperCase() {
        return false;
    }

    // ---- as source

    /** Exact native column types of a table, by column name, when the engine can tell (first layer of the mapping). */
    public Map<String, String> nativeColumnTypes(Connection connection, String schema, String table) throws SQLException {
        return Map.of();
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

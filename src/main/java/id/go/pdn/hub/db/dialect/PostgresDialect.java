package id.go.pdn.hub.db.dialect;

import static id.go.pdn.hub.db.GenericType.*;
import static java.util.Map.entry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.db.ColumnInfo;
import id.go.pdn.hub.db.GenericType;
import id.go.pdn.hub.db.copy.PgCopyWriter;
import id.go.pdn.hub.db.copy.RowWriter;

/** PostgreSQL: streams with a cursor (fetch size, no autocommit) and loads with COPY. */
public class PostgresDialect extends Dialect {

    private static final int MAX_VARCHAR = 10_485_760;
    private static final int MAX_IDENTIFIER = 63;

    private static final Map<GenericType, TypeWriter> TYPES = Map.ofEntries(
            entry(BOOLEAN, c -> "boolean"),
            entry(SMALLINT, c -> "smallint"),
            entry(INTEGER, c -> "integer"),
            entry(BIGINT, c -> "bigint"),
            entry(DECIMAL, c -> c.size() > 0 && c.size() <= 1000 ? "numeric(" + c.size() + "," + c.scale() + ")" : "numeric"),
            entry(REAL, c -> "real"),
            entry(DOUBLE, c -> "double precision"),
            // PostgreSQL's char(n) pads with spaces; varchar keeps values exactly as read
            entry(CHAR, c -> c.size() > 0 && c.size() <= MAX_VARCHAR ? "varchar(" + c.size() + ")" : "text"),
            entry(VARCHAR, c -> c.size() > 0 && c.size() <= MAX_VARCHAR ? "varchar(" + c.size() + ")" : "text"),
            entry(TEXT, c -> "text"),
            entry(DATE, c -> "date"),
            entry(TIME, c -> "time"),
            entry(TIMESTAMP, c -> "timestamp"),
            entry(TIMESTAMP_TZ, c -> "timestamptz"),
            entry(BINARY, c -> "bytea"),
            entry(UUID, c -> "uuid"),
            entry(JSON, c -> "json"), // json keeps the text as written; jsonb would reorder it
            entry(OTHER, c -> "text"));

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean handles(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of("ApplicationName", "migration-hub");
    }

    @Override
    public String defaultSchema(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        return schema == null ? "public" : schema;
    }

    /** reltuples (-1 before the first ANALYZE or VACUUM) and pg_table_size: the heap and TOAST, without indexes. */
    @Override
    public TableStatistics statistics(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.reltuples::bigint, pg_table_size(c.oid) "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new TableStatistics(rs.getLong(1), rs.getLong(2)) : TableStatistics.NONE;
            }
        }
    }

    @Override
    public Map<String, String> nativeColumnTypes(Connection connection, String schema, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod) "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    @Override
    public GenericType classify(ColumnInfo column) {
        return switch (column.typeName().toLowerCase()) {
            case "bool" -> BOOLEAN;
            case "timestamptz" -> TIMESTAMP_TZ;
            case "uuid" -> UUID;
            case "json", "jsonb" -> JSON;
            case "text" -> TEXT;
            case "bpchar" -> CHAR;
            case "varchar" -> column.size() > 0 && column.size() <= MAX_VARCHAR ? VARCHAR : TEXT;
            default -> GenericType.of(column);
        };
    }

    @Override
    public void streamResults(Connection connection, PreparedStatement statement, boolean wideRows) throws SQLException {
        connection.setAutoCommit(false); // pgjdbc only uses a cursor inside a transaction
        statement.setFetchSize(wideRows ? 10 : 10_000); // a row with a large scan can weigh megabytes
    }

    @Override
    protected Map<GenericType, TypeWriter> typeTable() {
        return TYPES;
    }

    @Override
    public String indexName(String table, String sourceIndexName) {
        return uniqueIdentifier(table + "_" + sourceIndexName, MAX_IDENTIFIER);
    }

    @Override
    public void resetIdentity(Connection connection, String schema, String table, String column) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), "
                + "COALESCE((SELECT MAX(" + quote(column) + ") FROM " + qualified(schema, table) + "), 0) + 1, false)")) {
            ps.setString(1, qualified(schema, table));
            ps.setString(2, column);
            ps.execute();
        }
    }

    @Override
    public String keyOrder(String quotedColumn, boolean text) {
        return text ? quotedColumn + " COLLATE \"C\"" : quotedColumn;
    }

    /**
     * setval to the greater of the table's highest key and the counter, under a transaction-scoped advisory lock on the
     * table: two chunks committing at once cannot move the counter back.
     */
    @Override
    public void followIdentity(Connection connection, String schema, String table, String column) throws SQLException {
        String sequence;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            ps.setString(1, qualified(schema, table));
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                sequence = rs.next() ? rs.getString(1) : null;
            }
        }
        if (sequence == null) {
            return; // a kept target table without an identity column
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
             java.sql.Statement s = connection.createStatement()) {
            lock.setString(1, "migration-hub identity " + sequence);
            lock.execute();
            s.execute("SELECT setval('" + sequence.replace("'", "''") + "', GREATEST((SELECT COALESCE(MAX(" + quote(column)
                    + "), 0) FROM " + qualified(schema, table) + "), (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "
                    + sequence + "), 1))");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** session_replication_role = replica: a superuser's, or granted ({@code GRANT SET ON PARAMETER}, PostgreSQL 15+). */
    @Override
    public boolean canRelaxForeignKeys(Connection connection) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (java.sql.Statement s = connection.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
                return true;
            } catch (SQLException e) {
                return false;
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Foreign-key triggers (checks and cascades) do not fire in this transaction; SET LOCAL ends with it. */
    @Override
    public void relaxForeignKeysInTransaction(Connection connection) throws SQLException {
        try (java.sql.Statement s = connection.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
        }
    }

    @Override
    public RowWriter openWriter(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        return new PgCopyWriter(connection, "COPY " + qualified(schema, table) + " (" + quoteAll(columns) + ") FROM STDIN");
    }
}

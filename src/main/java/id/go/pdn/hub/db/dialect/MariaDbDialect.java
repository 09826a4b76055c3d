package id.go.pdn.hub.db.dialect;

import static id.go.pdn.hub.db.GenericType.*;
import static java.util.Map.entry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import id.go.pdn.hub.db.ColumnInfo;
import id.go.pdn.hub.db.GenericType;
import id.go.pdn.hub.db.copy.BatchRowWriter;
import id.go.pdn.hub.db.copy.RowWriter;

/** MariaDB and MySQL (MariaDB Connector/J): streams with a fetch size, loads with batched INSERTs. */
public class MariaDbDialect extends Dialect {

    private static final int MAX_VARCHAR = 4000; // beyond this a utf8mb4 row risks InnoDB's 65,535-byte row limit

    private static final Map<GenericType, TypeWriter> TYPES = Map.ofEntries(
            entry(BOOLEAN, c -> "tinyint(1)"),
            entry(SMALLINT, c -> "smallint"),
            entry(INTEGER, c -> "int"),
            entry(BIGINT, c -> "bigint"),
            entry(DECIMAL, c -> c.size() > 0 && c.size() <= 65 ? "decimal(" + c.size() + "," + Math.min(c.scale(), 30) + ")" : "decimal(65,30)"),
            entry(REAL, c -> "float"),
            entry(DOUBLE, c -> "double"),
            // MariaDB's char(n) drops trailing spaces that other engines keep
            entry(CHAR, c -> c.size() > 0 && c.size() <= MAX_VARCHAR ? "varchar(" + c.size() + ")" : "longtext"),
            entry(VARCHAR, c -> c.size() > 0 && c.size() <= MAX_VARCHAR ? "varchar(" + c.size() + ")" : "longtext"),
            entry(TEXT, c -> "longtext"),
            entry(DATE, c -> "date"),
            entry(TIME, c -> "time(6)"),
            entry(TIMESTAMP, c -> "datetime(6)"),
            entry(TIMESTAMP_TZ, c -> "datetime(6)"),
            entry(BINARY, c -> "longblob"),
            entry(UUID, c -> "char(36)"),
            entry(JSON, c -> "longtext"),
            entry(OTHER, c -> "longtext"));

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean handles(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:");
    }

    @Override
    public Map<String, String> connectionProperties() {
        // TINYINT(1) stays a number (true/false would fold 2..127 into true); YEAR stays a number
        return Map.of("tinyInt1isBit", "false", "yearIsDateType", "false", "permitMysqlScheme", "true",
                "useBulkStmts", "true", "connectionAttributes", "program_name:migration-hub");
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public boolean schemaIsCatalog() {
        return true;
    }

    @Override
    public String defaultSchema(Connection connection) throws SQLException {
        return connection.getCatalog();
    }

    /** information_schema's TABLE_ROWS (exact for MyISAM and Aria, an estimate for InnoDB) and DATA_LENGTH. */
    @Override
    public TableStatistics statistics(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return TableStatistics.NONE;
                }
                long rows = rs.getLong(1);
                boolean rowsKnown = !rs.wasNull();
                long bytes = rs.getLong(2);
                return new TableStatistics(rowsKnown ? rows : -1, rs.wasNull() ? -1 : bytes);
            }
        }
    }

    @Override
    public Map<String, String> nativeColumnTypes(Connection connection, String schema, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
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
        String type = column.nativeType() == null ? column.typeName().toLowerCase(Locale.ROOT) : column.nativeType().toLowerCase(Locale.ROOT);
        boolean unsigned = type.contains("unsigned");
        if (type.startsWith("enum(") || type.startsWith("set(")) {
            return VARCHAR;
        }
        if (type.startsWith("bit(1)")) {
            return BOOLEAN;
        }
        if (type.startsWith("year")) {
            return SMALLINT;
        }
        if (type.startsWith("tinyint")) {
            return SMALLINT;
        }
        if (type.startsWith("smallint")) {
            return unsigned ? INTEGER : SMALLINT;
        }
        if (type.startsWith("mediumint")) {
            return INTEGER;
        }
        if (type.startsWith("int")) {
            return unsigned ? BIGINT : INTEGER;
        }
        if (type.startsWith("bigint")) {
            return unsigned ? DECIMAL : BIGINT; // up to 18446744073709551615
        }
        if (type.endsWith("text") || type.equals("json")) {
            return TEXT;
        }
        if (type.endsWith("blob")) {
            return BINARY;
        }
        if (type.startsWith("float")) {
            return REAL;
        }
        if (type.startsWith("double")) {
            return DOUBLE;
        }
        if (type.startsWith("datetime") || type.startsWith("timestamp")) {
            return TIMESTAMP;
        }
        return GenericType.of(column);
    }

    @Override
    public String oneRowAfter(int offset) {
        return " LIMIT 1 OFFSET " + offset; // MySQL has no OFFSET ... FETCH
    }

    @Override
    public void relaxForeignKeyChecks(Connection connection) throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("SET FOREIGN_KEY_CHECKS = 0");
        }
    }

    @Override
    public void restoreForeignKeyChecks(Connection connection) throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("SET FOREIGN_KEY_CHECKS = 1");
        }
    }

    @Override
    public void streamResults(Connection connection, PreparedStatement statement, boolean wideRows) throws SQLException {
        // Connector/J 3 streams in batches of this many rows; rows with large text or blobs come a few at a time
        statement.setFetchSize(wideRows ? 16 : 1_000);
    }

    @Override
    protected Map<GenericType, TypeWriter> typeTable() {
        return TYPES;
    }

    @Override
    public String identityColumn(String type) {
        return type + " AUTO_INCREMENT";
    }

    @Override
    public String createTable(String schema, String table, List<String> columnDefinitions, List<String> primaryKey) {
        return super.createTable(schema, table, columnDefinitions, primaryKey) + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualified(schema, table);
    }

    /** utf8mb4_nopad_bin: code point order without PAD SPACE, as PostgreSQL's "C". */
    @Override
    public String keyOrder(String quotedColumn, boolean text) {
        return text ? "CONVERT(" + quotedColumn + " USING utf8mb4) COLLATE utf8mb4_nopad_bin" : quotedColumn;
    }

    /** InnoDB moves an AUTO_INCREMENT counter past every key written explicitly, and never back. */
    @Override
    public void followIdentity(Connection connection, String schema, String table, String column) {
    }

    @Override
    public RowWriter openWriter(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        return new BatchRowWriter(connection, insertSql(schema, table, columns), true);
    }
}

package id.go.pdn.hub.db.dialect;

import static id.go.pdn.hub.db.GenericType.*;
import static java.util.Map.entry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import id.go.pdn.hub.db.ColumnInfo;
import id.go.pdn.hub.db.GenericType;
import id.go.pdn.hub.db.copy.BatchRowWriter;
import id.go.pdn.hub.db.copy.RowWriter;

/** H2, the embedded engine of the demo and of small tests. */
public class H2Dialect extends Dialect {

    private static final Map<GenericType, TypeWriter> TYPES = Map.ofEntries(
            entry(BOOLEAN, c -> "BOOLEAN"),
            entry(SMALLINT, c -> "SMALLINT"),
            entry(INTEGER, c -> "INTEGER"),
            entry(BIGINT, c -> "BIGINT"),
            entry(DECIMAL, c -> c.size() > 0 ? "NUMERIC(" + c.size() + "," + c.scale() + ")" : "NUMERIC"),
            entry(REAL, c -> "REAL"),
            entry(DOUBLE, c -> "DOUBLE PRECISION"),
            entry(CHAR, c -> c.size() > 0 && c.size() <= 1_000_000 ? "CHARACTER VARYING(" + c.size() + ")" : "CHARACTER LARGE OBJECT"),
            entry(VARCHAR, c -> c.size() > 0 && c.size() <= 1_000_000 ? "CHARACTER VARYING(" + c.size() + ")" : "CHARACTER LARGE OBJECT"),
            entry(TEXT, c -> "CHARACTER LARGE OBJECT"),
            entry(DATE, c -> "DATE"),
            entry(TIME, c -> "TIME(9)"),
            entry(TIMESTAMP, c -> "TIMESTAMP(9)"),
            entry(TIMESTAMP_TZ, c -> "TIMESTAMP(9) WITH TIME ZONE"),
            entry(BINARY, c -> "BINARY LARGE OBJECT"),
            entry(UUID, c -> "UUID"),
            entry(JSON, c -> "CHARACTER LARGE OBJECT"),
            entry(OTHER, c -> "CHARACTER LARGE OBJECT"));

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean handles(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    @Override
    protected boolean foldsToUpperCase() {
        return true;
    }

    @Override
    public String defaultSchema(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        return schema == null ? "PUBLIC" : schema;
    }

    @Override
    public GenericType classify(ColumnInfo column) {
        return switch (column.typeName().toUpperCase(Locale.ROOT)) {
            case "UUID" -> UUID;
            case "JSON" -> JSON;
            case "TINYINT" -> SMALLINT;
            default -> GenericType.of(column);
        };
    }

    @Override
    public String indexName(String table, String sourceIndexName) {
        return uniqueIdentifier(table + "_" + sourceIndexName, 256);
    }

    @Override
    protected Map<GenericType, TypeWriter> typeTable() {
        return TYPES;
    }

    /**
     * Left to the finishing step: H2's RESTART is DDL, which would wait for the other chunks' transactions on the table.
     */
    @Override
    public void followIdentity(Connection connection, String schema, String table, String column) {
    }

    @Override
    public void resetIdentity(Connection connection, String schema, String table, String column) throws SQLException {
        long next;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + quote(column) + "), 0) + 1 FROM " + qualified(schema, table))) {
            rs.next();
            next = rs.getLong(1);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("ALTER TABLE " + qualified(schema, table) + " ALTER COLUMN " + quote(column) + " RESTART WITH " + next);
        }
    }

    @Override
    public RowWriter openWriter(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        return new BatchRowWriter(connection, insertSql(schema, table, columns), false);
    }
}

package id.go.pdn.hub.db.dialect;

import static id.go.pdn.hub.db.GenericType.*;
import static java.util.Map.entry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import id.go.pdn.hub.db.ColumnInfo;
import id.go.pdn.hub.db.GenericType;
import id.go.pdn.hub.db.TableInfo;
import id.go.pdn.hub.db.copy.BatchRowWriter;
import id.go.pdn.hub.db.copy.Ewkb;
import id.go.pdn.hub.db.copy.RawText;
import id.go.pdn.hub.db.copy.RawValue;
import id.go.pdn.hub.db.copy.RowWriter;
import id.go.pdn.hub.db.copy.Utf8Text;

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

    /**
     * information_schema.COLUMNS: COLUMN_DEFAULT as MariaDB writes it, EXTRA (ON UPDATE, generated) and the expression,
     * CHARACTER_SET_NAME of text columns.
     */
    @Override
    public Map<String, ColumnDetails> columnDetails(Connection connection, String schema, String table) throws SQLException {
        Map<String, ColumnDetails> details = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT COLUMN_NAME, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, "
                + "CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(3) == null ? "" : rs.getString(3).toLowerCase(Locale.ROOT);
                    String generated = extra.contains("generated") ? rs.getString(4) : null;
                    String value = rs.getString(2);
                    if (value != null && value.equalsIgnoreCase("NULL")) {
                        value = null;
                    }
                    details.put(rs.getString(1), new ColumnDetails(generated == null ? value : null, generated,
                            extra.contains("stored"), extra.contains("on update"), rs.getString(5)));
                }
            }
        }
        return details;
    }

    /** information_schema.CHECK_CONSTRAINTS (MariaDB 10.2+, MySQL 8.0.16+); a column's own check is named after it. */
    @Override
    public List<TableInfo.CheckInfo> checks(Connection connection, String schema, String table) throws SQLException {
        List<TableInfo.CheckInfo> checks = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.add(new TableInfo.CheckInfo(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            if (!"42S02".equals(e.getSQLState()) && !"42S22".equals(e.getSQLState())) {
                throw e; // an engine before check constraints has no such table
            }
        }
        return checks;
    }

    /** Views (their stored query), triggers and routines, each with its SHOW CREATE statement. */
    @Override
    public List<SourceObject> objects(Connection connection, String schema) throws SQLException {
        List<SourceObject> objects = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    objects.add(new SourceObject("view", rs.getString(1), null, rs.getString(2), null));
                }
            }
        }
        List<SourceObject> views = new ArrayList<>();
        for (SourceObject view : objects) {
            views.add(new SourceObject("view", view.name(), null, view.definition(),
                    showCreate(connection, "VIEW", schema, view.name(), 2)));
        }
        objects = views;
        try (PreparedStatement ps = connection.prepareStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME")) {
            ps.setString(1, schema);
            List<String[]> triggers = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : triggers) {
                objects.add(new SourceObject("trigger", t[0], t[1], null, showCreate(connection, "TRIGGER", schema, t[0], 3)));
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
                + "WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME")) {
            ps.setString(1, schema);
            List<String[]> routines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    routines.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] r : routines) {
                objects.add(new SourceObject(r[1].toLowerCase(Locale.ROOT), r[0], null, null,
                        showCreate(connection, r[1], schema, r[0], 3)));
            }
        }
        return objects;
    }

    private String showCreate(Connection connection, String kind, String schema, String name, int column) {
        try (var s = connection.createStatement();
             ResultSet rs = s.executeQuery("SHOW CREATE " + kind + " " + quote(schema) + "." + quote(name))) {
            return rs.next() ? rs.getString(column) : null;
        } catch (SQLException e) {
            return "-- cannot read its definition: " + e.getMessage();
        }
    }

    /** MariaDB's own defaults as they are; an expression (not a literal nor CURRENT_TIMESTAMP) in parentheses. */
    @Override
    public String columnDefault(ColumnInfo column, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        String value = column.defaultValue();
        if (value == null || column.autoIncrement() || source.getClass() != getClass()) {
            return super.columnDefault(column, source, names);
        }
        String v = value.toLowerCase(Locale.ROOT);
        boolean plain = v.startsWith("'") || v.startsWith("b'") || v.startsWith("x'") || v.matches("-?[0-9.e+-]+")
                || v.startsWith("current_timestamp") || v.equals("null");
        return plain ? value : "(" + value + ")";
    }

    @Override
    public String generatedColumn(String type, String expression, boolean stored) {
        return type + " AS (" + expression + ")" + (stored ? " STORED" : " VIRTUAL");
    }

    @Override
    public String onUpdateNowClause(ColumnInfo column) {
        return "ON UPDATE current_timestamp(" + PostgresDialect.precision(column) + ")";
    }

    @Override
    public GenericType classify(ColumnInfo column) {
        String type = column.nativeType() == null ? column.typeName().toLowerCase(Locale.ROOT) : column.nativeType().toLowerCase(Locale.ROOT);
        boolean unsigned = type.contains("unsigned");
        if (isSpatial(type)) {
            return BINARY; // as WKB (see selectColumn)
        }
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

    /** MariaDB spatial types and their PostGIS geometry type. */
    private static final Map<String, String> SPATIAL = Map.of("geometry", "Geometry", "point", "Point", "linestring", "LineString",
            "polygon", "Polygon", "multipoint", "MultiPoint", "multilinestring", "MultiLineString", "multipolygon", "MultiPolygon",
            "geometrycollection", "GeometryCollection", "geomcollection", "GeometryCollection");

    static boolean isSpatial(String type) {
        return SPATIAL.containsKey(type.toLowerCase(Locale.ROOT).replaceAll("[^a-z].*$", ""));
    }

    private static String type(ColumnInfo column) {
        return column.nativeType() == null ? column.typeName() : column.nativeType();
    }

    @Override
    public String spatialType(ColumnInfo column) {
        return SPATIAL.get(type(column).toLowerCase(Locale.ROOT).replaceAll("[^a-z].*$", ""));
    }

    /** Whether the hub decodes the column's text itself: a charset whose conversion to UTF-8 by the server may lose bytes. */
    private static boolean rawText(ColumnInfo column) {
        return column.charset() != null && !RawText.readAsIs(column.charset()) && !column.charset().equalsIgnoreCase("binary");
    }

    /**
     * A spatial column is read for another engine as its WKB (ST_AsBinary) into bytea, or as MariaDB's own bytes (SRID,
     * then WKB) that the hub makes EWKB for a PostGIS geometry column. A text column of a charset other than UTF-8 is read
     * as its raw bytes ({@code CAST(c AS BINARY)}), decoded by the hub ({@link RawText}): the server's own conversion
     * would turn bytes it cannot convert into {@code ?}.
     */
    @Override
    public String selectColumn(ColumnInfo column, Dialect target, String targetType) {
        if (target.getClass() != getClass() && isSpatial(type(column))) {
            return isGeometry(targetType) ? quote(column.name()) : "ST_AsBinary(" + quote(column.name()) + ")";
        }
        if (rawText(column)) {
            return "CAST(" + quote(column.name()) + " AS BINARY)";
        }
        return super.selectColumn(column, target, targetType);
    }

    @Override
    public RawValue rawValue(ColumnInfo column, Dialect target, String targetType) {
        if (target.getClass() != getClass() && isSpatial(type(column))) {
            return isGeometry(targetType) ? Ewkb.FROM_MYSQL : null;
        }
        if (rawText(column)) {
            RawText text = RawText.ofMySql(column.charset());
            if (text == null) {
                throw new IllegalStateException("Cannot read column " + column.name() + ": " + unreadable(column));
            }
            return text;
        }
        if (column.charset() != null && RawText.readAsIs(column.charset())) {
            return Utf8Text.INSTANCE; // the UTF-8 bytes the server sends, written and summed without a String between
        }
        return null;
    }

    /** Connector/J gives a DECIMAL's text as the server sent it (no BigDecimal between), which is its plain text. */
    @Override
    public boolean decimalTextIsPlain() {
        return true;
    }

    @Override
    public String unreadable(ColumnInfo column) {
        if (rawText(column) && RawText.ofMySql(column.charset()) == null) {
            return "its charset " + column.charset() + " has no decoding table in Java, so the hub cannot tell its text from "
                    + "bytes that are no text";
        }
        return null;
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

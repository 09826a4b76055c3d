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
import id.go.pdn.hub.db.TableInfo;
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
    public boolean lowersNamesFrom(Dialect source) {
        return source instanceof MariaDbDialect;
    }

    @Override
    public String expression(String sourceExpression, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        if (source instanceof MariaDbDialect) {
            return MySqlToPostgres.expression(sourceExpression, names);
        }
        return super.expression(sourceExpression, source, names);
    }

    @Override
    public MySqlToPostgres.View view(String definition, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        if (source instanceof MariaDbDialect) {
            return MySqlToPostgres.view(definition, names);
        }
        return super.view(definition, source, names);
    }

    /** MySQL defaults: literals by the column's type (bits, zero dates), functions through {@link MySqlToPostgres}. */
    @Override
    public String columnDefault(ColumnInfo column, Dialect source, MySqlToPostgres.Names names)
            throws MySqlToPostgres.Untranslatable {
        String value = column.defaultValue();
        if (value == null || column.autoIncrement() || !(source instanceof MariaDbDialect)) {
            return super.columnDefault(column, source, names);
        }
        if (value.equalsIgnoreCase("NULL")) {
            return null;
        }
        GenericType type = source.classify(column);
        if (value.startsWith("'0000-00-00")) {
            throw new MySqlToPostgres.Untranslatable("zero date " + value + " (PostgreSQL has no such date)");
        }
        if (type == BOOLEAN) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            if (v.equals("b'1'") || v.equals("1") || v.equals("'1'")) {
                return "true";
            }
            if (v.equals("b'0'") || v.equals("0") || v.equals("'0'") || v.equals("b''")) {
                return "false";
            }
        }
        if (type == BINARY && value.toLowerCase(java.util.Locale.ROOT).startsWith("b'")) {
            java.math.BigInteger bits = new java.math.BigInteger("0" + value.substring(2, value.length() - 1), 2);
            int bytes = Math.max(1, (column.size() + 7) / 8);
            byte[] raw = bits.toByteArray();
            byte[] fixed = new byte[bytes];
            for (int i = 0; i < Math.min(bytes, raw.length); i++) {
                fixed[bytes - 1 - i] = raw[raw.length - 1 - i];
            }
            return "'\\x" + java.util.HexFormat.of().formatHex(fixed) + "'::bytea";
        }
        if (type == BINARY && value.startsWith("'")) {
            return "'\\x" + java.util.HexFormat.of().formatHex(value.substring(1, value.length() - 1)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "'::bytea";
        }
        return MySqlToPostgres.expression(value, names);
    }

    /** PostgreSQL 12 to 17 compute generated columns on write only: a MySQL VIRTUAL column becomes STORED. */
    @Override
    public String generatedColumn(String type, String expression, boolean stored) {
        return type + " GENERATED ALWAYS AS (" + expression + ") STORED";
    }

    /** MySQL's ON UPDATE CURRENT_TIMESTAMP as a BEFORE UPDATE trigger, as pgloader does it. */
    @Override
    public List<String> onUpdateNowTriggers(String schema, String table, List<ColumnInfo> columns,
                                            java.util.function.UnaryOperator<String> names) {
        if (columns.isEmpty()) {
            return List.of();
        }
        String function = uniqueIdentifier(table + "_on_update", MAX_IDENTIFIER);
        StringBuilder body = new StringBuilder();
        for (ColumnInfo column : columns) {
            String c = quote(names.apply(column.name()));
            body.append("  IF NEW.").append(c).append(" IS NOT DISTINCT FROM OLD.").append(c).append(" THEN NEW.").append(c)
                    .append(" := LOCALTIMESTAMP(").append(precision(column)).append("); END IF;\n");
        }
        return List.of("CREATE OR REPLACE FUNCTION " + qualified(schema, function) + "() RETURNS trigger LANGUAGE plpgsql AS $hub$\n"
                        + "BEGIN\n IF NEW IS DISTINCT FROM OLD THEN\n" + body + " END IF;\n RETURN NEW;\nEND\n$hub$",
                "DROP TRIGGER IF EXISTS " + quote(function) + " ON " + qualified(schema, table),
                "CREATE TRIGGER " + quote(function) + " BEFORE UPDATE ON " + qualified(schema, table)
                        + " FOR EACH ROW EXECUTE FUNCTION " + qualified(schema, function) + "()");
    }

    /** Fractional digits of a timestamp column: timestamp(3) -> 3; none given -> 0 (MySQL's default). */
    static int precision(ColumnInfo column) {
        String type = column.nativeType() == null ? "" : column.nativeType();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d)\\)").matcher(type);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A MySQL set: every comma-separated element one of the values (the empty set is ''). */
    @Override
    public String valueListCheck(String quotedColumn, List<String> values, boolean set) {
        if (!set) {
            return super.valueListCheck(quotedColumn, values, false);
        }
        return quotedColumn + " = '' OR string_to_array(" + quotedColumn + ", ',') <@ ARRAY["
                + values.stream().map(MySqlToPostgres::literal).collect(java.util.stream.Collectors.joining(", ")) + "]::text[]";
    }

    /** A unique key as a constraint (named like its index), so that foreign keys and ON CONFLICT find it. */
    @Override
    public String addUnique(String schema, String table, TableInfo.IndexInfo index, String name) {
        return "ALTER TABLE " + qualified(schema, table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE (" + quoteAll(index.columns()) + ")";
    }

    @Override
    public boolean hasUnique(Connection connection, String schema, String table, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Defaults (pg_get_expr) and generated columns (attgenerated), as PostgreSQL writes them. */
    @Override
    public Map<String, ColumnDetails> columnDetails(Connection connection, String schema, String table) throws SQLException {
        Map<String, ColumnDetails> details = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, pg_get_expr(d.adbin, d.adrelid), a.attgenerated "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String expression = rs.getString(2);
                    boolean generated = "s".equals(rs.getString(3));
                    if (expression != null) {
                        details.put(rs.getString(1), new ColumnDetails(generated ? null : expression, generated ? expression : null,
                                generated, false));
                    }
                }
            }
        }
        return details;
    }

    @Override
    public List<TableInfo.CheckInfo> checks(Connection connection, String schema, String table) throws SQLException {
        List<TableInfo.CheckInfo> checks = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
                + "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ? AND k.contype = 'c' ORDER BY k.conname")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String def = rs.getString(2); // CHECK ((x > 0))
                    checks.add(new TableInfo.CheckInfo(rs.getString(1), def.substring(def.indexOf('(') + 1, def.lastIndexOf(')'))));
                }
            }
        }
        return checks;
    }

    /**
     * PostGIS: there already (its schema read from pg_extension), or made by {@code CREATE EXTENSION IF NOT EXISTS postgis}
     * when the server offers it and the user may (a superuser or, for a trusted install, the database owner). Without
     * {@code create} the statement is tried and rolled back.
     */
    @Override
    public Geometry geometry(Connection connection, boolean create) throws SQLException {
        String schema = postgisSchema(connection);
        if (schema != null) {
            return new Geometry(schema, "PostGIS is installed in schema " + schema, false);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Geometry(null, "the PostgreSQL server has no PostGIS (Debian: apt-get install postgresql-"
                        + connection.getMetaData().getDatabaseMajorVersion() + "-postgis-3, then plan the migration again)", false);
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (var s = connection.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
            schema = postgisSchema(connection);
            if (create) {
                connection.commit();
            } else {
                connection.rollback();
            }
            return new Geometry(schema, create ? "PostGIS created in schema " + schema : "CREATE EXTENSION IF NOT EXISTS postgis", true);
        } catch (SQLException e) {
            connection.rollback();
            String made = postgisSchema(connection); // another plan created it at the same moment
            if (made != null) {
                return new Geometry(made, "PostGIS is installed in schema " + made, false);
            }
            return new Geometry(null, "CREATE EXTENSION postgis is refused: " + e.getMessage().strip()
                    + " (a superuser can run it once in the target database, then plan the migration again)", false);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String postgisSchema(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname FROM pg_extension e "
                + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** {@code "public".geometry(Point)}: the type of the source column, any SRID (each value keeps its own). */
    @Override
    public String geometryType(String spatialType, String schema) {
        return quote(schema) + ".geometry" + (spatialType.equals("Geometry") ? "" : "(" + spatialType + ")");
    }

    /** A geometry column is read as its EWKB, little-endian, as the hub makes it of the source's geometry. */
    @Override
    public String selectTargetColumn(String quotedColumn, String type) {
        if (isGeometry(type)) {
            int dot = type.toLowerCase(java.util.Locale.ROOT).lastIndexOf("geometry") - 1;
            String schema = dot > 0 && type.charAt(dot) == '.' ? type.substring(0, dot + 1) : "";
            return schema + "ST_AsEWKB(" + quotedColumn + ", 'NDR')";
        }
        return quotedColumn;
    }

    /** A MySQL enum as a PostgreSQL enum type; one the hub made before for the same column is replaced. */
    @Override
    public List<String> createEnumType(String schema, String type, List<String> values) {
        return List.of("DROP TYPE IF EXISTS " + qualified(schema, type), "CREATE TYPE " + qualified(schema, type) + " AS ENUM ("
                + values.stream().map(MySqlToPostgres::literal).collect(java.util.stream.Collectors.joining(", ")) + ")");
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

package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import id.go.pdn.hub.db.TableInfo.ForeignKeyInfo;
import id.go.pdn.hub.db.TableInfo.IndexInfo;
import id.go.pdn.hub.db.dialect.Dialect;

/** Reads tables, columns, keys, indexes and foreign keys from JDBC metadata. */
final class SchemaReader {

    private final Connection connection;
    private final Dialect dialect;
    private final String schema;
    private final DatabaseMetaData metaData;

    SchemaReader(Connection connection, Dialect dialect, String schema) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.schema = schema;
        this.metaData = connection.getMetaData();
    }

    private String catalog() {
        return dialect.schemaIsCatalog() ? schema : null;
    }

    private String schemaPattern() {
        return dialect.schemaIsCatalog() ? null : schema;
    }

    List<String> tableNames() throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = metaData.getTables(catalog(), schemaPattern(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    List<TableInfo> tables(Predicate<String> include) throws SQLException {
        List<TableInfo> tables = new ArrayList<>();
        for (String name : tableNames()) {
            if (include.test(name)) {
                tables.add(table(name));
            }
        }
        return tables;
    }

    boolean exists(String table) throws SQLException {
        try (ResultSet rs = metaData.getTables(catalog(), schemaPattern(), table, new String[] {"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equals(table)) {
                    return true;
                }
            }
        }
        return false;
    }

    TableInfo table(String name) throws SQLException {
        Map<String, String> nativeTypes = dialect.nativeColumnTypes(connection, schema, name);
        Map<String, Dialect.ColumnDetails> details = dialect.columnDetails(connection, schema, name);
        List<ColumnInfo> columns = new ArrayList<>();
        try (ResultSet rs = metaData.getColumns(catalog(), schemaPattern(), name, "%")) {
            while (rs.next()) {
                if (!rs.getString("TABLE_NAME").equals(name)) {
                    continue; // '_' in a name is a LIKE wildcard
                }
                String column = rs.getString("COLUMN_NAME");
                ColumnInfo info = new ColumnInfo(column, rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"),
                        rs.getInt("DECIMAL_DIGITS"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        "YES".equals(rs.getString("IS_AUTOINCREMENT")), nativeTypes.get(column));
                Dialect.ColumnDetails d = details.get(column);
                columns.add(d == null ? info : info.with(d.defaultValue(), d.generated(), d.stored(), d.onUpdateNow(), d.charset()));
            }
        }
        return new TableInfo(name, columns, primaryKey(name), indexes(name), foreignKeys(name), dialect.checks(connection, schema, name));
    }

    /** The schema's views, triggers and routines. */
    List<Dialect.SourceObject> objects() throws SQLException {
        return dialect.objects(connection, schema);
    }

    List<String> primaryKey(String table) throws SQLException {
        Map<Integer, String> key = new TreeMap<>();
        try (ResultSet rs = metaData.getPrimaryKeys(catalog(), schemaPattern(), table)) {
            while (rs.next()) {
                key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(key.values());
    }

    private List<IndexInfo> indexes(String table) throws SQLException {
        List<String> primaryKey = primaryKey(table);
        Map<String, Boolean> unique = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String>> columns = new LinkedHashMap<>();
        try (ResultSet rs = metaData.getIndexInfo(catalog(), schemaPattern(), table, false, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index == null || column == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                unique.put(index, !rs.getBoolean("NON_UNIQUE"));
                columns.computeIfAbsent(index, k -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"), column);
            }
        }
        List<IndexInfo> indexes = new ArrayList<>();
        columns.forEach((index, cols) -> {
            List<String> indexColumns = List.copyOf(cols.values());
            boolean isPrimaryKey = unique.get(index) && indexColumns.equals(primaryKey);
            if (!isPrimaryKey) {
                indexes.add(new IndexInfo(index, unique.get(index), indexColumns));
            }
        });
        return indexes;
    }

    private List<ForeignKeyInfo> foreignKeys(String table) throws SQLException {
        record Part(String fk, int seq, String column, String refTable, String refColumn, int onUpdate, int onDelete) {
        }
        List<Part> parts = new ArrayList<>();
        try (ResultSet rs = metaData.getImportedKeys(catalog(), schemaPattern(), table)) {
            while (rs.next()) {
                parts.add(new Part(rs.getString("FK_NAME"), rs.getInt("KEY_SEQ"), rs.getString("FKCOLUMN_NAME"),
                        rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"), rs.getInt("UPDATE_RULE"), rs.getInt("DELETE_RULE")));
            }
        }
        Map<String, List<Part>> byName = new LinkedHashMap<>();
        parts.stream().sorted((a, b) -> Integer.compare(a.seq(), b.seq()))
                .forEach(p -> byName.computeIfAbsent(p.fk(), k -> new ArrayList<>()).add(p));
        List<ForeignKeyInfo> keys = new ArrayList<>();
        byName.forEach((name, ps) -> keys.add(new ForeignKeyInfo(name, ps.stream().map(Part::column).toList(),
                ps.get(0).refTable(), ps.stream().map(Part::refColumn).toList(), rule(ps.get(0).onUpdate()),
                rule(ps.get(0).onDelete()))));
        return keys;
    }

    private static String rule(int rule) {
        return switch (rule) {
            case DatabaseMetaData.importedKeyCascade -> "CASCADE";
            case DatabaseMetaData.importedKeySetNull -> "SET NULL";
            case DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
            case DatabaseMetaData.importedKeyRestrict -> "RESTRICT";
            default -> null; // NO ACTION, the default everywhere
        };
    }
}

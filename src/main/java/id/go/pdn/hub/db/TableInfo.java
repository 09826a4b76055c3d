package id.go.pdn.hub.db;

import java.util.List;

/** A source table: columns in order, primary key, secondary indexes and foreign keys. */
public record TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey, List<IndexInfo> indexes,
                        List<ForeignKeyInfo> foreignKeys) {

    public record IndexInfo(String name, boolean unique, List<String> columns) {
    }

    public record ForeignKeyInfo(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                                 String onUpdate, String onDelete) {
    }

    public ColumnInfo column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The single integer primary-key column that chunks split on, or null (composite, textual or no key). */
    public ColumnInfo rangeKey() {
        if (primaryKey.size() != 1) {
            return null;
        }
        ColumnInfo key = column(primaryKey.get(0));
        return GenericType.isInteger(key.jdbcType()) ? key : null;
    }
}

package id.go.pdn.hub.db;

import java.util.List;

/** A source table: columns in order, primary key, secondary indexes, foreign keys and check constraints. */
public record TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey, List<IndexInfo> indexes,
                        List<ForeignKeyInfo> foreignKeys, List<CheckInfo> checks) {

    public TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey, List<IndexInfo> indexes,
                     List<ForeignKeyInfo> foreignKeys) {
        this(name, columns, primaryKey, indexes, foreignKeys, List.of());
    }

    public record IndexInfo(String name, boolean unique, List<String> columns) {
    }

    public record ForeignKeyInfo(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                                 String onUpdate, String onDelete) {
    }

    /** A check constraint: its name and its condition in the source's SQL. */
    public record CheckInfo(String name, String clause) {
    }

    public ColumnInfo column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The columns the copy reads and writes: all but the generated ones, which the target computes. */
    public List<ColumnInfo> copiedColumns() {
        return columns.stream().filter(c -> !c.isGenerated()).toList();
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

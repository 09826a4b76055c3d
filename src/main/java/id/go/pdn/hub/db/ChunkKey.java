package id.go.pdn.hub.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import id.go.pdn.hub.db.dialect.Dialect;

/**
 * The key a table without a single integer primary key is cut into keyset chunks on: its primary key, or else its first
 * unique index whose columns are all NOT NULL, if every column is an integer or a (var)char. Text is compared in binary
 * (code point) order on both sides ({@link Dialect#keyOrder}), so that a range means the same rows on the source and on
 * a target of another engine or collation. Enum, set, decimal, date and other columns are not used: their order
 * differs between engines; a table without a usable key is compared whole.
 *
 * @param columns the key's source columns, in key order
 * @param text    per column: compared as text (true) or as an integer (false)
 */
record ChunkKey(List<String> columns, List<Boolean> text) {

    /** The keyset key of a table, or null: a single integer primary key uses lo/hi chunks, no usable key one chunk. */
    static ChunkKey of(TableInfo table, Dialect source) {
        if (table.rangeKey() != null) {
            return null;
        }
        List<List<String>> candidates = new ArrayList<>();
        if (!table.primaryKey().isEmpty()) {
            candidates.add(table.primaryKey());
        }
        table.indexes().stream().filter(TableInfo.IndexInfo::unique).map(TableInfo.IndexInfo::columns).forEach(candidates::add);
        for (List<String> columns : candidates) {
            List<Boolean> text = new ArrayList<>();
            for (String name : columns) {
                ColumnInfo column = table.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
                Boolean isText = column == null ? null : kind(column, source, !columns.equals(table.primaryKey()));
                if (isText == null) {
                    break;
                }
                text.add(isText);
            }
            if (text.size() == columns.size()) {
                return new ChunkKey(List.copyOf(columns), List.copyOf(text));
            }
        }
        return null;
    }

    /** True for a text column, false for an integer one, null for a column keyset chunks cannot use. */
    private static Boolean kind(ColumnInfo column, Dialect source, boolean mustBeNotNull) {
        if (mustBeNotNull && column.nullable()) {
            return null; // a unique index admits many NULLs
        }
        String nativeType = column.nativeType() == null ? "" : column.nativeType().toLowerCase(Locale.ROOT);
        if (nativeType.contains("unsigned") && nativeType.startsWith("bigint")) {
            return null; // above Long.MAX_VALUE
        }
        return switch (source.classify(column)) {
            case SMALLINT, INTEGER, BIGINT -> GenericType.isInteger(column.jdbcType()) || nativeType.startsWith("year") ? Boolean.FALSE : null;
            case CHAR, VARCHAR -> nativeType.startsWith("enum(") || nativeType.startsWith("set(") ? null : Boolean.TRUE;
            default -> null;
        };
    }
}

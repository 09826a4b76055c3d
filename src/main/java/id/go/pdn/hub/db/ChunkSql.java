package id.go.pdn.hub.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.db.copy.RawValue;
import id.go.pdn.hub.db.dialect.Dialect;

/**
 * The statements of one table's chunks, on each side; a bound that is open adds no condition. A single integer key
 * compares as {@code key >= lo AND key < hi}; a keyset key as a row value {@code (a, b) >= (?, ?) AND (a, b) < (?, ?)},
 * text in binary order ({@link Dialect#keyOrder}).
 */
final class ChunkSql {
    final String targetSchema;
    final String targetTable;
    final List<String> targetColumns;
    /** The copied columns' source names, in the order of a chunk's rows. */
    final List<String> sourceColumns;
    /** Whether rows may hold large text or binary values (fetched a few at a time). */
    final boolean wideRows;
    /**
     * Per copied column, how the hub makes the value of the raw bytes the source select reads (a legacy charset's text,
     * geometry as EWKB), or null where the driver's value is taken; the target's select needs none.
     */
    final RawValue[] sourceRaw;
    /** The target select's column expressions, in the order of a chunk's rows. */
    final List<String> targetReads;
    private final String sourceSelect;
    private final String targetSelect;
    private final String targetFrom;
    private final String targetDelete;
    private final String sourceKey;
    private final String targetKey;
    private final ColumnInfo key;
    private final int keyIndex;
    /** Keyset chunks: the key's columns, their index in the row, and each side's comparison expression. */
    private final ChunkKey keyset;
    private final int[] keysetIndex;
    private final String sourceKeyset;
    private final String targetKeyset;
    private final String keysetSelect;
    private final String integerKeySelect;

    /** @param targetTypes the target table's column types by name (PostGIS geometry or bytea), empty if unknown */
    ChunkSql(DbContext ctx, TableInfo table, String sourceSchema, String targetSchema, Map<String, String> targetTypes) {
        Dialect sd = ctx.sourceDialect;
        Dialect td = ctx.targetDialect;
        this.targetSchema = targetSchema;
        this.targetTable = ctx.targetName(table.name());
        this.key = table.rangeKey();
        this.sourceColumns = table.copiedColumns().stream().map(ColumnInfo::name).toList(); // generated: the target's
        this.targetColumns = sourceColumns.stream().map(ctx::targetName).toList();
        this.keyIndex = key == null ? -1 : sourceColumns.indexOf(key.name());
        this.wideRows = table.columns().stream().map(sd::classify)
                .anyMatch(t -> t == GenericType.TEXT || t == GenericType.BINARY || t == GenericType.JSON || t == GenericType.OTHER);
        this.sourceKey = key == null ? null : sd.quote(key.name());
        this.targetKey = key == null ? null : td.quote(ctx.targetName(key.name()));
        this.keyset = ChunkKey.of(table, sd);
        if (keyset != null) {
            keysetIndex = keyset.columns().stream().mapToInt(sourceColumns::indexOf).toArray();
            List<String> s = new ArrayList<>();
            List<String> t = new ArrayList<>();
            for (int i = 0; i < keyset.columns().size(); i++) {
                s.add(sd.keyOrder(sd.quote(keyset.columns().get(i)), keyset.text().get(i)));
                t.add(td.keyOrder(td.quote(ctx.targetName(keyset.columns().get(i))), keyset.text().get(i)));
            }
            sourceKeyset = rowValue(s);
            targetKeyset = rowValue(t);
            keysetSelect = "SELECT " + sd.quoteAll(keyset.columns()) + " FROM " + sd.qualified(sourceSchema, table.name());
        } else {
            keysetIndex = null;
            sourceKeyset = null;
            targetKeyset = null;
            keysetSelect = null;
        }
        this.integerKeySelect = key == null ? null : "SELECT " + sourceKey + " FROM " + sd.qualified(sourceSchema, table.name());
        List<ColumnInfo> copied = table.copiedColumns();
        this.sourceRaw = new RawValue[copied.size()];
        List<String> sourceReads = new ArrayList<>();
        List<String> targetReads = new ArrayList<>();
        for (int i = 0; i < copied.size(); i++) {
            String targetType = targetTypes.get(targetColumns.get(i));
            sourceReads.add(sd.selectColumn(copied.get(i), td, targetType));
            sourceRaw[i] = sd.rawValue(copied.get(i), td, targetType);
            targetReads.add(td.selectTargetColumn(td.quote(targetColumns.get(i)), targetType));
        }
        this.sourceSelect = "SELECT " + String.join(", ", sourceReads) + " FROM " + sd.qualified(sourceSchema, table.name());
        this.targetReads = List.copyOf(targetReads);
        this.targetFrom = " FROM " + td.qualified(targetSchema, targetTable);
        this.targetSelect = "SELECT " + String.join(", ", targetReads) + targetFrom;
        this.targetDelete = "DELETE FROM " + td.qualified(targetSchema, targetTable);
    }

    private static String rowValue(List<String> expressions) {
        return expressions.size() == 1 ? expressions.get(0) : "(" + String.join(", ", expressions) + ")";
    }

    /** The table's keyset key, or null (a single integer key, or none). */
    ChunkKey keyset() {
        return keyset;
    }

    String sourceSelect(Chunk chunk) {
        return sourceSelect + where(false, chunk);
    }

    String targetSelect(Chunk chunk) {
        return targetSelect + where(true, chunk);
    }

    /** {@code FROM table WHERE range} of a chunk on the target (bound as {@link #bindRange}). */
    String targetFrom(Chunk chunk) {
        return targetFrom + where(true, chunk);
    }

    /** The target select reading no row (its columns' metadata). */
    String targetSelectNoRows() {
        return targetSelect + " WHERE 1 = 0";
    }

    String targetDelete(Chunk chunk) {
        return targetDelete + where(true, chunk);
    }

    /** The source's key values of a chunk's rows in key order (chunk boundaries); null for a table without a key. */
    String sourceKeysInOrder(Chunk chunk) {
        if (keyset != null) {
            return keysetSelect + where(false, chunk) + " ORDER BY " + orderList(sourceKeyset);
        }
        return key == null ? null : integerKeySelect + where(false, chunk) + " ORDER BY " + sourceKey;
    }

    /** Whether the table has a single integer key: its chunks can be compared row by row in key order ({@link #keyIndex}). */
    boolean hasIntegerKey() {
        return key != null;
    }

    /** Position of the single integer key in a chunk's rows. */
    int keyIndex() {
        return keyIndex;
    }

    String sourceSelectInKeyOrder(Chunk chunk) {
        return sourceSelect(chunk) + " ORDER BY " + sourceKey;
    }

    String targetSelectInKeyOrder(Chunk chunk) {
        return targetSelect(chunk) + " ORDER BY " + targetKey;
    }

    /** The target's single integer key and {@code rowHash} (a row's MD5 in SQL) of a chunk's rows, in key order. */
    String targetKeyHashesInKeyOrder(Chunk chunk, String rowHash) {
        return "SELECT " + targetKey + ", " + rowHash + targetFrom(chunk) + " ORDER BY " + targetKey;
    }

    /** Deletes the target's rows with {@code keys} single integer keys. */
    String targetDeleteKeys(int keys) {
        return targetDelete + " WHERE " + targetKey + " IN (" + String.join(", ", java.util.Collections.nCopies(keys, "?")) + ")";
    }

    /** Whether key value {@code i} of a boundary is text (else an integer). */
    boolean keyIsText(int i) {
        return keyset != null && keyset.text().get(i);
    }

    private static String orderList(String rowValue) {
        return rowValue.startsWith("(") ? rowValue.substring(1, rowValue.length() - 1) : rowValue;
    }

    private String where(boolean target, Chunk chunk) {
        if (chunk.isKeyset()) {
            checkKeyset(chunk);
            String column = target ? targetKeyset : sourceKeyset;
            String placeholders = rowValue(chunk.key().stream().map(c -> "?").toList());
            List<String> conditions = new ArrayList<>();
            if (chunk.from() != null) {
                conditions.add(column + " >= " + placeholders);
            }
            if (chunk.to() != null) {
                conditions.add(column + " < " + placeholders);
            }
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
        String column = target ? targetKey : sourceKey;
        if (key == null && (chunk.lo() != null || chunk.hi() != null)) {
            throw new IllegalStateException("chunk " + chunk.describe("key") + " was planned on a single integer key that table "
                    + chunk.table() + " no longer has; its plan no longer fits the table");
        }
        if (key == null || (chunk.lo() == null && chunk.hi() == null)) {
            return "";
        }
        if (chunk.lo() == null) {
            return " WHERE " + column + " < ?";
        }
        return chunk.hi() == null ? " WHERE " + column + " >= ?" : " WHERE " + column + " >= ? AND " + column + " < ?";
    }

    /** A keyset chunk planned on other columns than the table's key now is not read with the wrong key. */
    private void checkKeyset(Chunk chunk) {
        if (keyset == null || !keyset.columns().equals(chunk.key())) {
            throw new IllegalStateException("chunk " + chunk.describe(null) + " is on key (" + String.join(", ", chunk.key())
                    + ") but table " + chunk.table() + " now has key " + (keyset == null ? (key == null ? "none" : key.name())
                    : "(" + String.join(", ", keyset.columns()) + ")") + "; its plan no longer fits the table");
        }
    }

    void bindRange(PreparedStatement ps, Chunk chunk) throws SQLException {
        if (chunk.isKeyset()) {
            int index = 1;
            for (List<Object> bound : new List[] {chunk.from(), chunk.to()}) {
                if (bound == null) {
                    continue;
                }
                for (int i = 0; i < bound.size(); i++) {
                    Object value = bound.get(i);
                    if (keyset.text().get(i)) {
                        ps.setString(index++, String.valueOf(value));
                    } else {
                        ps.setLong(index++, ((Number) value).longValue());
                    }
                }
            }
            return;
        }
        if (key == null) {
            return;
        }
        int index = 1;
        if (chunk.lo() != null) {
            ps.setLong(index++, chunk.lo());
        }
        if (chunk.hi() != null) {
            ps.setLong(index, chunk.hi());
        }
    }

    /**
     * A chunk's key range with its numbers, as a condition: {@code id >= 51 AND id < 101}, {@code id < 51} for the first
     * chunk (open below), {@code id >= 9001} for the last, {@code (a, b) >= ('x', 1) AND (a, b) < ('y', 1)} on a keyset
     * key, {@code whole table} for a table without one.
     */
    String rangeText(Chunk chunk) {
        List<String> conditions = new ArrayList<>();
        if (chunk.isKeyset()) {
            String column = rowValue(chunk.key());
            if (chunk.from() != null) {
                conditions.add(column + " >= " + tuple(chunk.from()));
            }
            if (chunk.to() != null) {
                conditions.add(column + " < " + tuple(chunk.to()));
            }
        } else if (key != null) {
            if (chunk.lo() != null) {
                conditions.add(key.name() + " >= " + chunk.lo());
            }
            if (chunk.hi() != null) {
                conditions.add(key.name() + " < " + chunk.hi());
            }
        }
        return conditions.isEmpty() ? "whole table" : String.join(" AND ", conditions);
    }

    private static String tuple(List<Object> values) {
        return rowValue(values.stream().map(v -> v instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(v)).toList());
    }

    /** The single integer key's name (null without one). */
    String keyName() {
        return key == null ? null : key.name();
    }

    String keyText(Object[] row) {
        if (keyset != null) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keysetIndex.length; i++) {
                parts.add(keyset.columns().get(i) + "=" + shown(row[keysetIndex[i]]));
            }
            return String.join(", ", parts);
        }
        return key == null ? "(no key)" : key.name() + "=" + shown(row[keyIndex]);
    }

    /** A key value as text: a text key read as its UTF-8 bytes ({@link id.go.pdn.hub.db.copy.Utf8Text}) as its text. */
    private static Object shown(Object value) {
        return value instanceof byte[] utf8 ? new String(utf8, java.nio.charset.StandardCharsets.UTF_8) : value;
    }
}

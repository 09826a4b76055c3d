package id.go.pdn.hub.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import id.go.pdn.hub.db.dialect.Dialect;

/** The statements of one table's chunks, on each side; a bound that is open adds no condition. */
final class ChunkSql {
    final String targetSchema;
    final String targetTable;
    final List<String> targetColumns;
    /** Whether rows may hold large text or binary values (fetched a few at a time). */
    final boolean wideRows;
    private final String sourceSelect;
    private final String targetSelect;
    private final String targetDelete;
    private final String sourceKey;
    private final String targetKey;
    private final ColumnInfo key;
    private final int keyIndex;

    ChunkSql(DbContext ctx, TableInfo table, String sourceSchema, String targetSchema) {
        Dialect sd = ctx.sourceDialect;
        Dialect td = ctx.targetDialect;
        this.targetSchema = targetSchema;
        this.targetTable = ctx.targetName(table.name());
        this.key = table.rangeKey();
        List<String> sourceColumns = table.copiedColumns().stream().map(ColumnInfo::name).toList(); // generated: the target's
        this.targetColumns = sourceColumns.stream().map(ctx::targetName).toList();
        this.keyIndex = key == null ? -1 : sourceColumns.indexOf(key.name());
        this.wideRows = table.columns().stream().map(sd::classify)
                .anyMatch(t -> t == GenericType.TEXT || t == GenericType.BINARY || t == GenericType.JSON || t == GenericType.OTHER);
        this.sourceKey = key == null ? null : sd.quote(key.name());
        this.targetKey = key == null ? null : td.quote(ctx.targetName(key.name()));
        this.sourceSelect = "SELECT " + table.copiedColumns().stream().map(c -> sd.selectColumn(c, td))
                .collect(java.util.stream.Collectors.joining(", ")) + " FROM " + sd.qualified(sourceSchema, table.name());
        this.targetSelect = "SELECT " + td.quoteAll(targetColumns) + " FROM " + td.qualified(targetSchema, targetTable);
        this.targetDelete = "DELETE FROM " + td.qualified(targetSchema, targetTable);
    }

    String sourceSelect(Chunk chunk) {
        return sourceSelect + where(sourceKey, chunk);
    }

    String targetSelect(Chunk chunk) {
        return targetSelect + where(targetKey, chunk);
    }

    String targetDelete(Chunk chunk) {
        return targetDelete + where(targetKey, chunk);
    }

    private String where(String column, Chunk chunk) {
        if (key == null || (chunk.lo() == null && chunk.hi() == null)) {
            return "";
        }
        if (chunk.lo() == null) {
            return " WHERE " + column + " < ?";
        }
        return chunk.hi() == null ? " WHERE " + column + " >= ?" : " WHERE " + column + " >= ? AND " + column + " < ?";
    }

    void bindRange(PreparedStatement ps, Chunk chunk) throws SQLException {
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

    String keyText(Object[] row) {
        return key == null ? "(no key)" : key.name() + "=" + row[keyIndex];
    }
}

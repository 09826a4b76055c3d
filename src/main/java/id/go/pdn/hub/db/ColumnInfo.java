package id.go.pdn.hub.db;

/**
 * A source column as JDBC metadata describes it, with what the source dialect adds (default, generation, ON UPDATE).
 *
 * @param jdbcType {@link java.sql.Types} constant
 * @param typeName the driver's type name (e.g. {@code INT UNSIGNED}, {@code int4}, {@code CHARACTER VARYING})
 * @param nativeType the exact type as the source engine would write it in DDL, when the dialect can tell
 *                   ({@code decimal(12,2)}, {@code enum('a','b')}); used as is when source and target engines are the same
 * @param defaultValue the default as the source engine writes it ({@code 'ID'}, {@code 0}, {@code current_timestamp()}),
 *                     or null when the column has none
 * @param generated the expression of a generated (computed) column, in the source's SQL, or null: such a column is made
 *                  a generated column on the target and is never written by the copy
 * @param storedGenerated whether the source stores the generated column (MariaDB STORED) rather than computing it on read
 * @param onUpdateNow whether the source sets the column to the current time when its row is updated (MySQL's
 *                    {@code ON UPDATE CURRENT_TIMESTAMP})
 * @param charset the character set of a text column as the source names it ({@code latin1}, {@code gbk}, {@code utf8mb4}),
 *                when the dialect can tell; null for other columns
 */
public record ColumnInfo(String name, int jdbcType, String typeName, int size, int scale, boolean nullable,
                         boolean autoIncrement, String nativeType, String defaultValue, String generated,
                         boolean storedGenerated, boolean onUpdateNow, String charset) {

    public ColumnInfo(String name, int jdbcType, String typeName, int size, int scale, boolean nullable, boolean autoIncrement,
                      String nativeType) {
        this(name, jdbcType, typeName, size, scale, nullable, autoIncrement, nativeType, null, null, false, false, null);
    }

    /** Whether the target computes the column: the copy neither reads nor writes it. */
    public boolean isGenerated() {
        return generated != null;
    }

    /** The same column with what the source dialect tells beyond JDBC metadata. */
    public ColumnInfo with(String defaultValue, String generated, boolean storedGenerated, boolean onUpdateNow, String charset) {
        return new ColumnInfo(name, jdbcType, typeName, size, scale, nullable, autoIncrement, nativeType, defaultValue, generated,
                storedGenerated, onUpdateNow, charset);
    }
}

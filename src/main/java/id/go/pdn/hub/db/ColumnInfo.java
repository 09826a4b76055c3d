package id.go.pdn.hub.db;

/**
 * A source column as JDBC metadata describes it.
 *
 * @param jdbcType {@link java.sql.Types} constant
 * @param typeName the driver's type name (e.g. {@code INT UNSIGNED}, {@code int4}, {@code CHARACTER VARYING})
 * @param nativeType the exact type as the source engine would write it in DDL, when the dialect can tell
 *                   ({@code decimal(12,2)}, {@code enum('a','b')}); used as is when source and target engines are the same
 */
public record ColumnInfo(String name, int jdbcType, String typeName, int size, int scale, boolean nullable,
                         boolean autoIncrement, String nativeType) {
}

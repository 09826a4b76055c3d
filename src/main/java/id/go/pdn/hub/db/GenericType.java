package id.go.pdn.hub.db;

import java.sql.Types;

/**
 * The engine-neutral type a source column maps through: the source dialect classifies its columns into these
 * (first layer, {@link id.go.pdn.hub.db.dialect.Dialect#classify}), the target dialect writes each as DDL
 * (second layer, the table in each target dialect).
 */
public enum GenericType {
    BOOLEAN, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE, CHAR, VARCHAR, TEXT, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ,
    BINARY, UUID, JSON, OTHER;

    /** The default classification of a JDBC type; dialects refine it for their vendor types. */
    public static GenericType of(ColumnInfo column) {
        return switch (column.jdbcType()) {
            case Types.BIT -> column.size() <= 1 ? BOOLEAN : BINARY;
            case Types.BOOLEAN -> BOOLEAN;
            case Types.TINYINT, Types.SMALLINT -> SMALLINT;
            case Types.INTEGER -> INTEGER;
            case Types.BIGINT -> BIGINT;
            case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
            case Types.REAL -> REAL;
            case Types.FLOAT, Types.DOUBLE -> DOUBLE;
            case Types.CHAR, Types.NCHAR -> CHAR;
            case Types.VARCHAR, Types.NVARCHAR -> VARCHAR;
            case Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB -> TEXT;
            case Types.DATE -> DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }

    static boolean isInteger(int jdbcType) {
        return jdbcType == Types.TINYINT || jdbcType == Types.SMALLINT || jdbcType == Types.INTEGER || jdbcType == Types.BIGINT;
    }
}

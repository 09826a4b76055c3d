package id.go.pdn.hub.db.copy;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How one column's values are read, written and normalized for checksums. Both sides of a copy read through
 * these, so a value compares equal whatever engine holds it: a DECIMAL 5.00 and a BIGINT 5 both normalize to
 * {@code 5}, a boolean to {@code 1}/{@code 0}, a timestamp to ISO text without trailing zeros.
 */
public enum ValueKind {
    INTEGER, DECIMAL, REAL, DOUBLE, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, TEXT, BINARY, OTHER,
    /**
     * EWKB bytes ({@link Ewkb}) for a PostGIS geometry column: written as hex EWKB text, which PostGIS reads; summed as
     * their hex, as the target's {@code ST_AsEWKB} bytes are. Never taken from result set metadata.
     */
    GEOMETRY;

    static final DateTimeFormatter TIME_TEXT = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd ")
            .append(TIME_TEXT).toFormatter(Locale.ROOT);
    static final DateTimeFormatter TIMESTAMP_TZ_TEXT = new DateTimeFormatterBuilder().append(TIMESTAMP_TEXT)
            .appendOffset("+HH:MM:ss", "+00").toFormatter(Locale.ROOT);
    private static final HexFormat HEX = HexFormat.of();

    /** The kind of each column of a result set. */
    public static ValueKind[] of(ResultSetMetaData metaData) throws SQLException {
        ValueKind[] kinds = new ValueKind[metaData.getColumnCount()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = of(metaData.getColumnType(i + 1), metaData.getColumnTypeName(i + 1), metaData.getPrecision(i + 1));
        }
        return kinds;
    }

    static ValueKind of(int jdbcType, String typeName, int precision) {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (type.equals("uuid")) {
            return OTHER; // as text on every engine (H2 reports it as BINARY)
        }
        return switch (jdbcType) {
            case Types.BIT -> precision <= 1 ? BOOLEAN : BINARY;
            case Types.BOOLEAN -> BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> INTEGER;
            case Types.BIGINT -> type.contains("unsigned") ? DECIMAL : INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
            case Types.REAL -> REAL;
            case Types.FLOAT, Types.DOUBLE -> DOUBLE;
            case Types.DATE -> type.startsWith("year") ? INTEGER : DATE;
            case Types.TIME -> TIME;
            case Types.TIMESTAMP -> type.equals("timestamptz") ? TIMESTAMP_TZ : TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB,
                 Types.NCLOB -> TEXT;
            default -> OTHER;
        };
    }

    /** Reads column {@code index} (1-based) as this kind; null for SQL NULL. */
    public Object read(ResultSet rs, int index) throws SQLException {
        Object value = switch (this) {
            case INTEGER -> rs.getLong(index);
            case DECIMAL -> rs.getBigDecimal(index);
            case REAL -> rs.getFloat(index);
            case DOUBLE -> rs.getDouble(index);
            case BOOLEAN -> rs.getBoolean(index);
            case DATE -> rs.getObject(index, LocalDate.class);
            case TIME -> rs.getObject(index, LocalTime.class);
            case TIMESTAMP -> rs.getObject(index, LocalDateTime.class);
            case TIMESTAMP_TZ -> rs.getObject(index, OffsetDateTime.class);
            case TEXT, OTHER -> rs.getString(index);
            case BINARY, GEOMETRY -> rs.getBytes(index);
        };
        return rs.wasNull() ? null : value;
    }

    /** Binds a value read as this kind to an INSERT parameter. */
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setObject(index, null);
            return;
        }
        switch (this) {
            case INTEGER -> ps.setLong(index, (Long) value);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case REAL -> ps.setFloat(index, (Float) value);
            case DOUBLE -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case TEXT, OTHER -> ps.setString(index, (String) value);
            case BINARY -> ps.setBytes(index, (byte[]) value);
            case GEOMETRY -> ps.setObject(index, HEX.formatHex((byte[]) value), Types.OTHER);
            default -> ps.setObject(index, value);
        }
    }

    /** The value as PostgreSQL's COPY text format expects it, before escaping. */
    public String copyText(Object value) {
        return switch (this) {
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case BOOLEAN -> (Boolean) value ? "t" : "f";
            case TIME -> TIME_TEXT.format((LocalTime) value);
            case TIMESTAMP -> TIMESTAMP_TEXT.format((LocalDateTime) value);
            case TIMESTAMP_TZ -> TIMESTAMP_TZ_TEXT.format((OffsetDateTime) value);
            case BINARY -> "\\x" + HEX.formatHex((byte[]) value);
            case GEOMETRY -> HEX.formatHex((byte[]) value);
            default -> value.toString();
        };
    }

    /** The engine-neutral text a checksum is taken of. */
    public String normalized(Object value) {
        return switch (this) {
            case DECIMAL -> {
                BigDecimal d = ((BigDecimal) value).stripTrailingZeros();
                yield d.signum() == 0 ? "0" : d.toPlainString();
            }
            case BOOLEAN -> (Boolean) value ? "1" : "0";
            case TIME -> TIME_TEXT.format((LocalTime) value);
            case TIMESTAMP -> TIMESTAMP_TEXT.format((LocalDateTime) value);
            // as UTC wall-clock time: what a target without time zones (MariaDB datetime) holds of it
            case TIMESTAMP_TZ -> TIMESTAMP_TEXT.format(utc((OffsetDateTime) value));
            case BINARY, GEOMETRY -> HEX.formatHex((byte[]) value);
            default -> value.toString();
        };
    }

    static LocalDateTime utc(OffsetDateTime value) {
        return value.withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
    }

    /** Appends the value in PostgreSQL's COPY text format, escaped (the same text as {@link #copyText}). */
    public void appendCopy(Object value, ByteSink out) {
        switch (this) {
            case INTEGER -> out.digits((Long) value);
            case BOOLEAN -> out.write((byte) ((Boolean) value ? 't' : 'f'));
            case DATE -> out.date((LocalDate) value);
            case TIME -> out.time((LocalTime) value);
            case TIMESTAMP -> out.timestamp((LocalDateTime) value);
            case TEXT, OTHER -> out.utf8((String) value, true);
            case BINARY -> out.write((byte) '\\').write((byte) '\\').write((byte) 'x').hex((byte[]) value);
            case GEOMETRY -> out.hex((byte[]) value);
            default -> out.utf8(copyText(value), true);
        }
    }

    /** Appends the normalized text of the value (the same text as {@link #normalized}), for checksums. */
    public void appendNormalized(Object value, ByteSink out) {
        switch (this) {
            case INTEGER -> out.digits((Long) value);
            case BOOLEAN -> out.write((byte) ((Boolean) value ? '1' : '0'));
            case DATE -> out.date((LocalDate) value);
            case TIME -> out.time((LocalTime) value);
            case TIMESTAMP -> out.timestamp((LocalDateTime) value);
            case TEXT, OTHER -> out.utf8((String) value, false);
            case BINARY, GEOMETRY -> out.hex((byte[]) value);
            default -> out.utf8(normalized(value), false);
        }
    }
}

package id.go.pdn.hub.db.copy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
    GEOMETRY,
    /**
     * Text held as its UTF-8 bytes ({@link Utf8Text}), as a source whose driver gives them (MariaDB utf8mb4) sends it:
     * written and summed as {@link #TEXT} would be the same text, without a {@code String}. Never taken from result set
     * metadata.
     */
    TEXT_BYTES;

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
            case TEXT_BYTES -> {
                byte[] bytes = rs.getBytes(index);
                yield bytes == null ? null : Utf8Text.INSTANCE.decode(bytes);
            }
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
            case DECIMAL -> ps.setBigDecimal(index, decimal(value));
            case REAL -> ps.setFloat(index, (Float) value);
            case DOUBLE -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case TEXT, OTHER -> ps.setString(index, (String) value);
            case TEXT_BYTES -> ps.setString(index, new String((byte[]) value, StandardCharsets.UTF_8));
            case BINARY -> ps.setBytes(index, (byte[]) value);
            case GEOMETRY -> ps.setObject(index, HEX.formatHex((byte[]) value), Types.OTHER);
            default -> ps.setObject(index, value);
        }
    }

    /** The value as PostgreSQL's COPY text format expects it, before escaping. */
    public String copyText(Object value) {
        return switch (this) {
            case DECIMAL -> value instanceof String plain ? plain : ((BigDecimal) value).toPlainString();
            case BOOLEAN -> (Boolean) value ? "t" : "f";
            case TIME -> TIME_TEXT.format((LocalTime) value);
            case TIMESTAMP -> TIMESTAMP_TEXT.format((LocalDateTime) value);
            case TIMESTAMP_TZ -> TIMESTAMP_TZ_TEXT.format((OffsetDateTime) value);
            case BINARY -> "\\x" + HEX.formatHex((byte[]) value);
            case GEOMETRY -> HEX.formatHex((byte[]) value);
            case TEXT_BYTES -> new String((byte[]) value, StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }

    /** The engine-neutral text a checksum is taken of. */
    public String normalized(Object value) {
        return switch (this) {
            case DECIMAL -> {
                BigDecimal d = decimal(value).stripTrailingZeros();
                yield d.signum() == 0 ? "0" : d.toPlainString();
            }
            case BOOLEAN -> (Boolean) value ? "1" : "0";
            case TIME -> TIME_TEXT.format((LocalTime) value);
            case TIMESTAMP -> TIMESTAMP_TEXT.format((LocalDateTime) value);
            // as UTC wall-clock time: what a target without time zones (MariaDB datetime) holds of it
            case TIMESTAMP_TZ -> TIMESTAMP_TEXT.format(utc((OffsetDateTime) value));
            case BINARY, GEOMETRY -> HEX.formatHex((byte[]) value);
            case TEXT_BYTES -> new String((byte[]) value, StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }

    /**
     * A DECIMAL's plain text written at {@code start} of {@code out} made its normalized text, in place: without trailing
     * fraction zeros nor a trailing point ({@code 1200.50} to {@code 1200.5}, {@code 3.00} to {@code 3}), zero as
     * {@code 0}: what {@link #normalized} gives ({@code stripTrailingZeros}, then {@code toPlainString}).
     */
    private static void stripDecimal(Object value, ByteSink out, int start) {
        byte[] text = out.array();
        int end = out.length();
        int point = -1;
        for (int i = start; i < end; i++) {
            if (text[i] == '.') {
                point = i;
                break;
            }
        }
        if (point >= 0) {
            while (end > point && text[end - 1] == '0') {
                end--;
            }
            if (end - 1 == point) {
                end--;
            }
        }
        if (value instanceof String ? zero(text, start, end) : ((BigDecimal) value).signum() == 0) {
            out.truncate(start);
            out.write((byte) '0');
        } else {
            out.truncate(end);
        }
    }

    /**
     * A DECIMAL value as the source's text protocol sent it ({@code getString}), kept as that text when it is exactly the
     * plain text of its BigDecimal ({@code -12.50}, {@code 0.00}: no leading zeros, sign or exponent; what
     * {@link BigDecimal#toPlainString} gives), else as the BigDecimal ({@code 001.50} of a ZEROFILL column). A DECIMAL
     * value is either; both write and sum alike.
     */
    public static Object plainDecimal(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = n > 0 && text.charAt(0) == '-' ? 1 : 0;
        int digits = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        boolean plain = i > digits && (text.charAt(digits) != '0' || i == digits + 1);
        if (plain && i < n) {
            int fraction = ++i;
            plain = text.charAt(fraction - 1) == '.';
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            plain &= i > fraction;
        }
        return plain && i == n && !(digits == 1 && zero(text)) ? text : new BigDecimal(text);
    }

    private static boolean zero(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '0' && text.charAt(i) != '-' && text.charAt(i) != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(byte[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] != '0' && text[i] != '-' && text[i] != '.') {
                return false;
            }
        }
        return true;
    }

    /** A DECIMAL value (its plain text, or a BigDecimal) as a BigDecimal. */
    static BigDecimal decimal(Object value) {
        return value instanceof String plain ? new BigDecimal(plain) : (BigDecimal) value;
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
            case TEXT_BYTES -> out.copyEscaped((byte[]) value);
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
            case TEXT_BYTES -> out.write((byte[]) value, 0, ((byte[]) value).length);
            case DECIMAL -> {
                int at = out.length();
                out.ascii(value instanceof String plain ? plain : ((BigDecimal) value).toPlainString());
                stripDecimal(value, out, at);
            }
            default -> out.utf8(normalized(value), false);
        }
    }

    /**
     * {@link #appendCopy} into {@code copy} and {@link #appendNormalized} into {@code normalized} in one pass: where the
     * normalized text is the COPY text (integers, dates, times, timestamps, floats, hex, text without a character COPY
     * escapes) or a part of it (bytea's hex) it is taken from the bytes just written instead of being made again; numeric's
     * is COPY's plain text without trailing fraction zeros. The same bytes as the two calls, in every case.
     */
    public void appendCopyAndNormalized(Object value, ByteSink copy, ByteSink normalized) {
        int start = copy.length();
        switch (this) {
            case INTEGER, DATE, TIME, TIMESTAMP, REAL, DOUBLE, GEOMETRY -> {
                appendCopy(value, copy);
                normalized.write(copy.array(), start, copy.length() - start);
            }
            case TEXT, OTHER -> {
                if (copy.utf8Escaped((String) value)) {
                    normalized.utf8((String) value, false);
                } else {
                    normalized.write(copy.array(), start, copy.length() - start);
                }
            }
            case TEXT_BYTES -> {
                byte[] bytes = (byte[]) value;
                copy.copyEscaped(bytes);
                normalized.write(bytes, 0, bytes.length);
            }
            case BOOLEAN -> {
                boolean b = (Boolean) value;
                copy.write((byte) (b ? 't' : 'f'));
                normalized.write((byte) (b ? '1' : '0'));
            }
            case BINARY -> {
                appendCopy(value, copy); // \\x, then the hex
                normalized.write(copy.array(), start + 3, copy.length() - start - 3);
            }
            case DECIMAL -> {
                copy.ascii(value instanceof String plain ? plain : ((BigDecimal) value).toPlainString());
                int at = normalized.length();
                normalized.write(copy.array(), start, copy.length() - start);
                stripDecimal(value, normalized, at);
            }
            default -> { // TIMESTAMP_TZ: copied with its offset, summed as UTC wall-clock time
                appendCopy(value, copy);
                appendNormalized(value, normalized);
            }
        }
    }
}

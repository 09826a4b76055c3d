package id.go.pdn.hub.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import id.go.pdn.hub.db.copy.RowChecksum;
import id.go.pdn.hub.db.copy.ValueKind;

/**
 * A PostgreSQL target's chunk checksum computed by PostgreSQL in SQL, the same {@link RowChecksum} the hub computes of
 * the rows it reads: per row, the MD5 of the normalized values ({@code 0x1f} and the value's text, {@code 0x1e} for NULL),
 * the two 64-bit halves summed. The target's rows then never travel back to the hub to be verified: only three numbers.
 * <p>
 * Each column's normalized text is written in SQL from its type: integers, numeric ({@code trim_scale}), boolean
 * ({@code 1}/{@code 0}), date, time, timestamp, timestamptz (as UTC wall-clock time), text, bytea and geometry (hex),
 * json, uuid, enums and the other types read as text. A table with a column whose PostgreSQL text is not the hub's
 * normalized text (real, double precision, money, bit strings, time with time zone) has no SQL sum: its chunks are read
 * back as before. A SQL sum that differs from the source's is never taken as the difference itself: the chunk is then
 * read back and summed by the hub (so a value whose PostgreSQL text the hub normalizes otherwise, e.g. a date BC, costs
 * a read, never a false verdict), and that read names the differing columns.
 */
final class SqlSums {

    /** PostgreSQL types whose text ({@code ::text}) is the hub's normalized text of the value read as the kind. */
    private static final Set<String> AS_TEXT = Set.of("int2", "int4", "int8", "date", "time", "timestamp", "text", "varchar",
            "name", "json", "jsonb", "uuid", "xml", "citext", "inet", "cidr", "macaddr", "interval",
            // what pgjdbc calls an identity or serial column's type (an auto-increment key: most tables have one)
            "smallserial", "serial", "bigserial");

    private SqlSums() {
    }

    /**
     * The row-text expression of a target table read by {@code targetReads} (its select's column expressions), from the
     * kinds and types of its select's columns; null when a column has no SQL form (the chunk is then read back).
     */
    static String rowExpression(List<String> targetReads, ResultSetMetaData meta) throws SQLException {
        ValueKind[] kinds = ValueKind.of(meta);
        if (kinds.length != targetReads.size()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            String text = text(targetReads.get(i), kinds[i], meta.getColumnTypeName(i + 1));
            if (text == null) {
                return null;
            }
            parts.add("coalesce(E'\\x1f' || " + text + ", E'\\x1e')");
        }
        return "md5(" + (parts.isEmpty() ? "''" : String.join(" || ", parts)) + ")";
    }

    /** The SQL text of one column as {@link ValueKind#appendNormalized} writes it (null stays null), or null if none. */
    static String text(String expression, ValueKind kind, String typeName) {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT).replace("\"", "");
        String e = "(" + expression + ")";
        return switch (kind) {
            case INTEGER, DATE, TIME, TIMESTAMP -> AS_TEXT.contains(type) ? e + "::text" : null;
            case DECIMAL -> type.equals("numeric") ? "trim_scale(" + e + ")::text" : null;
            case BOOLEAN -> type.equals("bool") ? "CASE WHEN " + e + " THEN '1' WHEN NOT " + e + " THEN '0' END" : null;
            case TIMESTAMP_TZ -> type.equals("timestamptz") ? "(" + e + " AT TIME ZONE 'UTC')::text" : null;
            // char(n): the driver gives the value padded, as bpcharout does; ::text would trim it
            // text, varchar, enums (read with getString: the type's text output)
            case TEXT -> type.equals("bpchar") ? "textin(bpcharout(" + e + "))" : e + "::text";
            case BINARY, GEOMETRY -> type.equals("bytea") ? "encode(" + e + ", 'hex')" : null;
            // read with getString: the type's text output (enums, arrays, json, uuid, ...); floats are never OTHER
            case OTHER -> type.startsWith("float") || type.equals("money") || type.equals("timetz") || type.contains("bit") ? null : e + "::text";
            case REAL, DOUBLE -> null;
            case TEXT_BYTES -> null; // a source's kind only: a target's kinds come from its metadata
        };
    }

    /**
     * The statement summing a chunk: {@code count, sum of high halves, sum of low halves} over the rows of
     * {@code from} ({@code FROM table WHERE range}).
     */
    static String query(String rowExpression, String from) {
        return "SELECT count(*), sum(('x' || substr(h, 1, 16))::bit(64)::bigint), sum(('x' || substr(h, 17, 16))::bit(64)::bigint)"
                + " FROM (SELECT " + rowExpression + " AS h" + from + ") AS rows_summed";
    }

    /** Runs a {@link #query} (its range bound) and gives the checksum as {@link RowChecksum#value} would. */
    static String sum(Connection connection, String query, ChunkSql sql, Chunk chunk) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            sql.bindRange(ps, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                return value(rs);
            }
        }
    }

    /** The checksum a {@link #query}'s result gives. */
    static String value(ResultSet rs) throws SQLException {
        rs.next();
        return RowChecksum.value(rs.getLong(1), low64(rs.getBigDecimal(2)), low64(rs.getBigDecimal(3)));
    }

    /** The sum modulo 2^64, as Java's long additions wrap it. */
    private static long low64(BigDecimal sum) {
        return sum == null ? 0 : sum.toBigIntegerExact().longValue();
    }
}

package id.go.pdn.hub.db.copy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Order-independent checksum of a set of rows: the MD5 of each row's normalized values, its two 64-bit halves summed
 * (modulo 2^64). Source and target rows may come back in any order and still compare equal; any changed, missing or
 * extra row changes it (the row count is part of it too).
 * <p>
 * A row's normalized text: per column, {@code 0x1f} and the value's normalized text ({@link ValueKind#appendNormalized}),
 * or {@code 0x1e} for NULL. MD5 and this form are chosen so that a PostgreSQL target computes the same sum in SQL
 * ({@code id.go.pdn.hub.db.SqlSums}) instead of sending its rows back to be summed here.
 */
public final class RowChecksum {

    /** Starts each non-null value. */
    public static final byte VALUE = 0x1f;
    /** Stands for a NULL value. */
    public static final byte NULL = 0x1e;

    private final ByteSink row = new ByteSink(512);
    private final MessageDigest md5 = md5();
    private final byte[] digest = new byte[16];
    private final long[] hash = new long[2];
    private long rows;
    private long bytes;
    private long sumHigh;
    private long sumLow;

    public void add(Object[] values, ValueKind[] kinds) {
        addAndHash(values, kinds);
    }

    /** {@link #add}, returning the row's hash as {@link #hash} gives it. */
    public long[] addAndHash(Object[] values, ValueKind[] kinds) {
        long[] hash = hash(values, kinds);
        sumHigh += hash[0];
        sumLow += hash[1];
        rows++;
        bytes += row.length();
        return hash;
    }

    /**
     * The 128-bit hash of one row's normalized values, as {@link #add} sums it, without adding it: two rows, read on any
     * engines, hash the same when they hold the same values. The array returned is reused by the next call.
     */
    public long[] hash(Object[] values, ValueKind[] kinds) {
        row.reset();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                row.write(NULL);
            } else {
                row.write(VALUE);
                kinds[i].appendNormalized(values[i], row);
            }
        }
        return hashRow();
    }

    /**
     * The buffer of a row's normalized text, emptied, for a writer that makes the normalized text while it encodes the row
     * anyway ({@link ValueKind#appendCopyAndNormalized}); {@link #addStarted} then adds that row. The text written must be
     * what {@link #add} would write: {@link #VALUE} and the value, or {@link #NULL}, per column.
     */
    public ByteSink startRow() {
        row.reset();
        return row;
    }

    /** Adds the row whose normalized text was written into {@link #startRow}'s buffer, as {@link #add} adds a row. */
    public void addStarted() {
        long[] hash = hashRow();
        sumHigh += hash[0];
        sumLow += hash[1];
        rows++;
        bytes += row.length();
    }

    private long[] hashRow() {
        md5.update(row.array(), 0, row.length());
        try {
            md5.digest(digest, 0, 16);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        hash[0] = longAt(digest, 0);
        hash[1] = longAt(digest, 8);
        return hash;
    }

    private static long longAt(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    /** {@code <rows>:<32 hex digits>} of a row count and the two sums, as {@link #value} gives it. */
    public static String value(long rows, long sumHigh, long sumLow) {
        return rows + ":" + String.format("%016x%016x", sumHigh, sumLow);
    }

    /** Bytes of normalized text of the row hashed last. */
    public int lastRowBytes() {
        return row.length();
    }

    public long rows() {
        return rows;
    }

    /** Bytes of normalized row text hashed: the data volume, comparable across engines. */
    public long bytes() {
        return bytes;
    }

    /** {@code <rows>:<32 hex digits>} */
    public String value() {
        return value(rows, sumHigh, sumLow);
    }
}

package id.go.pdn.hub.db.copy;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Order-independent checksum of a set of rows: the 128-bit MurmurHash3 of each row's normalized values, summed.
 * Source and target rows may come back in any order and still compare equal; any changed, missing or extra
 * row changes it (the row count is part of it too).
 */
public final class RowChecksum {

    private static final byte SEPARATOR = 0x1f;
    private static final byte NULL = 0x00;

    private final ByteSink row = new ByteSink(512);
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
     * engines, hash the same when they hold the same values.
     */
    public long[] hash(Object[] values, ValueKind[] kinds) {
        row.reset();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                row.write(SEPARATOR);
            }
            if (values[i] == null) {
                row.write(NULL);
            } else {
                kinds[i].appendNormalized(values[i], row);
            }
        }
        return MurmurHash3.hash128x64(row.array(), 0, row.length(), 0);
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
        return rows + ":" + String.format("%016x%016x", sumHigh, sumLow);
    }
}

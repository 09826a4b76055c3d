package id.go.pdn.hub.db.copy;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Order-independent checksum of each column of a set of rows: per column, the 128-bit MurmurHash3 of each row's
 * normalized value (as {@link RowChecksum} normalizes it), summed. Two sides whose row checksums differ but whose row
 * counts agree are compared column by column to name the columns that differ.
 */
public final class ColumnChecksums {

    private static final byte NULL = 0x00;

    private final ByteSink value = new ByteSink(512);
    private final long[] high;
    private final long[] low;

    public ColumnChecksums(int columns) {
        high = new long[columns];
        low = new long[columns];
    }

    public void add(Object[] values, ValueKind[] kinds) {
        int n = Math.min(values.length, high.length);
        for (int i = 0; i < n; i++) {
            value.reset();
            if (values[i] == null) {
                value.write(NULL);
            } else {
                value.write((byte) 0x01); // a value is never the same bytes as NULL
                kinds[i].appendNormalized(values[i], value);
            }
            long[] hash = MurmurHash3.hash128x64(value.array(), 0, value.length(), 0);
            high[i] += hash[0];
            low[i] += hash[1];
        }
    }

    /** Whether column {@code i} sums the same on both. */
    public boolean sameColumn(ColumnChecksums other, int i) {
        return high[i] == other.high[i] && low[i] == other.low[i];
    }
}

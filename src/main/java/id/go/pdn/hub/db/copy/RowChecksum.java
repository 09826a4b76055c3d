package id.go.pdn.hub.db.copy;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Order-independent checksum of a set of rows: the 128-bit MurmurHash3 of each row's normalized values, summed.
 * Source and target rows may come back in any order and still compare equal; any changed, missing or extra
 * row changes it (the row count is part of it too).
 */
public final class RowChecksum {

    private static final char SEPARATOR = '\u001f';
    private static final char NULL = '\u0000';

    private final StringBuilder row = new StringBuilder(256);
    private long rows;
    private long bytes;
    private long sumHigh;
    private long sumLow;

    public void add(Object[] values, ValueKind[] kinds) {
        row.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                row.append(SEPARATOR);
            }
            row.append(values[i] == null ? String.valueOf(NULL) : kinds[i].normalized(values[i]));
        }
        byte[] data = row.toString().getBytes(StandardCharsets.UTF_8);
        long[] hash = MurmurHash3.hash128x64(data);
        sumHigh += hash[0];
        sumLow += hash[1];
        rows++;
        bytes += data.length;
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

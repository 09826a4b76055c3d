package id.go.pdn.hub.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import id.go.pdn.hub.db.copy.RawValue;
import id.go.pdn.hub.db.copy.Utf8Text;
import id.go.pdn.hub.db.copy.ValueKind;
import id.go.pdn.hub.db.dialect.Dialect;

/**
 * Reads the rows of a chunk's result set, each value as its {@link ValueKind}; a column the source select reads as raw
 * bytes is made its value by its {@link RawValue} (a legacy charset decoded, geometry as EWKB). Both the copy and the
 * checksums read through this, so the source is summed over the values the target receives.
 */
final class RowReader {

    /** A value of the row just read that is not a value of its column: its index, raw bytes and what is wrong. */
    record Bad(int column, byte[] bytes, String problem) {
    }

    /** A row holding bytes its column cannot hold (text not of its charset): the table's column, the row's key, the bytes. */
    static final class UndecodableRow extends SQLException {
        final String column;
        final String key;
        final String problem;

        UndecodableRow(String column, String key, String problem) {
            super("column " + column + " of row " + key + ": " + problem, "22021"); // character_not_in_repertoire
            this.column = column;
            this.key = key;
            this.problem = problem;
        }
    }

    final ValueKind[] kinds;
    private final RawValue[] raw;
    /** Whether DECIMAL values are read as their text ({@link ValueKind#plainDecimal}), see {@link Dialect#decimalTextIsPlain}. */
    private final boolean decimalText;

    /** @param raw per column the raw value's decoder or null; null for a side read as the driver gives it */
    RowReader(ResultSet rs, RawValue[] raw) throws SQLException {
        this(rs, raw, false);
    }

    /**
     * @param raw         per column the raw value's decoder or null; null for a side read as the driver gives it
     * @param decimalText DECIMAL values read as their text: the driver's {@code getString} of one is its plain text
     */
    RowReader(ResultSet rs, RawValue[] raw, boolean decimalText) throws SQLException {
        this.decimalText = decimalText;
        this.kinds = ValueKind.of(rs.getMetaData());
        this.raw = raw == null ? null : raw.clone();
        if (raw != null) {
            for (int i = 0; i < kinds.length && i < raw.length; i++) {
                if (raw[i] == Utf8Text.INSTANCE && kinds[i] != ValueKind.TEXT) {
                    this.raw[i] = null; // UTF-8 text as bytes only where the driver reads the column as text
                } else if (raw[i] != null) {
                    kinds[i] = raw[i].kind();
                }
            }
        }
    }

    /**
     * Reads the result set's current row into {@code row}. Returns the first value that is no value of its column (its
     * raw bytes are left in the row), or null.
     */
    Bad read(ResultSet rs, Object[] row) throws SQLException {
        Bad bad = null;
        for (int i = 0; i < kinds.length; i++) {
            RawValue decoder = raw == null || i >= raw.length ? null : raw[i];
            if (decoder == null) {
                row[i] = decimalText && kinds[i] == ValueKind.DECIMAL ? ValueKind.plainDecimal(rs.getString(i + 1))
                        : kinds[i].read(rs, i + 1);
                continue;
            }
            byte[] bytes = rs.getBytes(i + 1);
            if (bytes == null) {
                row[i] = null;
                continue;
            }
            try {
                row[i] = decoder.decode(bytes);
            } catch (RawValue.Undecodable e) {
                row[i] = bytes;
                if (bad == null) {
                    bad = new Bad(i, bytes, e.getMessage());
                }
            }
        }
        return bad;
    }
}

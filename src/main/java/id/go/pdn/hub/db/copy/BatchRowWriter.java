package id.go.pdn.hub.db.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Loads rows with a prepared INSERT, sent in batches of 1,000. */
public final class BatchRowWriter implements RowWriter {

    private static final int BATCH = 1_000;
    /** Large text and blobs are sent before a batch holds this many bytes of them. */
    private static final long BATCH_BYTES = 8L * 1024 * 1024;

    private final PreparedStatement insert;
    private final boolean zonedAsUtc;
    private int pending;
    private long pendingBytes;

    /** @param zonedAsUtc write timestamps with a time zone as UTC wall-clock time (targets without zoned timestamps) */
    public BatchRowWriter(Connection connection, String insertSql, boolean zonedAsUtc) throws SQLException {
        this.insert = connection.prepareStatement(insertSql);
        this.zonedAsUtc = zonedAsUtc;
    }

    @Override
    public void write(Object[] values, ValueKind[] kinds) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (zonedAsUtc && kinds[i] == ValueKind.TIMESTAMP_TZ && values[i] != null) {
                insert.setObject(i + 1, ValueKind.utc((java.time.OffsetDateTime) values[i]));
            } else {
                kinds[i].bind(insert, i + 1, values[i]);
            }
        }
        for (Object value : values) {
            if (value instanceof String text) {
                pendingBytes += text.length();
            } else if (value instanceof byte[] data) {
                pendingBytes += data.length;
            }
        }
        insert.addBatch();
        if (++pending >= BATCH || pendingBytes >= BATCH_BYTES) {
            insert.executeBatch();
            pending = 0;
            pendingBytes = 0;
        }
    }

    @Override
    public void finish() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            pending = 0;
            pendingBytes = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}

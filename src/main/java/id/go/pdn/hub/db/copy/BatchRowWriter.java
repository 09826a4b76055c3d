package id.go.pdn.hub.db.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Loads rows with a prepared INSERT, sent in batches of 1,000. */
public final class BatchRowWriter implements RowWriter {

    private static final int BATCH = 1_000;

    private final PreparedStatement insert;
    private final boolean zonedAsUtc;
    private int pending;

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
        insert.addBatch();
        if (++pending >= BATCH) {
            insert.executeBatch();
            pending = 0;
        }
    }

    @Override
    public void finish() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            pending = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}

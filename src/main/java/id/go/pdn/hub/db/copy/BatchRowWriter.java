package id.go.pdn.hub.db.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Loads rows with a prepared INSERT, sent in batches of 1,000. */
public final class BatchRowWriter implements RowWriter {

    private static final int BATCH = 1_000;

    private final PreparedStatement insert;
    private int pending;

    public BatchRowWriter(Connection connection, String insertSql) throws SQLException {
        this.insert = connection.prepareStatement(insertSql);
    }

    @Override
    public void write(Object[] values, ValueKind[] kinds) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            kinds[i].bind(insert, i + 1, values[i]);
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

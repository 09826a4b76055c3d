package id.go.pdn.hub.db.copy;

import java.sql.SQLException;

/** Loads rows into one target table inside the caller's transaction. */
public interface RowWriter extends AutoCloseable {

    void write(Object[] values, ValueKind[] kinds) throws SQLException;

    /**
     * Adds the row to {@code sum} (the rows read, summed before they are written), then writes it; a writer that encodes
     * the values anyway makes their normalized text in the same pass.
     */
    default void write(Object[] values, ValueKind[] kinds, RowChecksum sum) throws SQLException {
        sum.add(values, kinds);
        write(values, kinds);
    }

    /** Sends what is buffered; the caller then commits. */
    void finish() throws SQLException;

    @Override
    void close() throws SQLException;
}

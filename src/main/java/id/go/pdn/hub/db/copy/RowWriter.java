package id.go.pdn.hub.db.copy;

import java.sql.SQLException;

/** Loads rows into one target table inside the caller's transaction. */
public interface RowWriter extends AutoCloseable {

    void write(Object[] values, ValueKind[] kinds) throws SQLException;

    /** Sends what is buffered; the caller then commits. */
    void finish() throws SQLException;

    @Override
    void close() throws SQLException;
}

package id.go.pdn.hub.db.copy;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Loads rows with PostgreSQL's COPY FROM STDIN in text format, in 256 KiB writes. */
public final class PgCopyWriter implements RowWriter {

    private static final int FLUSH_AT = 256 * 1024;

    private final CopyIn copy;
    private final ByteSink buffer = new ByteSink(FLUSH_AT + 64 * 1024);

    public PgCopyWriter(Connection connection, String copySql) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
    }

    @Override
    public void write(Object[] values, ValueKind[] kinds) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buffer.write((byte) '\t');
            }
            if (values[i] == null) {
                buffer.write((byte) '\\').write((byte) 'N');
            } else {
                kinds[i].appendCopy(values[i], buffer);
            }
        }
        buffer.write((byte) '\n');
        if (buffer.length() >= FLUSH_AT) {
            flush();
        }
    }

    /** The row's COPY text and, in the same pass over its values, its normalized text added to {@code sum}. */
    @Override
    public void write(Object[] values, ValueKind[] kinds, RowChecksum sum) throws SQLException {
        ByteSink normalized = sum.startRow();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buffer.write((byte) '\t');
            }
            if (values[i] == null) {
                buffer.write((byte) '\\').write((byte) 'N');
                normalized.write(RowChecksum.NULL);
            } else {
                normalized.write(RowChecksum.VALUE);
                kinds[i].appendCopyAndNormalized(values[i], buffer, normalized);
            }
        }
        sum.addStarted();
        buffer.write((byte) '\n');
        if (buffer.length() >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (buffer.length() > 0) {
            copy.writeToCopy(buffer.array(), 0, buffer.length());
            buffer.reset();
        }
    }

    @Override
    public void finish() throws SQLException {
        flush();
        copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}

package id.go.pdn.hub.db.copy;

/**
 * How a source column that a chunk reads as raw bytes becomes its value, in the hub rather than in the source server:
 * text of a MySQL charset decoded strictly ({@link RawText}), MariaDB geometry as PostGIS EWKB ({@link Ewkb}). The
 * copy writes and both checksums sum the value it gives, so verification compares what the target received.
 */
public interface RawValue {

    /** The kind of the value {@link #decode} gives. */
    ValueKind kind();

    /**
     * The value of these bytes.
     *
     * @throws Undecodable when the bytes are not a value of this column (e.g. not text of its charset)
     */
    Object decode(byte[] raw) throws Undecodable;

    /** Bytes that are no value of the column; the message says which bytes and why (no column, no key: the caller adds them). */
    final class Undecodable extends Exception {
        public Undecodable(String message) {
            super(message);
        }
    }
}

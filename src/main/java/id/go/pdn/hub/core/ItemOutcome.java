package id.go.pdn.hub.core;

/**
 * What a worker proved about one item: the volume it moved and the checksums read on each side.
 * The item is verified when both checksums are equal.
 *
 * @param difference when the sides differ, what the kind found out about where (e.g. a database chunk's key range and the
 *                   columns whose values differ), for the failure message; else null
 */
public record ItemOutcome(long rows, long bytes, String sourceChecksum, String targetChecksum, String difference) {

    public ItemOutcome(long rows, long bytes, String sourceChecksum, String targetChecksum) {
        this(rows, bytes, sourceChecksum, targetChecksum, null);
    }

    public boolean verified() {
        return sourceChecksum != null && sourceChecksum.equals(targetChecksum);
    }

    /** {@code ": " + difference}, or nothing: the tail of a message that says the sides differ. */
    public String differenceText() {
        return difference == null ? "" : ": " + difference;
    }
}

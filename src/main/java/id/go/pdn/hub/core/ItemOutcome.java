package id.go.pdn.hub.core;

/**
 * What a worker proved about one item: the volume it moved and the checksums read on each side.
 * The item is verified when both checksums are equal.
 */
public record ItemOutcome(long rows, long bytes, String sourceChecksum, String targetChecksum) {

    public boolean verified() {
        return sourceChecksum != null && sourceChecksum.equals(targetChecksum);
    }
}

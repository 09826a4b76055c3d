package id.go.pdn.hub.core;

/**
 * A unit of work found by a job's listing: a table chunk, a file, a mailbox UID range.
 * <p>
 * How a listing says what it compared: the core's plan merge treats an item listed again with the same payload as
 * compared with the source and found unchanged at that listing (the migration's {@code verified_compared_at} is stamped), and an item whose
 * payload changed as changed (copied again). So a job puts into the payload what it compares: size, mtime and mode of a
 * file (plus its SHA-256 with {@code compare: checksum}), a chunk's source checksum, a UID range's flags digest.
 *
 * @param key readable and unique within the migration (e.g. {@code orders id [1, 50001)})
 * @param payload JSON the worker needs to process it; the queue only carries the ledger's item id
 * @param skipped why the item is listed but not copied (a fifo, a link), or null: such an item is SKIPPED in the ledger
 * @param goneIfCopied for a skipped item: a copy the hub made of it earlier no longer matches the source (a file that is
 *                     now a link or a fifo), so that copy is a difference (GONE, and removed by {@code deletions: mirror})
 */
public record PlannedItem(String key, String payload, String skipped, boolean goneIfCopied) {

    public PlannedItem(String key, String payload) {
        this(key, payload, null, false);
    }

    public PlannedItem(String key, String payload, String skipped) {
        this(key, payload, skipped, false);
    }

    /** An entry of the source the migration does not copy on purpose, counted and shown with the reason. */
    public static PlannedItem skipped(String key, String payload, String reason) {
        return new PlannedItem(key, payload, reason, false);
    }

    /**
     * An entry the source no longer holds in a copyable shape (a file replaced by a link, a fifo): skipped like
     * {@link #skipped}, but an earlier copy of it on the target is a difference from the source (GONE).
     */
    public static PlannedItem skippedAtSource(String key, String payload, String reason) {
        return new PlannedItem(key, payload, reason, true);
    }
}

package id.go.pdn.hub.core.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a work item stands. {@link #VERIFIED} is done and equal; {@link #SKIPPED} and {@link #REMOVED} are settled
 * without a copy (nothing of them is on the target, on purpose); {@link #GONE} is a difference: the source no longer has
 * what the target still holds.
 */
public enum ItemStatus {
    /** Planned, not yet sent to the work queue. */
    PENDING,
    /** Sent to the work queue. */
    QUEUED,
    /** Claimed by a worker. */
    RUNNING,
    /** Copied and committed on the target, verification not yet done. */
    COPIED,
    /** Copied and verified: counts and checksums match on both sides. */
    VERIFIED,
    /** Failed for a reason a retry cannot fix (rejected rows, checksum mismatch); see last_error. */
    FAILED,
    /** Failed after every retry and sent to the dead-letter queue. */
    DEAD,
    /** Listed but not copied on purpose (a fifo, socket, device or link); last_error says why. */
    SKIPPED,
    /** Deleted at the source after its copy; the target still holds it (deletions: report). */
    GONE,
    /** Deleted at the source after its copy, and removed from the target by the hub (deletions: mirror). */
    REMOVED;

    public static final Set<ItemStatus> IN_FLIGHT = EnumSet.of(QUEUED, RUNNING, COPIED);
    public static final Set<ItemStatus> UNSUCCESSFUL = EnumSet.of(FAILED, DEAD);
    /** Settled without being on the target: they neither count as verified nor keep a run from its end. */
    public static final Set<ItemStatus> SETTLED_WITHOUT_COPY = EnumSet.of(SKIPPED, REMOVED);
}

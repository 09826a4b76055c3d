package id.go.pdn.hub.core.ledger;

import java.util.EnumSet;
import java.util.Set;

/** Where a work item stands. Only {@link #VERIFIED} counts as done. */
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
    DEAD;

    public static final Set<ItemStatus> IN_FLIGHT = EnumSet.of(QUEUED, RUNNING, COPIED);
    public static final Set<ItemStatus> UNSUCCESSFUL = EnumSet.of(FAILED, DEAD);
}

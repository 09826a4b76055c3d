package id.go.pdn.hub.core.ledger;

/** Outcome of one run of a migration. */
public enum RunState {
    RUNNING,
    /** Every item copied and verified. */
    SUCCEEDED,
    /** Some item failed or went to the dead-letter queue, or a step of the run failed. */
    FAILED,
    /** Stopped by an operator before the end; the next run resumes. */
    STOPPED
}

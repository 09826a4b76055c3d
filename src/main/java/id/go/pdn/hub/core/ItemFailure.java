package id.go.pdn.hub.core;

/**
 * A failed work item, classified: {@link Retriable} goes through the retries and then the dead-letter queue;
 * {@link Final} is recorded as FAILED at once, since a retry would fail the same way.
 */
public abstract sealed class ItemFailure extends RuntimeException permits ItemFailure.Retriable, ItemFailure.Final {

    protected ItemFailure(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    /** What was measured before the failure (e.g. both checksums of a mismatch), for the ledger; may be null. */
    public ItemOutcome outcome() {
        return null;
    }

    public static final class Retriable extends ItemFailure {
        public Retriable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Final extends ItemFailure {
        private final ItemOutcome outcome;

        public Final(String message, Throwable cause) {
            this(message, cause, null);
        }

        public Final(String message, Throwable cause, ItemOutcome outcome) {
            super(message, cause);
            this.outcome = outcome;
        }

        @Override
        public ItemOutcome outcome() {
            return outcome;
        }
    }
}

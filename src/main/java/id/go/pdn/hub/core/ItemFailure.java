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
        private final boolean deletedAtSource;

        public Final(String message, Throwable cause) {
            this(message, cause, null);
        }

        public Final(String message, Throwable cause, ItemOutcome outcome) {
            this(message, cause, outcome, false);
        }

        private Final(String message, Throwable cause, ItemOutcome outcome, boolean deletedAtSource) {
            super(message, cause);
            this.outcome = outcome;
            this.deletedAtSource = deletedAtSource;
        }

        /**
         * The item was copied, and the target also still holds a part of it that the source deleted since (mail: a
         * message expunged from a UID range, with {@code deletions: report}): GONE in the ledger, a difference that is
         * reported and counted, not a failure; the next listing looks again.
         */
        public static Final deletedAtSource(String message, ItemOutcome outcome) {
            return new Final(message, null, outcome, true);
        }

        public boolean deletedAtSource() {
            return deletedAtSource;
        }

        @Override
        public ItemOutcome outcome() {
            return outcome;
        }
    }
}

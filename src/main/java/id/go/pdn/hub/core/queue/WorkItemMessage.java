package id.go.pdn.hub.core.queue;

/**
 * What travels on the work queue: only the ledger's item id (or the ids of a batch of small items) and names for people
 * reading the queue.
 * The data itself is streamed by the worker from source to target.
 */
public record WorkItemMessage(long itemId, String migration, String key, long runId, java.util.List<Long> batch) {

    /** One item. */
    public WorkItemMessage(long itemId, String migration, String key, long runId) {
        this(itemId, migration, key, runId, null);
    }

    /** Whether the message carries a batch of small items ({@link #batch} their ids; itemId and key the first one's). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean carriesBatch() {
        return batch != null && !batch.isEmpty();
    }

    public static final String HEADER_MIGRATION = "HubMigration";
    public static final String HEADER_ITEM_KEY = "HubItemKey";
    public static final String HEADER_ERROR = "HubError";
    /** On a dead letter of a tracked route: {@code tracked} (its item is not on the work queue, see DeadLetters#replay). */
    public static final String HEADER_KIND = "HubKind";
}

package id.go.pdn.hub.core.queue;

/**
 * What travels on the work queue: only the ledger's item id and names for people reading the queue.
 * The data itself is streamed by the worker from source to target.
 */
public record WorkItemMessage(long itemId, String migration, String key, long runId) {

    public static final String HEADER_MIGRATION = "HubMigration";
    public static final String HEADER_ITEM_KEY = "HubItemKey";
    public static final String HEADER_ERROR = "HubError";
    /** On a dead letter of a tracked route: {@code tracked} (its item is not on the work queue, see DeadLetters#replay). */
    public static final String HEADER_KIND = "HubKind";
}

package id.go.pdn.hub.core;

/**
 * A unit of work found by a capability's planner: a table chunk, a file, a mailbox UID range.
 *
 * @param key readable and unique within the migration (e.g. {@code orders id [1, 50001)})
 * @param payload JSON the worker needs to process it; the queue only carries the ledger's item id
 */
public record PlannedItem(String key, String payload) {
}

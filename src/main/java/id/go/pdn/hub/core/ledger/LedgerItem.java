package id.go.pdn.hub.core.ledger;

import java.time.OffsetDateTime;

/** One row of {@code hub_item}. */
public record LedgerItem(long itemId, String migration, String kind, String key, String payload, ItemStatus status,
                         int attempts, Long runId, Long rowCount, Long byteCount, String sourceChecksum,
                         String targetChecksum, String lastError, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
}

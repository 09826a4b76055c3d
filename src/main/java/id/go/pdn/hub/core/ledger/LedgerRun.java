package id.go.pdn.hub.core.ledger;

import java.time.Duration;
import java.time.OffsetDateTime;

/** One row of {@code hub_run}. */
public record LedgerRun(long runId, String migration, String application, String kind, RunState state, String triggeredBy,
                        OffsetDateTime startedAt, OffsetDateTime finishedAt, int itemsTotal, int itemsVerified,
                        int itemsFailed, long rows, long bytes, String message) {

    public Duration elapsed() {
        OffsetDateTime end = finishedAt != null ? finishedAt : OffsetDateTime.now();
        return Duration.between(startedAt, end);
    }
}

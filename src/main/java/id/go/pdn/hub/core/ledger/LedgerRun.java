package id.go.pdn.hub.core.ledger;

import java.time.Duration;
import java.time.OffsetDateTime;

/** One row of {@code hub_run}. */
public record LedgerRun(long runId, String migration, String application, String kind, RunState state, String triggeredBy,
                        OffsetDateTime startedAt, OffsetDateTime finishedAt, int itemsTotal, int itemsVerified,
                        int itemsFailed, long rows, long bytes, String message, long waitedSeconds) {

    public Duration elapsed() {
        OffsetDateTime end = finishedAt != null ? finishedAt : OffsetDateTime.now();
        return Duration.between(startedAt, end);
    }

    /** Time the run worked, less the time it waited (paused, outside its window): what rates are measured on. */
    public Duration active() {
        return elapsed().minusSeconds(waitedSeconds);
    }
}

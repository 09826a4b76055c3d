package id.go.pdn.hub.core;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import id.go.pdn.hub.core.ledger.Freshness;
import id.go.pdn.hub.core.ledger.RunState;

/**
 * The result of one run, as the run route's body, the report file and the CLI show it.
 *
 * @param rows rows, files or messages verified by this run (see {@code unit})
 * @param bytes bytes verified by this run
 * @param failures "item: error" of every item that is not verified
 * @param waited time the run took no new items (paused, outside its maintenance window): left out of its rate
 * @param itemsSkipped listed but not copied on purpose (fifos, links: see the items' reasons)
 * @param itemsGone deleted at the source, still on the target (deletions: report)
 * @param itemsRemoved deleted at the source and removed from the target (deletions: mirror)
 * @param unit what {@code rows} counts, in the kind's word (rows, files, messages)
 * @param freshness the verified items' last comparison with the source: how many this run compared, and since when every
 *                  one of them is known equal to the source
 */
public record RunSummary(String migration, String application, String kind, long runId, RunState state,
                         OffsetDateTime startedAt, OffsetDateTime finishedAt, int itemsTotal, int itemsVerified,
                         int itemsFailed, int itemsDead, long rows, long bytes, long rowsTotal, String message,
                         List<String> failures, Duration waited, int itemsSkipped, int itemsGone, int itemsRemoved,
                         Freshness freshness, String unit) {

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt);
    }

    /** Time the run worked: from start to end, less the time it waited. */
    public Duration active() {
        return elapsed().minus(waited);
    }

    public double rowsPerSecond() {
        double seconds = active().toMillis() / 1000.0;
        return seconds <= 0 ? 0 : rows / seconds;
    }

    public boolean succeeded() {
        return state == RunState.SUCCEEDED;
    }

    /** Succeeded, and the target holds nothing the source deleted: the two sides are equal. */
    public boolean equalToSource() {
        return succeeded() && itemsGone == 0;
    }

    /** Equal to the source, and every verified item was compared with the source by this run (not only by an earlier one). */
    public boolean equalNow() {
        return equalToSource() && freshness.fresh();
    }

    /** Verified items this run did not compare with the source: their proof is older than this run. */
    public int itemsStale() {
        return freshness.stale();
    }

    @Override
    public String toString() {
        return String.format("%s [%s/%s] run %d %s: %d/%d items verified, %d failed, %d dead letters; %,d %s this run "
                        + "(%,.0f %s/s), %,d %s verified in all; %.1f s%s", migration, application, kind, runId, state,
                itemsVerified, itemsTotal, itemsFailed, itemsDead, rows, unit, rowsPerSecond(), unit, rowsTotal, unit,
                elapsed().toMillis() / 1000.0, message == null ? "" : "; " + message);
    }
}

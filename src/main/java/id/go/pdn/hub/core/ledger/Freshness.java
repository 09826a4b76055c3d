package id.go.pdn.hub.core.ledger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collection;

/**
 * How fresh the proof of a migration (or of several) is. An item's proof is its last comparison with the source
 * ({@code hub_item.checked_at}: at its copy, at a verify; or {@code hub_migration.verified_compared_at}, the re-listing
 * that found every item still VERIFIED unchanged, if that is later). An item compared
 * since its migration's latest run (or verify, or cut-over) started is <em>fresh</em>; the others are stale proof: they
 * were equal once, but nobody looked since. A latest run that resumed runs which did not succeed (a crash, a stop,
 * failed items retried) counts from the first of them: together they are one pass over the items.
 *
 * @param items the VERIFIED items (the ones a verdict speaks of)
 * @param comparedInLatestRun of those, the ones compared with the source since the latest run started
 * @param equalAsOf the oldest comparison among them: every VERIFIED item was equal to the source at this time or later;
 *                  null when there is none or one was never stamped (verified before the ledger recorded comparisons)
 * @param latestRunStartedAt start of the migration's latest run (or of the unsuccessful runs it resumed), null if it never ran
 */
public record Freshness(int items, int comparedInLatestRun, OffsetDateTime equalAsOf, OffsetDateTime latestRunStartedAt) {

    public static final Freshness NONE = new Freshness(0, 0, null, null);

    /** Every VERIFIED item was compared with the source in the latest run. */
    public boolean fresh() {
        return comparedInLatestRun >= items;
    }

    /** VERIFIED items the latest run did not compare with the source. */
    public int stale() {
        return Math.max(0, items - comparedInLatestRun);
    }

    /** Both together: items summed, the oldest comparison, the oldest latest run. */
    public Freshness and(Freshness other) {
        boolean unknownDate = items > 0 && equalAsOf == null || other.items > 0 && other.equalAsOf == null;
        return new Freshness(items + other.items, comparedInLatestRun + other.comparedInLatestRun,
                unknownDate ? null : min(equalAsOf, other.equalAsOf), min(latestRunStartedAt, other.latestRunStartedAt));
    }

    public static Freshness of(Collection<Freshness> all) {
        return all.stream().reduce(NONE, Freshness::and);
    }

    /** "2026-12-02T21:04:05+07:00" in the zone, to the second; "an unknown time" without a date. */
    public String equalAsOfText(ZoneId zone) {
        return text(equalAsOf, zone);
    }

    /** How old the proof is at {@code now}, e.g. "3 days 4 h", "12 min"; "unknown" without a date. */
    public String age(OffsetDateTime now) {
        if (equalAsOf == null) {
            return "of unknown age";
        }
        Duration age = Duration.between(equalAsOf, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        if (age.toDays() > 0) {
            return age.toDays() + " days " + age.toHoursPart() + " h old";
        }
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min old";
        }
        return age.toMinutes() > 0 ? age.toMinutes() + " min old" : age.toSeconds() + " s old";
    }

    public static String text(OffsetDateTime time, ZoneId zone) {
        return time == null ? "an unknown time"
                : time.atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
        if (a == null || b == null) {
            return a != null ? a : b; // null when neither side has a time
        }
        return a.isBefore(b) ? a : b;
    }
}

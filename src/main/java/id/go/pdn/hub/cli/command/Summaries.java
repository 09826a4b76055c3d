package id.go.pdn.hub.cli.command;

import java.io.PrintStream;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.KindFacts;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.ledger.Freshness;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;

/** Prints run summaries the same way for every command. */
final class Summaries {

    private Summaries() {
    }

    static void print(PrintStream out, List<RunSummary> summaries, Ledger ledger, Capabilities capabilities, ZoneId zone) {
        printRuns(out, summaries, ledger, capabilities, zone);
        out.println();
        out.println(verdict(summaries, zone));
    }

    /** Each run's summary, without the verdict over all of them. */
    static void printRuns(PrintStream out, List<RunSummary> summaries, Ledger ledger, Capabilities capabilities, ZoneId zone) {
        for (RunSummary s : summaries) {
            out.printf("%n%s  [%s, %s]  run %d: %s%n", s.migration(), s.application(), s.kind(), s.runId(), s.state());
            out.printf("  items verified: %d of %d   failed: %d   dead letters: %d%n", s.itemsVerified(), s.itemsTotal(),
                    s.itemsFailed(), s.itemsDead());
            KindFacts facts = capabilities.facts(s.kind());
            String unit = facts.unit(); // what an item's "rows" are
            out.printf("  this run: %,d %s, %,d bytes in %.1f s (%,.0f %s/s); verified in all: %,d %s%n", s.rows(), unit, s.bytes(),
                    s.elapsed().toMillis() / 1000.0, s.rowsPerSecond(), unit, s.rowsTotal(), unit);
            Map<String, long[]> groups = groups(ledger, s.migration(), facts);
            groups.forEach((group, v) -> {
                String atSource = id.go.pdn.hub.report.ReportPage.atSource((int) v[3], (int) v[4], (int) v[5]);
                boolean settled = v[1] + v[3] + v[5] == v[2]; // verified, skipped or removed: nothing left to copy
                out.printf("    %-32s %,12d %s  %4d/%-4d items verified%s%s%n", group, v[0], unit, v[1], v[2],
                        atSource == null ? "" : " (" + atSource + ")", settled && v[4] == 0 ? "" : "  <-- NOT VERIFIED");
            });
            if (s.itemsSkipped() + s.itemsGone() + s.itemsRemoved() > 0) {
                out.printf("  at the source: %d skipped (not copied on purpose), %d deleted and still on the target, %d deleted and removed "
                        + "from the target%n", s.itemsSkipped(), s.itemsGone(), s.itemsRemoved());
            }
            Freshness f = s.freshness();
            if (f.items() > 0) {
                out.printf("  compared with the source in this run: %d of %d verified items%s; equal to the source as of %s%n",
                        f.comparedInLatestRun(), f.items(), f.fresh() ? "" : "  <-- STALE PROOF for " + f.stale(), f.equalAsOfText(zone));
            }
            if (s.message() != null) {
                out.println("  " + s.message());
            }
            s.failures().forEach(failure -> out.println("  ! " + failure));
        }
    }

    /** The one-line verdict over the runs: VERIFIED is said only when this run compared every verified item with the source. */
    static String verdict(List<RunSummary> summaries, ZoneId zone) {
        if (summaries.isEmpty()) {
            return "NOTHING RUN: no migration was loaded.";
        }
        Freshness freshness = Freshness.of(summaries.stream().map(RunSummary::freshness).toList());
        if (!summaries.stream().allMatch(RunSummary::succeeded)) {
            return "NOT VERIFIED: see the items above; `./hub dlq list` shows dead letters, the report folder the rejected rows.";
        }
        if (!summaries.stream().allMatch(RunSummary::equalToSource)) {
            return "NOT EQUAL: every item was copied and verified, but the target still holds what the source deleted (see above).";
        }
        if (!freshness.fresh()) {
            return "STALE: every item was verified once, but " + freshness.stale() + " of " + freshness.items() + " were not compared "
                    + "with the source in this run; the target is known equal to the source only as of " + freshness.equalAsOfText(zone)
                    + " (" + freshness.age(java.time.OffsetDateTime.now()) + "). `./hub cutover APPLICATION` compares every item again.";
        }
        return "VERIFIED: every item was copied, or compared with the source, in this run: row counts and checksums match on "
                + "source and target; equal to the source as of " + freshness.equalAsOfText(zone) + ".";
    }

    /** The exit code of a command that ran migrations: see {@link Main} and the README's table. */
    static int exitCode(List<RunSummary> summaries) {
        if (summaries.isEmpty()) {
            return Main.BAD_CONFIGURATION;
        }
        if (!summaries.stream().allMatch(RunSummary::equalToSource)) {
            return Main.NOT_VERIFIED;
        }
        return summaries.stream().allMatch(RunSummary::equalNow) ? Main.OK : Main.STALE;
    }

    /**
     * Rows (of verified items, and of items read on both sides that differ), verified items, all items, skipped, deleted at the source (still on the target) and removed items
     * per group of the kind (table, top folder, mailbox).
     */
    static Map<String, long[]> groups(Ledger ledger, String migration, KindFacts facts) {
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (ItemStatus status : ItemStatus.values()) {
            for (LedgerItem item : ledger.items(migration, status)) {
                String group = facts.groupOfKey().apply(item.key());
                long[] v = groups.computeIfAbsent(group, k -> new long[6]);
                if (status == ItemStatus.VERIFIED || status == ItemStatus.FAILED && differed(item)) {
                    v[0] += item.rowCount() == null ? 0 : item.rowCount(); // rows there, equal or not
                }
                if (status == ItemStatus.VERIFIED) {
                    v[1]++;
                }
                v[2]++;
                v[3] += status == ItemStatus.SKIPPED ? 1 : 0;
                v[4] += status == ItemStatus.GONE ? 1 : 0;
                v[5] += status == ItemStatus.REMOVED ? 1 : 0;
            }
        }
        return groups;
    }

    /** Whether the item's last copy or check read both sides and found them different. */
    private static boolean differed(LedgerItem item) {
        return item.sourceChecksum() != null && item.targetChecksum() != null && !item.sourceChecksum().equals(item.targetChecksum());
    }
}

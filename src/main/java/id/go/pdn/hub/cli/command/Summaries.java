package id.go.pdn.hub.cli.command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;

/** Prints run summaries the same way for every command. */
final class Summaries {

    private Summaries() {
    }

    static void print(PrintStream out, List<RunSummary> summaries, Ledger ledger) {
        for (RunSummary s : summaries) {
            out.printf("%n%s  [%s, %s]  run %d: %s%n", s.migration(), s.application(), s.kind(), s.runId(), s.state());
            out.printf("  items verified: %d of %d   failed: %d   dead letters: %d%n", s.itemsVerified(), s.itemsTotal(),
                    s.itemsFailed(), s.itemsDead());
            String unit = switch (s.kind()) { // what an item's "rows" are
                case "files" -> "files";
                case "mail" -> "messages";
                default -> "rows";
            };
            out.printf("  this run: %,d %s, %,d bytes in %.1f s (%,.0f %s/s); verified in all: %,d %s%n", s.rows(), unit, s.bytes(),
                    s.elapsed().toMillis() / 1000.0, s.rowsPerSecond(), unit, s.rowsTotal(), unit);
            Map<String, long[]> groups = groups(ledger, s.migration());
            groups.forEach((group, v) -> out.printf("    %-32s %,12d %s  %4d/%-4d items verified%s%n", group, v[0], unit, v[1], v[2],
                    v[1] == v[2] ? "" : "  <-- NOT VERIFIED"));
            if (s.message() != null) {
                out.println("  " + s.message());
            }
            s.failures().forEach(f -> out.println("  ! " + f));
        }
        boolean all = summaries.stream().allMatch(RunSummary::succeeded);
        out.println();
        out.println(all ? "VERIFIED: every item was copied, and its row count and checksum match on source and target."
                : "NOT VERIFIED: see the items above; `./hub dlq list` shows dead letters, the report folder the rejected rows.");
    }

    /** Verified rows, verified items and all items per table (the first word of a key) or top folder (files). */
    static Map<String, long[]> groups(Ledger ledger, String migration) {
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (ItemStatus status : ItemStatus.values()) {
            for (LedgerItem item : ledger.items(migration, status)) {
                String group = !"files".equals(item.kind()) ? item.key().split(" ", 2)[0]
                        : item.key().contains("/") ? item.key().substring(0, item.key().indexOf('/')) + "/" : "(top folder)";
                long[] v = groups.computeIfAbsent(group, k -> new long[3]);
                if (status == ItemStatus.VERIFIED) {
                    v[0] += item.rowCount() == null ? 0 : item.rowCount();
                    v[1]++;
                }
                v[2]++;
            }
        }
        return groups;
    }
}

package id.go.pdn.hub.report;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Everything the report of one application says, as written to {@code report.json} and rendered to {@code report.html}.
 * Times are in {@code hub.time-zone}. Texts from the ledger (errors, messages) are already redacted.
 *
 * @param deadLetterSource where the dead letters come from: {@code broker} (the running hub's queue) or {@code ledger}
 *                         (items whose status is DEAD)
 */
public record ApplicationReport(String application, OffsetDateTime generatedAt, String timeZone, String hubVersion,
                                Verdict verdict, List<KindTotals> kinds, List<MigrationReport> migrations,
                                List<RunEntry> runs, String deadLetterSource, List<OperationEntry> operations) {

    public static final String VERIFIED = "COMPLETE AND VERIFIED";
    public static final String NOT_VERIFIED = "NOT VERIFIED";
    public static final String STALE = "STALE";

    /**
     * {@link #VERIFIED} (complete, and every verified item compared with the source in its migration's latest run or
     * cut-over), {@link #NOT_VERIFIED} with every reason, one sentence each, or {@link #STALE}: complete, but some items
     * were not compared with the source in the latest run, so the target is known equal to the source only as of an
     * older time.
     *
     * @param equalAsOf the oldest last comparison with the source among the verified items (hub time zone), null if unknown
     * @param proofAge how old that is when the report was made ("3 days 2 h old")
     * @param staleProof per migration whose latest run did not compare every verified item: how many and since when
     */
    public record Verdict(boolean verified, String text, List<String> missing, OffsetDateTime equalAsOf, String proofAge,
                          List<String> staleProof) {
        public Verdict(boolean verified, String text, List<String> missing) {
            this(verified, text, missing, null, null, List.of());
        }

        /** Complete, but not every item was compared with the source in the latest run. */
        public boolean isStale() {
            return missing.isEmpty() && !staleProof.isEmpty();
        }
    }

    /**
     * Totals of one kind (db, files, mail) over the application's migrations, and how the report shows the kind (from its
     * capability's facts): its title, chart colour and what its items are grouped by.
     */
    public record KindTotals(String kind, String unit, String title, String colour, String groupNoun, int migrations,
                             int itemsTotal, int itemsVerified, long units, long bytes) {
    }

    /**
     * One migration: its plan, its items by status and per group (table, top folder, mailbox), what is not verified.
     *
     * @param declaredIn route file of its declaration, when the report was given the routes
     * @param parameters the declaration's allow-listed parameters (never a secret), when given the routes
     * @param units verified rows (db), files (files) or messages (mail)
     * @param unverifiedItemsNotListed unverified items beyond the listed ones
     */
    public record MigrationReport(String name, String kind, String unit, String declaredIn, Map<String, String> parameters,
                                  String planState, boolean finished, boolean verified, int runs,
                                  int itemsTotal, int itemsVerified, Map<String, Integer> itemsByStatus, long units, long bytes,
                                  List<GroupReport> groups, List<UnverifiedItem> unverifiedItems, int unverifiedItemsNotListed,
                                  List<RejectFile> rejects, List<DeadLetter> deadLetters) {
    }

    /**
     * A table, a top folder or a mailbox.
     *
     * @param checksumsCompared verified items with a checksum on both sides
     * @param checksumsAgreeing of those, the ones whose source and target checksums are equal
     * @param comparedSince the oldest of the verified items' last comparison of source and target (at the copy, or by a
     *                      later {@code verify}): every verified item of the group was found equal on both sides since then
     * @param skipped listed but not copied on purpose (fifos, links, superseded ranges; the items say why)
     * @param gone deleted at the source and still on the target (deletions: report): a difference
     * @param removed deleted at the source and removed from the target by the hub (deletions: mirror)
     */
    public record GroupReport(String name, int itemsTotal, int itemsVerified, long units, long bytes,
                              int checksumsCompared, int checksumsAgreeing, OffsetDateTime comparedSince,
                              int skipped, int gone, int removed) {
        public GroupReport(String name, int itemsTotal, int itemsVerified, long units, long bytes, int checksumsCompared,
                           int checksumsAgreeing, OffsetDateTime comparedSince) {
            this(name, itemsTotal, itemsVerified, units, bytes, checksumsCompared, checksumsAgreeing, comparedSince, 0, 0, 0);
        }

        /** Every item verified or settled without a copy (skipped, removed), and every compared checksum agreeing. */
        public boolean verified() {
            return itemsVerified + skipped + removed == itemsTotal && checksumsAgreeing == checksumsCompared;
        }
    }

    public record UnverifiedItem(String item, String status, int attempts, String error) {
    }

    /** A reject file beside the reports: rows (or messages) the target refused, one line each in the log. */
    public record RejectFile(String file, String table, long lines, String firstLine) {
    }

    public record DeadLetter(String migration, String item, String error) {
    }

    /** One run of a migration. */
    /**
     * An operation called on the hub for this application (its migrations, or the whole hub), from the audit trail: who,
     * when, from where, through what (jolokia, jmx, jmx-local, cli), and its outcome.
     */
    public record OperationEntry(OffsetDateTime at, String who, String address, String channel, String migration,
                                 String operation, String outcome) {
    }

    public record RunEntry(long runId, String migration, String kind, String state, String triggeredBy,
                           OffsetDateTime startedAt, OffsetDateTime finishedAt, double seconds, int itemsTotal,
                           int itemsVerified, int itemsFailed, long units, long bytes, double unitsPerSecond,
                           double bytesPerSecond, String message) {
    }
}

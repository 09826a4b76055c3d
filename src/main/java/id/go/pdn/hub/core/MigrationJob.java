package id.go.pdn.hub.core;

import java.util.List;
import id.go.pdn.hub.core.ledger.LedgerItem;

/**
 * One migration's work, opened by its capability when the route is loaded and closed when it is unloaded: the
 * connections, pools and metadata its items share live here, keyed by nothing else. Each kind has the same shape: plan
 * the items and prepare the target, copy and verify one item, finish. The core runs the plan through the ledger and the
 * work queue; a job never touches either.
 */
public interface MigrationJob extends AutoCloseable {

    /**
     * Reaches every endpoint once (datasources, servers, folders) before anything is written, and throws
     * {@link HubException} naming the endpoint, the cause in words and the fix when one cannot be used.
     */
    default void preflight() {
    }

    /** The part of the declaration that the plan depends on: a change there needs a new plan. */
    default String planFingerprint() {
        return null;
    }

    /**
     * Lists the items and prepares the target (e.g. creates tables). Called for a new plan only, unless
     * {@link #replansEachRun()}.
     */
    List<PlannedItem> plan();

    /**
     * Whether every run lists the items again (files, mail: the source keeps changing until cut-over). The runner
     * then merges the new listing into the existing plan: new keys are added as PENDING, and items whose payload
     * changed (e.g. a file's size or mtime) go back to PENDING; the others keep their state, so a run with
     * nothing new copies nothing. Items that disappeared from the source stay in the ledger as they were.
     */
    default boolean replansEachRun() {
        return false;
    }

    /**
     * The listing a run merges into the plan when {@link #replansEachRun()}: a fresh {@link #plan} by default. A job that
     * can tell what is new from what was planned (mail: UIDs after the last planned one) returns the planned items plus
     * the new ones, without listing everything again.
     */
    default List<PlannedItem> replan(List<PlannedItem> planned) {
        return plan();
    }

    /**
     * Whether {@link #replan} looks at the planned items; a job that lists everything again (files) says no, and the
     * runner does not read 10,000 planned rows from the ledger for it.
     */
    default boolean replanReadsPlan() {
        return true;
    }

    /**
     * Items deleted at the source after their copy, whose copy the target still holds (GONE in the ledger); called on
     * every run that listed the source again. A job told to mirror deletions ({@code deletions: mirror}) removes its own
     * copies from the target and returns the ids of those it removed (they become REMOVED); by default nothing is
     * removed and they stay GONE, reported as a difference between source and target.
     */
    default java.util.Set<Long> deletedAtSource(List<LedgerItem> gone) {
        return java.util.Set.of();
    }

    /** Copies one item, then reads it back from the target and returns what both sides hold. */
    ItemOutcome copy(LedgerItem item) throws Exception;

    /**
     * How small items are grouped into one work message, or null: one item per message. A batch is claimed in one
     * ledger transaction, copied by {@link #copyBatch} and recorded in one transaction; the ledger keeps one row per item.
     *
     * @param maxItems items in a batch at most
     * @param maxBytes their {@link #batchWeight weights} together at most
     */
    record Batching(int maxItems, long maxBytes) {
    }

    default Batching batching() {
        return null;
    }

    /** What an item weighs in a batch (a file's size), or -1 when it goes alone (too big, or not batchable). */
    default long batchWeight(LedgerItem item) {
        return -1;
    }

    /** One item's result in a batch: its outcome, or the error that stopped it (the others go on). */
    record BatchResult(LedgerItem item, ItemOutcome outcome, Exception error) {
    }

    /**
     * Copies and verifies a batch of items, each as {@link #copy} does, sharing what they can (sessions, folder handles).
     * An item that fails gets its error in its result and the rest go on; an exception fails the whole batch (e.g. the
     * server cannot be reached), which the queue retries as one.
     */
    default List<BatchResult> copyBatch(List<LedgerItem> items) throws Exception {
        List<BatchResult> results = new java.util.ArrayList<>(items.size());
        for (LedgerItem item : items) {
            try {
                results.add(new BatchResult(item, copy(item), null));
            } catch (Exception e) {
                results.add(new BatchResult(item, null, e));
            }
        }
        return results;
    }

    /**
     * What a run would move, read from the source only: no target table or folder is created, nothing is written
     * anywhere ({@code ./hub plan}). Unlike {@link #plan} it never prepares the target.
     *
     * @param verified the migration's items the ledger records as VERIFIED (empty if it was never planned)
     * @throws HubException naming the migration and the cause when the source cannot be reached or listed
     */
    PlanSurvey survey(List<LedgerItem> verified);

    /**
     * Reads one already copied item again on both sides, writing nothing, and returns what both sides hold now,
     * measured exactly as {@link #copy} measures it (a side that no longer has the item gives a null checksum).
     */
    ItemOutcome verify(LedgerItem item) throws Exception;

    /** Runs once every item is verified (e.g. indexes, foreign keys, sequences). Must be safe to repeat. */
    void finish();

    /**
     * Finishes what does not depend on the given items, after a run that left them FAILED or DEAD (a database migration:
     * every table whose chunks are all verified). Must be safe to repeat. Returns what is still lacking in one line, for
     * the run's message, or null.
     */
    default String finishExcept(List<LedgerItem> unsuccessful) {
        return null;
    }

    /**
     * The statements a run would execute on the target to prepare and finish it (a database's DDL), for a review before
     * the first run ({@code ./hub plan --ddl}); reads the source only. Empty for kinds without such statements.
     */
    default List<String> ddl() {
        return List.of();
    }

    /** What the finishing step left for a person (objects it could not carry over), in one line, or null. */
    default String handWork() {
        return null;
    }

    /**
     * Runs at the end of every copying run, whatever its items' outcome (even a failed or stopped run), once the work
     * queue is done with the run's items and before {@link #finish}: e.g. files set their folders' times and modes, which
     * copying files into them disturbs. Must be safe to repeat; a {@link HubException} fails the run.
     */
    default void afterCopies() {
    }

    /** Gives back what the job holds (pools, sessions, caches). */
    @Override
    default void close() {
    }
}

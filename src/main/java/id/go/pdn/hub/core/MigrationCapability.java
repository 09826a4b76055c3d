package id.go.pdn.hub.core;

import java.util.List;
import id.go.pdn.hub.core.ledger.LedgerItem;

/**
 * One kind of thing the hub migrates (databases, files, mail). Each has the same shape: validate the declaration,
 * plan the items and prepare the target, copy and verify one item, then finish (indexes, folders, ...).
 * The core runs the plan through the ledger and the work queue; a capability never touches either.
 */
public interface MigrationCapability {

    /** The kind in route URIs: {@code migration:<kind>:<name>}. */
    String kind();

    /** Checks the parameters; throws {@link HubException} naming the parameter and the fix. */
    void validate(Migration migration);

    /** The part of the parameters that the plan depends on: a change there needs a new plan. */
    String planFingerprint(Migration migration);

    /**
     * Lists the items and prepares the target (e.g. creates tables). Called for a new plan only, unless
     * {@link #replansEachRun()}.
     */
    List<PlannedItem> plan(Migration migration);

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
     * The listing a run merges into the plan when {@link #replansEachRun()}: a fresh {@link #plan} by default. A
     * capability that can tell what is new from what was planned (mail: UIDs after the last planned one) returns the
     * planned items plus the new ones, without listing everything again.
     */
    default List<PlannedItem> replan(Migration migration, List<PlannedItem> planned) {
        return plan(migration);
    }

    /** Copies one item, then reads it back from the target and returns what both sides hold. */
    ItemOutcome copy(Migration migration, LedgerItem item) throws Exception;

    /**
     * What a run would move, read from the source only: no target table or folder is created, nothing is written
     * anywhere ({@code ./hub plan}). Unlike {@link #plan} it never prepares the target.
     *
     * @param verified the migration's items the ledger records as VERIFIED (empty if it was never planned): what of the
     *                 source is already on the target, so that a nightly survey shows only what is new
     * @throws HubException naming the migration and the cause when the source cannot be reached or listed
     */
    PlanSurvey survey(Migration migration, List<LedgerItem> verified);

    /**
     * Reads one already copied item again on both sides, writing nothing, and returns what both sides hold now,
     * measured exactly as {@link #copy} measures it: an intact item gives equal checksums, a changed or missing target
     * a different one (a side that no longer has the item gives a null checksum).
     */
    ItemOutcome verify(Migration migration, LedgerItem item) throws Exception;

    /** Runs once every item is verified (e.g. indexes, foreign keys, sequences). Must be safe to repeat. */
    void finish(Migration migration);
}

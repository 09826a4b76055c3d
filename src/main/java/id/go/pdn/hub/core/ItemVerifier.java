package id.go.pdn.hub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Checks every verified item of a migration again, source against target, without copying (operators' "verify", e.g.
 * just before the cut-over). An item that no longer matches becomes FAILED with the finding; an item that cannot be
 * read now (source or target down) stays as it was, and the run says so.
 */
@Component
class ItemVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ItemVerifier.class);
    private static final int PAGE = 100;
    private static final int MAX_FINDINGS_LOGGED = 20;

    private final Ledger ledger;
    private final ItemDispatcher dispatcher;

    ItemVerifier(Ledger ledger, ItemDispatcher dispatcher) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
    }

    /** How a finding says that the source changed since the item's copy (the application still writes). */
    static final String CHANGED_AT_SOURCE = "changed on the source since its copy";

    private enum Result { EQUAL, DIFFERENT, UNREADABLE }

    private record Check(LedgerItem item, Result result, String finding) {
    }

    RunOutcome checkAll(Registered registered) throws InterruptedException {
        Migration migration = registered.migration();
        MigrationHandle handle = registered.handle();
        handle.verifying(true);
        ExecutorService checkers = Executors.newFixedThreadPool(dispatcher.parallelism(migration),
                new CustomizableThreadFactory("hub-verify-"));
        long equal = 0;
        long rows = 0;
        long bytes = 0;
        List<Check> differing = new ArrayList<>();
        List<Check> unreadable = new ArrayList<>();
        try {
            int afterSeq = -1; // seq counts from 0
            while (!handle.isStopRequested()) {
                // reading every item again loads the source like a copy does: it keeps to pauses and windows too
                while (!dispatcher.mayTakeItems(registered) && !handle.isStopRequested()) {
                    handle.awaitProgress(500);
                }
                List<LedgerItem> page = ledger.itemsPage(migration.name(), ItemStatus.VERIFIED, afterSeq, PAGE);
                if (page.isEmpty() || handle.isStopRequested()) {
                    break;
                }
                afterSeq = ledger.seqOf(page.get(page.size() - 1).itemId());
                List<Future<Check>> checks = checkers.invokeAll(page.stream()
                        .map(item -> (Callable<Check>) () -> check(registered, item)).toList());
                for (Future<Check> future : checks) {
                    Check check = future.get();
                    switch (check.result()) {
                        case EQUAL -> {
                            equal++;
                            rows += check.item().rowCount() == null ? 0 : check.item().rowCount();
                            bytes += check.item().byteCount() == null ? 0 : check.item().byteCount();
                        }
                        case DIFFERENT -> { // read on both sides too: its rows are there, just not equal
                            differing.add(check);
                            rows += check.item().rowCount() == null ? 0 : check.item().rowCount();
                            bytes += check.item().byteCount() == null ? 0 : check.item().byteCount();
                        }
                        case UNREADABLE -> unreadable.add(check);
                    }
                }
                handle.signal();
            }
        } catch (ExecutionException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot verify migration " + migration.describe() + ": "
                    + Errors.oneLine(e.getCause()), e.getCause());
        } finally {
            checkers.shutdownNow();
        }
        Stream.concat(differing.stream(), unreadable.stream()).limit(MAX_FINDINGS_LOGGED).forEach(check -> LOG.warn("{}", check.finding()));
        StringBuilder message = new StringBuilder("checked again: " + equal + " items equal on source and target");
        if (!differing.isEmpty()) {
            message.append("; ").append(differing.size()).append(" differ (now FAILED; `retry failed` copies them again): ")
                    .append(String.join("; ", differing.stream().limit(5).map(Check::finding).toList()));
        }
        if (!unreadable.isEmpty()) {
            message.append("; ").append(unreadable.size()).append(" could not be read (left as they were): ")
                    .append(unreadable.get(0).finding());
        }
        RunState state = handle.isStopRequested() ? RunState.STOPPED
                : differing.isEmpty() && unreadable.isEmpty() ? RunState.SUCCEEDED : RunState.FAILED;
        return new RunOutcome(state, message.toString(), rows, bytes);
    }

    /**
     * Checks one item again. Equal sides stamp the check; different ones make the item FAILED with the finding. An item
     * that cannot be read now (a server down, a password changed) is left VERIFIED: it proved nothing either way.
     */
    private Check check(Registered registered, LedgerItem item) {
        Migration migration = registered.migration();
        ItemOutcome outcome;
        try {
            outcome = registered.job().verify(item);
        } catch (Exception e) {
            return new Check(item, Result.UNREADABLE, "Cannot check " + item.key() + " of migration " + migration.describe()
                    + ": " + Errors.oneLine(e));
        }
        if (outcome.verified() && outcome.sourceChecksum().equals(item.sourceChecksum())) {
            ledger.recordCheck(item.itemId(), outcome, null);
            return new Check(item, Result.EQUAL, null);
        }
        boolean sourceChanged = !java.util.Objects.equals(outcome.sourceChecksum(), item.sourceChecksum());
        String finding = outcome.verified()
                ? item.key() + " of migration " + migration.describe() + " " + CHANGED_AT_SOURCE + " (" + item.rowCount()
                        + " rows then, " + outcome.rows() + " now): the next run copies it again"
                : sourceChanged
                ? item.key() + " of migration " + migration.describe() + " differs between source and target: it "
                        + CHANGED_AT_SOURCE + " (source checksum then " + item.sourceChecksum() + ", now " + outcome.sourceChecksum()
                        + ", target " + outcome.targetChecksum() + ")" + outcome.differenceText() + "; the next run copies it again"
                : item.key() + " of migration " + migration.describe() + " differs between source and target (source checksum "
                        + outcome.sourceChecksum() + ", target " + outcome.targetChecksum() + ")" + outcome.differenceText();
        ledger.recordCheck(item.itemId(), new ItemOutcome(outcome.rows(), outcome.bytes(), outcome.sourceChecksum(), null), finding);
        return new Check(item, Result.DIFFERENT, finding);
    }
}

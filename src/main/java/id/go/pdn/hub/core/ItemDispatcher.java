package id.go.pdn.hub.core;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.queue.ActiveItems;
import id.go.pdn.hub.core.queue.WorkQueue;
import id.go.pdn.hub.core.schedule.MaintenanceWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Feeds a run's items to the work queue, as many at a time as the migration's parallelism allows, and only while it
 * may take items: not while an operator paused it, nor outside its maintenance window.
 */
@Component
class ItemDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ItemDispatcher.class);
    private static final long LOST_CHECK_NANOS = 5_000_000_000L;
    /**
     * How long sends to the work queue may fail before the run gives up (the next run resumes): long enough for a
     * broker's backup to take over from its live broker (seconds) or a broker restart.
     */
    static final java.time.Duration BROKER_OUTAGE = java.time.Duration.ofMinutes(2);

    private final Ledger ledger;
    private final WorkQueue workQueue;
    private final ActiveItems active;
    private final HubProperties properties;
    private final Clock clock;

    ItemDispatcher(Ledger ledger, WorkQueue workQueue, ActiveItems active, HubProperties properties, Clock hubClock) {
        this.ledger = ledger;
        this.workQueue = workQueue;
        this.active = active;
        this.properties = properties;
        this.clock = hubClock;
    }

    /** Sends pending items until none is pending or in flight (or a stop was asked for and none is in flight). */
    void dispatchUntilDone(Registered registered, long runId) throws InterruptedException {
        String name = registered.migration().name();
        int parallelism = parallelism(registered.migration());
        MigrationHandle handle = registered.handle();
        long nextLostCheck = System.nanoTime();
        long sendFailingSince = 0; // nanoTime of the first failed send of an outage, 0 while sends go through
        while (true) {
            if (System.nanoTime() - nextLostCheck > 0) {
                int lost = ledger.releaseLost(name, active.snapshot());
                if (lost > 0) {
                    LOG.warn("Migration {}: {} items claimed by this hub but held by no worker are back in line", name, lost);
                }
                int stale = ledger.releaseStaleClaims(name, NodeHeartbeat.ALIVE);
                if (stale > 0) {
                    LOG.warn("Migration {}: {} items claimed by a hub not seen for {} s are back in line", name, stale,
                            NodeHeartbeat.ALIVE.toSeconds());
                }
                parallelism = parallelism(registered.migration()); // hubs join and leave
                nextLostCheck = System.nanoTime() + LOST_CHECK_NANOS;
            }
            ItemCounts counts = ledger.activeCounts(name);
            MigrationJob.Batching batching = registered.job().batching();
            // a batching job: items in flight count in batches (parallelism batches of small items at most)
            int free = parallelism * (batching == null ? 1 : batching.maxItems()) - counts.inFlight();
            if (!handle.isStopRequested() && mayTakeItems(registered) && free > 0 && counts.get(ItemStatus.PENDING) > 0) {
                boolean sendFailed = false;
                for (List<LedgerItem> message : messages(registered.job(), batching, ledger.takePending(name, runId, free), parallelism)) {
                    LedgerItem item = message.get(0);
                    if (sendFailed) {
                        message.forEach(m -> ledger.unqueue(m.itemId(), null)); // taken with the one that failed: back in line, unsent
                        continue;
                    }
                    try {
                        workQueue.sendBatch(message, runId);
                        if (sendFailingSince != 0) {
                            LOG.info("Migration {}: the work queue takes items again", name);
                            sendFailingSince = 0;
                        }
                    } catch (RuntimeException e) {
                        // a broker failing over to its backup, or restarting: the item goes back in line and is sent again
                        // (a send cut off after the broker stored it leaves a duplicate message: its claim skips it)
                        message.forEach(m -> ledger.unqueue(m.itemId(), "not sent to the work queue: " + Errors.oneLine(e)));
                        sendFailed = true;
                        if (sendFailingSince == 0) {
                            sendFailingSince = System.nanoTime();
                            LOG.warn("Migration {}: cannot send {} to the work queue ({}); trying again for up to {} s", name,
                                    item.key(), Errors.oneLine(e), BROKER_OUTAGE.toSeconds());
                        } else if (System.nanoTime() - sendFailingSince > BROKER_OUTAGE.toNanos()) {
                            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot send " + item.key() + " of migration "
                                    + registered.migration().describe() + " to the work queue for " + BROKER_OUTAGE.toSeconds()
                                    + " s: " + Errors.oneLine(e), e);
                        }
                    }
                }
                if (sendFailed) {
                    handle.awaitProgress(1000);
                }
                continue;
            }
            if (counts.inFlight() == 0 && (counts.get(ItemStatus.PENDING) == 0 || handle.isStopRequested())) {
                return;
            }
            handle.awaitProgress(250);
        }
    }

    /**
     * The work messages for the items taken: without batching one per item; with it, consecutive small items grouped up
     * to the batch's limits, and an item that goes alone (too big, or tried before: a retry is never batched again) as its
     * own message. Items beyond {@code parallelism} messages of items that go alone go back in line (a set of big files
     * keeps the migration's parallelism).
     */
    List<List<LedgerItem>> messages(MigrationJob job, MigrationJob.Batching batching, List<LedgerItem> items, int parallelism) {
        List<List<LedgerItem>> messages = new ArrayList<>();
        if (batching == null || batching.maxItems() <= 1) {
            items.forEach(item -> messages.add(List.of(item)));
            return messages;
        }
        List<LedgerItem> batch = new ArrayList<>();
        long batchBytes = 0;
        int alone = 0;
        for (int i = 0; i < items.size(); i++) {
            LedgerItem item = items.get(i);
            long weight = item.attempts() > 0 ? -1 : job.batchWeight(item);
            if (weight < 0) {
                if (alone == parallelism) {
                    ledger.unqueue(item.itemId(), null);
                    continue;
                }
                alone++;
                messages.add(List.of(item));
                continue;
            }
            if (!batch.isEmpty() && (batch.size() >= batching.maxItems() || batchBytes + weight > batching.maxBytes())) {
                messages.add(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(item);
            batchBytes += weight;
        }
        if (!batch.isEmpty()) {
            messages.add(batch);
        }
        return messages;
    }

    /**
     * Whether the run may take new items now: not while an operator paused it, nor outside its maintenance window.
     * Items being copied always finish: a pause happens at an item boundary.
     */
    boolean mayTakeItems(Registered registered) {
        MigrationHandle handle = registered.handle();
        String waitingFor = null;
        // the ledger says whether an operator paused it, on any hub; the handle mirrors it for this hub's MBean
        boolean paused = ledger.isPaused(registered.migration().name());
        if (paused != handle.isPauseRequested()) {
            if (paused) {
                handle.requestPause();
            } else {
                handle.resume();
            }
        }
        if (paused) {
            waitingFor = "an operator's resume";
        } else {
            Optional<MaintenanceWindow> window = registered.window();
            ZonedDateTime now = ZonedDateTime.now(clock);
            if (window.isPresent() && !window.get().isOpen(now)) {
                waitingFor = "its maintenance window " + window.get() + " (opens " + window.get().nextOpening(now) + ")";
            }
        }
        if (!Objects.equals(waitingFor, handle.waitingFor())) {
            if (waitingFor != null) {
                LOG.info("Migration {} paused: it finishes the items being copied and waits for {}", registered.migration().name(), waitingFor);
            } else {
                LOG.info("Migration {} resumed", registered.migration().name());
            }
            handle.waitingFor(waitingFor);
        }
        return waitingFor == null;
    }

    /**
     * Items of the migration in flight at once: its parallelism, at most the workers of every live hub on this ledger
     * (they all take items from the queue; at least this hub's own).
     */
    int parallelism(Migration migration) {
        int workers = properties.getQueue().getWorkers();
        try {
            workers = Math.max(workers, ledger.liveWorkers(NodeHeartbeat.ALIVE));
        } catch (RuntimeException e) {
            LOG.debug("Cannot count the workers of the hubs on the ledger: {}", Errors.oneLine(e));
        }
        return Math.min(migration.common().getParallelism(), workers);
    }
}

package id.go.pdn.hub.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.jmx.MigrationMBeans;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.core.queue.ActiveItems;
import id.go.pdn.hub.core.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Service;

/**
 * Runs migrations: makes or resumes the plan, feeds the work queue with as many items as the migration's
 * parallelism allows, waits for the workers, runs the capability's finishing step and records the outcome.
 * The ledger decides what is left to do, so a run after a crash or a stop simply goes on.
 */
@Service
public class MigrationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
    private static final int MAX_FAILURES_LISTED = 20;

    private final MigrationRegistry registry;
    private final Ledger ledger;
    private final WorkQueue workQueue;
    private final RunReports reports;
    private final MigrationMBeans mbeans;
    private final ThreadPoolTaskScheduler scheduler;
    private final HubProperties properties;
    private final Map<String, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
    private final ActiveItems active;

    public MigrationRunner(MigrationRegistry registry, Ledger ledger, WorkQueue workQueue, RunReports reports,
                           MigrationMBeans mbeans, ThreadPoolTaskScheduler hubScheduler, HubProperties properties,
                           ActiveItems active) {
        this.active = active;
        this.registry = registry;
        this.ledger = ledger;
        this.workQueue = workQueue;
        this.reports = reports;
        this.mbeans = mbeans;
        this.scheduler = hubScheduler;
        this.properties = properties;
    }

    /** Loads a migration declared by a route: checks it, exposes its MBean and schedules it if it has a cron. */
    public void register(Migration migration, MigrationCapability capability, Consumer<RunSummary> onRunFinished) {
        capability.validate(migration);
        Registered registered = new Registered(migration, capability, new MigrationHandle(), onRunFinished);
        registry.add(registered);
        mbeans.register(registered, this);
        String cron = migration.parameter("cron");
        if (cron != null && !cron.isBlank()) {
            CronTrigger trigger;
            try {
                trigger = new CronTrigger(cron, properties.getTimeZone());
            } catch (IllegalArgumentException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot schedule migration " + migration.describe()
                        + ": cron '" + cron + "' is not valid (" + e.getMessage() + "); write six fields, e.g. '0 0 23 * * *' for 23:00 daily");
            }
            schedules.put(migration.name(), scheduler.schedule(() -> runScheduled(migration.name()), trigger));
            LOG.info("Migration {} scheduled: cron '{}' in {}", migration.name(), cron, properties.getTimeZone());
        }
    }

    public void unregister(String name) {
        ScheduledFuture<?> schedule = schedules.remove(name);
        if (schedule != null) {
            schedule.cancel(false);
        }
        registry.remove(name).ifPresent(r -> {
            r.handle().requestStop();
            mbeans.unregister(r.migration());
        });
    }

    private void runScheduled(String name) {
        Registered registered = registry.require(name);
        if (registered.handle().isRunning()) {
            LOG.warn("Skipping the scheduled run of {}: the previous run is still going on", name);
            return;
        }
        run(name, "cron");
    }

    /** Runs every loaded migration once, in parallel, and waits for all of them. */
    public List<RunSummary> runAll(String triggeredBy) {
        List<CompletableFuture<RunSummary>> runs = registry.all().stream()
                .map(r -> startAsync(r.migration().name(), triggeredBy)).toList();
        return runs.stream().map(CompletableFuture::join).toList();
    }

    /** Runs now, in the background, every loaded migration that has no cron; the others wait for their schedule. */
    public List<CompletableFuture<RunSummary>> startUnscheduled(String triggeredBy) {
        return registry.all().stream().filter(r -> !schedules.containsKey(r.migration().name()))
                .map(r -> startAsync(r.migration().name(), triggeredBy)).toList();
    }

    /** Starts a run in the background (JMX, schedules). */
    public CompletableFuture<RunSummary> startAsync(String name, String triggeredBy) {
        return CompletableFuture.supplyAsync(() -> run(name, triggeredBy), scheduler::execute)
                .whenComplete((summary, error) -> {
                    if (error != null) {
                        LOG.error("Cannot run migration {} ({}): {}", name, triggeredBy, Errors.oneLine(error));
                    }
                });
    }

    /** Runs a migration to its end and returns what it did. Fails fast if a run of it is already going on. */
    public RunSummary run(String name, String triggeredBy) {
        Registered registered = registry.require(name);
        Migration migration = registered.migration();
        MigrationHandle handle = registered.handle();
        if (!handle.tryStart()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start migration " + name + ": a run of it is going on");
        }
        RunSummary summary = null;
        boolean finished = false;
        try {
            ledger.closeAbandonedRuns(name);
            long runId = ledger.startRun(migration, triggeredBy);
            handle.started(runId);
            OffsetDateTime startedAt = OffsetDateTime.now();
            LOG.info("Run {} of migration {} started ({})", runId, migration.describe(), triggeredBy);
            String message = null;
            RunState state;
            try {
                boolean alreadyFinished = ensurePlan(registered);
                ledger.resetUnfinished(name, active.snapshot());
                dispatchUntilDone(registered, runId);
                ItemCounts counts = ledger.counts(name);
                if (handle.isStopRequested() && !counts.allVerified()) {
                    state = RunState.STOPPED;
                    message = "stopped by an operator; the next run resumes";
                } else if (counts.allVerified()) {
                    if (!alreadyFinished) {
                        registered.capability().finish(migration);
                        ledger.markPlanFinished(name);
                    }
                    state = RunState.SUCCEEDED;
                } else {
                    state = RunState.FAILED;
                    message = counts.unsuccessful() + " of " + counts.total() + " items not verified";
                }
            } catch (HubException e) {
                state = RunState.FAILED;
                message = e.getMessage();
                LOG.error("{}", message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                state = RunState.STOPPED;
                message = "interrupted: the hub is shutting down; the next run resumes";
            } catch (RuntimeException e) {
                state = RunState.FAILED;
                message = "Cannot run migration " + migration.describe() + ": " + Errors.oneLine(e);
                LOG.error("{}", message, e);
            }
            summary = summarize(registered, runId, startedAt, state, message);
            ledger.finishRun(runId, state, ledger.counts(name), summary.rows(), summary.bytes(), message);
            reports.write(summary);
            LOG.info("{}", summary);
            handle.finished(summary);
            finished = true;
            if (registered.onRunFinished() != null) {
                registered.onRunFinished().accept(summary);
            }
            return summary;
        } finally {
            if (!finished) {
                handle.release();
            }
        }
    }

    /** Asks a running migration to stop at the next item boundary. */
    public void stop(String name) {
        registry.require(name).handle().requestStop();
    }

    /** Puts the migration's FAILED and DEAD items back in line and starts a run for them. */
    public int retryFailed(String name) {
        int items = ledger.retryUnsuccessful(name);
        if (!registry.require(name).handle().isRunning()) {
            startAsync(name, "retry-failed");
        }
        return items;
    }

    /**
     * Makes the plan if there is none, or merges a fresh listing into it for capabilities that list their source
     * on every run; returns whether the finishing step already ran for everything planned.
     */
    private boolean ensurePlan(Registered registered) {
        Migration migration = registered.migration();
        String fingerprint = sha256(migration.kind() + "\n" + registered.capability().planFingerprint(migration));
        var existing = ledger.plan(migration.name());
        if (existing.isPresent()) {
            if (!existing.get().definitionHash().equals(fingerprint)) {
                throw new HubException(HubException.ErrorCode.PLAN_CHANGED, "Cannot run migration " + migration.describe()
                        + ": its source, target or item parameters changed since it was planned. Put them back, or run "
                        + "`./hub reset " + migration.name() + "` to forget its plan and migrate it again from the start");
            }
            if (!registered.capability().replansEachRun()) {
                return existing.get().finished();
            }
            Ledger.MergeResult merged = ledger.mergePlan(migration,
                    registered.capability().replan(migration, ledger.plannedItems(migration.name())));
            LOG.info("Migration {} listed again: {} new and {} changed items, {} gone from the source before their copy, {} known",
                    migration.name(), merged.added(), merged.changed(), merged.gone(), merged.known());
            return existing.get().finished() && !merged.anyChange();
        }
        List<PlannedItem> items = registered.capability().plan(migration);
        ledger.savePlan(migration, fingerprint, items);
        LOG.info("Migration {} planned: {} items", migration.name(), items.size());
        return false;
    }

    private void dispatchUntilDone(Registered registered, long runId) throws InterruptedException {
        String name = registered.migration().name();
        int parallelism = Math.min(parallelism(registered.migration()), properties.getQueue().getWorkers());
        MigrationHandle handle = registered.handle();
        long nextLostCheck = System.nanoTime();
        while (true) {
            if (System.nanoTime() - nextLostCheck > 0) {
                int lost = ledger.releaseLost(name, active.snapshot());
                if (lost > 0) {
                    LOG.warn("Migration {}: {} items claimed by this hub but held by no worker are back in line", name, lost);
                }
                nextLostCheck = System.nanoTime() + 5_000_000_000L;
            }
            ItemCounts counts = ledger.activeCounts(name);
            int free = parallelism - counts.inFlight();
            if (!handle.isStopRequested() && free > 0 && counts.get(ItemStatus.PENDING) > 0) {
                for (LedgerItem item : ledger.takePending(name, runId, free)) {
                    try {
                        workQueue.send(item, runId);
                    } catch (RuntimeException e) {
                        ledger.release(item.itemId(), "not sent to the work queue: " + Errors.oneLine(e));
                        throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot send " + item.key() + " of migration "
                                + registered.migration().describe() + " to the work queue: " + Errors.oneLine(e), e);
                    }
                }
                continue;
            }
            if (counts.inFlight() == 0 && (counts.get(ItemStatus.PENDING) == 0 || handle.isStopRequested())) {
                return;
            }
            handle.awaitProgress(250);
        }
    }

    private static int parallelism(Migration migration) {
        try {
            return Math.max(1, Integer.parseInt(migration.parameter("parallelism", "4")));
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    private RunSummary summarize(Registered registered, long runId, OffsetDateTime startedAt, RunState state, String message) {
        Migration migration = registered.migration();
        ItemCounts counts = ledger.counts(migration.name());
        long[] volume = ledger.runVolume(runId);
        List<String> failures = ledger.unsuccessfulItems(migration.name()).stream()
                .limit(MAX_FAILURES_LISTED)
                .map(item -> item.status() + " " + item.key() + ": " + item.lastError())
                .toList();
        return new RunSummary(migration.name(), migration.application(), migration.kind(), runId, state, startedAt,
                OffsetDateTime.now(), counts.total(), counts.get(ItemStatus.VERIFIED), counts.get(ItemStatus.FAILED),
                counts.get(ItemStatus.DEAD), volume[0], volume[1], counts.rows(), message, failures);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

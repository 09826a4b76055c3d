package id.go.pdn.hub.core;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.core.queue.ActiveItems;
import id.go.pdn.hub.core.schedule.MigrationSchedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

/**
 * Runs migrations: makes or resumes the plan, has the {@link ItemDispatcher} feed the work queue, runs the job's
 * finishing step and records the outcome; one run of a migration at a time, in this hub and across hubs
 * ({@link RunLease}). The ledger decides what is left to do, so a run after a crash or a stop simply goes on.
 */
@Service
public class MigrationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
    private static final int MAX_FAILURES_LISTED = 20;
    private static final long SHUTDOWN_WAIT_MILLIS = 20_000;

    private final MigrationRegistry registry;
    private final Ledger ledger;
    private final RunReports reports;
    private final HubProperties properties;
    private final ActiveItems active;
    private final MigrationSchedules schedules;
    private final RunLease lease;
    private final ItemDispatcher dispatcher;
    private final ItemVerifier verifier;
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    /** A thread per run: a run mostly waits (for its workers, its window, an operator), often for hours. */
    private final ExecutorService runThreads = Executors.newCachedThreadPool(new CustomizableThreadFactory("hub-run-"));

    MigrationRunner(MigrationRegistry registry, Ledger ledger, RunReports reports, HubProperties properties, ActiveItems active,
                    MigrationSchedules schedules, RunLease lease, ItemDispatcher dispatcher, ItemVerifier verifier) {
        this.registry = registry;
        this.ledger = ledger;
        this.reports = reports;
        this.properties = properties;
        this.active = active;
        this.schedules = schedules;
        this.lease = lease;
        this.dispatcher = dispatcher;
        this.verifier = verifier;
    }

    /**
     * Loads a migration declared by a route: checks its schedule, opens its job (which checks what can be checked
     * without a server), and schedules it if it has a cron.
     */
    public void register(Migration migration, MigrationCapability capability, Consumer<RunSummary> onRunFinished) {
        var window = MigrationSchedules.validate(migration, properties.getSchedules().getMisfire());
        MigrationJob job = capability.open(migration);
        Registered registered = new Registered(migration, capability, job, new MigrationHandle(), window, onRunFinished);
        try {
            registry.add(registered);
        } catch (RuntimeException e) {
            job.close();
            throw e;
        }
        if (schedules.schedule(migration)) {
            scheduled.add(migration.name());
        }
        if (ledger.isPaused(migration.name())) { // paused by an operator, here or on another hub, before a restart
            registered.handle().requestPause();
            LOG.info("Migration {} is paused (by an operator): its runs take no items until `resume`", migration.name());
        }
    }

    public void unregister(String name) {
        // the schedule stays in the job store: other hubs on this ledger may still run it, and a restart finds it
        scheduled.remove(name);
        registry.remove(name).ifPresent(r -> {
            r.handle().requestStop();
            r.job().close();
        });
    }

    public boolean isLoaded(String name) {
        return registry.find(name).isPresent();
    }

    public boolean isScheduled(String name) {
        return scheduled.contains(name);
    }

    public Optional<ZonedDateTime> nextRunAt(String name) {
        return scheduled.contains(name) ? schedules.nextRunAt(name) : Optional.empty();
    }

    /**
     * At shutdown: every run stops at its next item boundary (the next run resumes it) and gives back its lease before
     * the lease keeper stops, so that no other hub takes over items this one is still finishing.
     */
    @jakarta.annotation.PreDestroy
    void stopRuns() throws InterruptedException {
        registry.all().forEach(r -> r.handle().requestStop());
        long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MILLIS;
        while (registry.all().stream().anyMatch(r -> r.handle().isRunning()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        runThreads.shutdownNow();
        lease.shutdown();
    }

    /** Runs every loaded migration once, in parallel, and waits for all of them. */
    public List<RunSummary> runAll(String triggeredBy) {
        List<CompletableFuture<RunSummary>> runs = registry.all().stream()
                .map(r -> startAsync(r.migration().name(), triggeredBy)).toList();
        return runs.stream().map(CompletableFuture::join).toList();
    }

    /**
     * What a serving hub does at start: runs every migration that has no cron now, and resumes a scheduled one whose
     * last run was cut off (its hub stopped or died) instead of leaving it to the next fire; the others wait for theirs.
     */
    public List<CompletableFuture<RunSummary>> startUnscheduled(String triggeredBy) {
        return registry.all().stream().map(r -> r.migration().name())
                .filter(name -> !scheduled.contains(name) || wasCutOff(name))
                .map(name -> startAsync(name, scheduled.contains(name) ? "resume" : triggeredBy)).toList();
    }

    private boolean wasCutOff(String name) {
        return ledger.lastRun(name).map(run -> run.state() == RunState.RUNNING).orElse(false)
                && ledger.runLeaseHolder(name).isEmpty();
    }

    /** A fire of the migration's cron: starts a run unless one is going on (runs never overlap). */
    public void startScheduled(String name, String triggeredBy) {
        if (registry.require(name).handle().isRunning()) {
            LOG.warn("Schedule of {} fired while its previous run is still going on here: this fire is skipped", name);
            return;
        }
        startAsync(name, triggeredBy);
    }

    /** Starts a run in the background (JMX, schedules, commands). */
    public CompletableFuture<RunSummary> startAsync(String name, String triggeredBy) {
        return inBackground("run", name, () -> run(name, triggeredBy));
    }

    /** Runs a migration to its end and returns what it did. Fails fast if a run of it is already going on. */
    public RunSummary run(String name, String triggeredBy) {
        return exclusively(name, triggeredBy, this::copyAll);
    }

    /** Checks every verified item again, source against target, without copying: see {@link ItemVerifier}. */
    public RunSummary verify(String name, String triggeredBy) {
        return exclusively(name, triggeredBy, (registered, runId) -> verifier.checkAll(registered));
    }

    public CompletableFuture<RunSummary> verifyAsync(String name, String triggeredBy) {
        return inBackground("verify", name, () -> verify(name, triggeredBy));
    }

    private CompletableFuture<RunSummary> inBackground(String what, String name, Supplier<RunSummary> work) {
        return CompletableFuture.supplyAsync(work, runThreads).whenComplete((summary, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RunLease.HeldElsewhere elsewhere) {
                LOG.info("Migration {} runs on hub {}: this hub's workers take its items from the queue", name, elsewhere.holder());
            } else if (error != null) {
                LOG.error("Cannot {} migration {}: {}", what, name, Errors.oneLine(error));
            }
        });
    }

    @FunctionalInterface
    private interface RunBody {
        RunOutcome run(Registered registered, long runId) throws InterruptedException;
    }

    /**
     * Runs {@code body} as a run of the migration: one at a time in this hub (the handle) and in every hub on the
     * ledger (the lease), recorded in the ledger with its outcome and summary. The lease is given back and the handle
     * freed before anyone hears of the end, so that a run started right then finds both free.
     */
    private RunSummary exclusively(String name, String triggeredBy, RunBody body) {
        Registered registered = registry.require(name);
        Migration migration = registered.migration();
        MigrationHandle handle = registered.handle();
        if (!handle.tryStart()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start migration " + name + ": a run of it is going on");
        }
        String token = UUID.randomUUID().toString();
        boolean leased = false;
        ScheduledFuture<?> renewal = null;
        RunSummary summary = null;
        try {
            lease.acquire(name, token);
            leased = true;
            renewal = lease.keep(name, token, handle);
            ledger.closeAbandonedRuns(name); // the lease is ours: a run still marked RUNNING belonged to a hub that died
            long runId = ledger.startRun(migration, triggeredBy);
            handle.started(runId);
            OffsetDateTime startedAt = OffsetDateTime.now();
            LOG.info("Run {} of migration {} started ({})", runId, migration.describe(), triggeredBy);
            RunOutcome outcome;
            try {
                outcome = body.run(registered, runId);
            } catch (HubException e) {
                outcome = new RunOutcome(RunState.FAILED, e.getMessage());
                LOG.error("{}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new RunOutcome(RunState.STOPPED, "interrupted: the hub is shutting down; the next run resumes");
            } catch (RuntimeException e) {
                outcome = new RunOutcome(RunState.FAILED, "Cannot run migration " + migration.describe() + ": " + Errors.oneLine(e));
                LOG.error("{}", outcome.message(), e);
            }
            handle.waitingFor(null); // closes the last wait, if any, into the run's waited time
            summary = summarize(registered, runId, startedAt, outcome);
            ledger.finishRun(runId, outcome.state(), ledger.counts(name), summary.rows(), summary.bytes(), outcome.message(),
                    summary.waited());
            reports.write(summary);
            LOG.info("{}", summary);
            var byHub = ledger.verifiedByHub(name);
            if (byHub.size() > 1) { // several hubs' workers shared it
                LOG.info("Migration {}: items verified per hub (all runs): {}", name, byHub);
            }
        } finally {
            if (renewal != null) {
                renewal.cancel(false);
            }
            if (leased) {
                lease.release(name, token);
            }
            handle.waitingFor(null);
            handle.verifying(false);
            if (summary != null) {
                handle.finished(summary);
            } else {
                handle.release();
            }
        }
        if (registered.onRunFinished() != null) {
            registered.onRunFinished().accept(summary);
        }
        return summary;
    }

    private RunOutcome copyAll(Registered registered, long runId) throws InterruptedException {
        String name = registered.migration().name();
        boolean alreadyFinished = ensurePlan(registered);
        // items claimed by the workers of other live hubs stay theirs (a run taken over from a hub that died)
        ledger.resetUnfinished(name, active.snapshot(), NodeHeartbeat.ALIVE);
        dispatcher.dispatchUntilDone(registered, runId);
        registered.job().afterCopies(); // whatever the items' outcome
        ItemCounts counts = ledger.counts(name);
        if (registered.handle().isStopRequested() && !counts.allVerified()) {
            return new RunOutcome(RunState.STOPPED, "stopped by an operator; the next run resumes");
        }
        if (counts.allCopied()) {
            if (!alreadyFinished) {
                registered.job().finish();
                ledger.markPlanFinished(name);
            }
            String handWork = registered.job().handWork();
            String gone = counts.gone() == 0 ? null : counts.gone() + " items deleted at the source "
                    + "are still on the target (deletions: report); the target equals the source once they are removed "
                    + "(deletions: mirror)";
            return new RunOutcome(RunState.SUCCEEDED, gone == null ? handWork : handWork == null ? gone : gone + "; " + handWork);
        }
        String lacking = null;
        try {
            lacking = registered.job().finishExcept(ledger.unsuccessfulItems(name));
        } catch (RuntimeException e) {
            LOG.warn("Cannot finish what the unsuccessful items of {} do not hold back: {}", name, Errors.oneLine(e));
        }
        return new RunOutcome(RunState.FAILED, counts.unsuccessful() + " of " + counts.total() + " items not verified"
                + (lacking == null ? "" : "; " + lacking));
    }

    /**
     * Lists the migration's source again and compares the listing with the ledger, writing nothing: the cut-over's
     * proof that the source is quiet. Empty for a job that lists its source once (its items are checked by a verify).
     */
    public Optional<Ledger.ListingChanges> listAgain(String name) {
        Registered registered = registry.require(name);
        if (!registered.job().replansEachRun()) {
            return Optional.empty();
        }
        MigrationJob job = registered.job();
        return Optional.of(ledger.compareListing(name, job.replan(job.replanReadsPlan() ? ledger.plannedItems(name) : List.of())));
    }

    /** Keys of the items a verify found changed on the source since their copy (the application still writes). */
    public List<String> changedAtSource(String name) {
        return ledger.unsuccessfulItems(name).stream()
                .filter(item -> item.lastError() != null && item.lastError().contains(ItemVerifier.CHANGED_AT_SOURCE))
                .map(id.go.pdn.hub.core.ledger.LedgerItem::key).toList();
    }

    /**
     * Runs the migration's finishing step again (indexes, foreign keys, identity counters: the job makes it safe to
     * repeat), outside a run, when no run of it goes on here: the cut-over's last step.
     */
    public void finishAgain(String name) {
        Registered registered = registry.require(name);
        if (registered.handle().isRunning()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot finish migration " + name + ": a run of it is going on");
        }
        registered.job().finish();
        if (ledger.counts(name).allCopied()) { // else the run that copies the rest runs it again
            ledger.markPlanFinished(name);
        }
    }

    /**
     * Pauses a migration in every hub on this ledger (and across restarts): its run takes no new items, and runs started
     * meanwhile (a cron fire, an operator) wait, until {@link #resume}.
     */
    public void pause(String name) {
        ledger.pause(name);
        registry.require(name).handle().requestPause();
    }

    public void resume(String name) {
        ledger.resume(name);
        registry.require(name).handle().resume();
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
     * Makes the plan if there is none, or merges a fresh listing into it for jobs that list their source on every run;
     * returns whether the finishing step already ran for everything planned.
     */
    private boolean ensurePlan(Registered registered) {
        Migration migration = registered.migration();
        MigrationJob job = registered.job();
        String fingerprint = Hashes.sha256Hex(migration.kind() + "\n" + migration.options().planFingerprint());
        var existing = ledger.plan(migration.name());
        if (existing.isPresent()) {
            if (!existing.get().definitionHash().equals(fingerprint)) {
                throw new HubException(HubException.ErrorCode.PLAN_CHANGED, "Cannot run migration " + migration.describe()
                        + ": its source, target or item options changed since it was planned. Put them back, or run "
                        + "`./hub reset " + migration.name() + "` to forget its plan and migrate it again from the start");
            }
            if (!job.replansEachRun()) {
                return existing.get().finished();
            }
            Ledger.MergeResult merged = ledger.mergePlan(migration, job.replan(job.replanReadsPlan()
                    ? ledger.plannedItems(migration.name()) : List.of()));
            LOG.info("Migration {} listed again: {} new and {} changed items, {} deleted at the source since their copy, {} gone "
                    + "before their copy, {} known", migration.name(), merged.added(), merged.changed(), merged.deleted(),
                    merged.dropped(), merged.known());
            settleDeletions(registered);
            return existing.get().finished() && !merged.anyChange();
        }
        List<PlannedItem> items = job.plan();
        ledger.savePlan(migration, fingerprint, items);
        LOG.info("Migration {} planned: {} items", migration.name(), items.size());
        return false;
    }

    /**
     * Offers the job every item deleted at the source whose copy the target still holds: a job told to mirror deletions
     * removes its own copies and says which (they become REMOVED); the others stay GONE, reported as a difference.
     */
    private void settleDeletions(Registered registered) {
        String name = registered.migration().name();
        List<id.go.pdn.hub.core.ledger.LedgerItem> gone = ledger.items(name, ItemStatus.GONE);
        if (gone.isEmpty()) {
            return;
        }
        Set<Long> removed = registered.job().deletedAtSource(gone);
        ledger.markRemoved(removed);
        if (!removed.isEmpty()) {
            LOG.info("Migration {}: {} items deleted at the source removed from the target", name, removed.size());
        }
    }

    private RunSummary summarize(Registered registered, long runId, OffsetDateTime startedAt, RunOutcome outcome) {
        Migration migration = registered.migration();
        ItemCounts counts = ledger.counts(migration.name());
        long[] volume = outcome.rows() >= 0 ? new long[] {outcome.rows(), outcome.bytes()} : ledger.runVolume(runId);
        List<String> failures = ledger.unsuccessfulItems(migration.name()).stream()
                .limit(MAX_FAILURES_LISTED)
                .map(item -> item.status() + " " + item.key() + ": " + item.lastError())
                .toList();
        return new RunSummary(migration.name(), migration.application(), migration.kind(), runId, outcome.state(), startedAt,
                OffsetDateTime.now(), counts.total(), counts.get(ItemStatus.VERIFIED), counts.get(ItemStatus.FAILED),
                counts.get(ItemStatus.DEAD), volume[0], volume[1], counts.rows(), outcome.message(), failures,
                registered.handle().waited(), counts.get(ItemStatus.SKIPPED), counts.gone(), counts.get(ItemStatus.REMOVED),
                ledger.freshness(migration.name()), registered.capability().facts().unit());
    }
}

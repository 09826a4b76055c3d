package id.go.pdn.hub.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
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
import id.go.pdn.hub.core.schedule.MaintenanceWindow;
import id.go.pdn.hub.core.schedule.MigrationSchedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final HubProperties properties;
    /** How long a run's lease lasts without renewal: a hub that died longer ago than this loses its runs. */
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration LEASE_RENEWAL = Duration.ofSeconds(5);

    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);
    /** A thread per run: a run mostly waits (for its workers, its window, an operator), often for hours. */
    private final java.util.concurrent.ExecutorService runThreads = java.util.concurrent.Executors.newCachedThreadPool(
            new org.springframework.scheduling.concurrent.CustomizableThreadFactory("hub-run-"));
    /** Renews run leases on its own thread, so that busy run threads never let a lease run out. */
    private final java.util.concurrent.ScheduledExecutorService leaseKeeper = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(new org.springframework.scheduling.concurrent.CustomizableThreadFactory("hub-lease-"));
    private final ActiveItems active;
    private final MigrationSchedules schedules;
    private final Clock clock;

    public MigrationRunner(MigrationRegistry registry, Ledger ledger, WorkQueue workQueue, RunReports reports,
                           MigrationMBeans mbeans, HubProperties properties,
                           ActiveItems active, MigrationSchedules schedules, Clock hubClock) {
        this.active = active;
        this.schedules = schedules;
        this.clock = hubClock;
        this.registry = registry;
        this.ledger = ledger;
        this.workQueue = workQueue;
        this.reports = reports;
        this.mbeans = mbeans;
        this.properties = properties;
    }

    /** Loads a migration declared by a route: checks it, exposes its MBean and schedules it if it has a cron. */
    public void register(Migration migration, MigrationCapability capability, Consumer<RunSummary> onRunFinished) {
        capability.validate(migration);
        MigrationSchedules.validate(migration, properties.getSchedules().getMisfire());
        Registered registered = new Registered(migration, capability, new MigrationHandle(), onRunFinished);
        registry.add(registered);
        mbeans.register(registered, this);
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
            mbeans.unregister(r.migration());
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
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (registry.all().stream().anyMatch(r -> r.handle().isRunning()) && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
        }
        runThreads.shutdownNow();
        leaseKeeper.shutdownNow();
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

    /**
     * Checks every verified item of a migration again, source against target, without copying (operators' "verify",
     * e.g. just before the cut-over). An item that no longer matches becomes FAILED with the finding; an item that
     * cannot be read now (source or target down) stays as it was, and the run says so.
     */
    public RunSummary verify(String name, String triggeredBy) {
        return exclusively(name, triggeredBy, this::checkAll);
    }

    public CompletableFuture<RunSummary> verifyAsync(String name, String triggeredBy) {
        return inBackground("verify", name, () -> verify(name, triggeredBy));
    }

    private CompletableFuture<RunSummary> inBackground(String what, String name, java.util.function.Supplier<RunSummary> work) {
        return CompletableFuture.supplyAsync(work, runThreads).whenComplete((summary, error) -> {
            if (error != null) {
                LOG.error("Cannot {} migration {}: {}", what, name, Errors.oneLine(error));
            }
        });
    }

    /** What a run did, before it is summarized. */
    private record Outcome(RunState state, String message, long rows, long bytes) {
        Outcome(RunState state, String message) {
            this(state, message, -1, -1);
        }
    }

    @FunctionalInterface
    private interface RunBody {
        Outcome run(Registered registered, long runId) throws InterruptedException;
    }

    /**
     * Runs {@code body} as a run of the migration: one at a time in this hub (the handle) and in every hub on the
     * ledger (a lease renewed while it lasts), recorded in the ledger with its outcome and summary. The lease is given
     * back and the handle freed before anyone hears of the end, so that a run started right then finds both free.
     */
    private RunSummary exclusively(String name, String triggeredBy, RunBody body) {
        Registered registered = registry.require(name);
        Migration migration = registered.migration();
        MigrationHandle handle = registered.handle();
        if (!handle.tryStart()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start migration " + name + ": a run of it is going on");
        }
        String lease = java.util.UUID.randomUUID().toString();
        boolean leased = false;
        ScheduledFuture<?> renewal = null;
        RunSummary summary = null;
        try {
            acquireRunLease(name, lease);
            leased = true;
            renewal = keepLease(name, lease, handle);
            ledger.closeAbandonedRuns(name); // the lease is ours: a run still marked RUNNING belonged to a hub that died
            long runId = ledger.startRun(migration, triggeredBy);
            handle.started(runId);
            OffsetDateTime startedAt = OffsetDateTime.now();
            LOG.info("Run {} of migration {} started ({})", runId, migration.describe(), triggeredBy);
            Outcome outcome;
            try {
                outcome = body.run(registered, runId);
            } catch (HubException e) {
                outcome = new Outcome(RunState.FAILED, e.getMessage());
                LOG.error("{}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new Outcome(RunState.STOPPED, "interrupted: the hub is shutting down; the next run resumes");
            } catch (RuntimeException e) {
                outcome = new Outcome(RunState.FAILED, "Cannot run migration " + migration.describe() + ": " + Errors.oneLine(e));
                LOG.error("{}", outcome.message(), e);
            }
            handle.waitingFor(null); // closes the last wait, if any, into the run's waited time
            summary = summarize(registered, runId, startedAt, outcome);
            ledger.finishRun(runId, outcome.state(), ledger.counts(name), summary.rows(), summary.bytes(), outcome.message(),
                    summary.waited());
            reports.write(summary);
            LOG.info("{}", summary);
        } finally {
            if (renewal != null) {
                renewal.cancel(false);
            }
            if (leased) {
                try {
                    ledger.releaseRunLease(name, lease);
                } catch (RuntimeException e) { // it runs out by itself
                    LOG.warn("Migration {}: cannot give back its run lease ({}); it runs out in {} s", name, Errors.oneLine(e), LEASE.toSeconds());
                }
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

    /**
     * Renews the run's lease in the background. A renewal the database refuses is retried; when none succeeded for
     * nearly the lease's life, or another hub took the lease over, the run stops at its next item boundary.
     */
    private ScheduledFuture<?> keepLease(String name, String lease, MigrationHandle handle) {
        java.util.concurrent.atomic.AtomicLong lastRenewed = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        return leaseKeeper.scheduleAtFixedRate(() -> {
            try {
                if (ledger.renewRunLease(name, lease, LEASE)) {
                    lastRenewed.set(System.nanoTime());
                } else {
                    LOG.error("Migration {}: another hub took over its run (this hub did not renew its lease in time); stopping here", name);
                    handle.requestStop();
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() - lastRenewed.get() > LEASE.minus(LEASE_RENEWAL).toNanos()) {
                    LOG.error("Migration {}: cannot renew its run lease in the ledger ({}); stopping before another hub takes it over",
                            name, Errors.oneLine(e));
                    handle.requestStop();
                } else {
                    LOG.warn("Migration {}: cannot renew its run lease ({}); trying again", name, Errors.oneLine(e));
                }
            }
        }, LEASE_RENEWAL.toMillis(), LEASE_RENEWAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the migration's run lease. A lease held by another hub is waited for as long as its holder does not renew
     * it (a hub killed during a run: taken over when the lease runs out); a renewal means a live hub runs it.
     */
    private void acquireRunLease(String name, String lease) {
        Optional<OffsetDateTime> seen = ledger.runLeaseExpiry(name);
        long giveUpAt = System.nanoTime() + LEASE.plusSeconds(5).toNanos();
        boolean told = false;
        while (!ledger.acquireRunLease(name, lease, LEASE)) {
            Optional<OffsetDateTime> now = ledger.runLeaseExpiry(name);
            if (seen.isPresent() && now.isPresent() && now.get().isAfter(seen.get()) || System.nanoTime() - giveUpAt > 0) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start migration " + name
                        + ": another hub on this ledger is running it (hub " + ledger.runLeaseHolder(name).orElse("?") + ")");
            }
            seen = seen.isPresent() ? seen : now;
            if (!told) {
                LOG.info("Migration {}: a run of it by hub {} holds its lease until {}; waiting (taken over if that hub is gone)",
                        name, ledger.runLeaseHolder(name).orElse("?"), now.map(Object::toString).orElse("?"));
                told = true;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start migration " + name + ": interrupted");
            }
        }
    }

    private Outcome copyAll(Registered registered, long runId) throws InterruptedException {
        Migration migration = registered.migration();
        String name = migration.name();
        boolean alreadyFinished = ensurePlan(registered);
        ledger.resetUnfinished(name, active.snapshot());
        dispatchUntilDone(registered, runId);
        ItemCounts counts = ledger.counts(name);
        if (registered.handle().isStopRequested() && !counts.allVerified()) {
            return new Outcome(RunState.STOPPED, "stopped by an operator; the next run resumes");
        }
        if (counts.allVerified()) {
            if (!alreadyFinished) {
                registered.capability().finish(migration);
                ledger.markPlanFinished(name);
            }
            return new Outcome(RunState.SUCCEEDED, null);
        }
        return new Outcome(RunState.FAILED, counts.unsuccessful() + " of " + counts.total() + " items not verified");
    }

    private Outcome checkAll(Registered registered, long runId) throws InterruptedException {
        Migration migration = registered.migration();
        MigrationHandle handle = registered.handle();
        handle.verifying(true);
        java.util.concurrent.ExecutorService checkers = java.util.concurrent.Executors.newFixedThreadPool(parallelism(migration),
                new org.springframework.scheduling.concurrent.CustomizableThreadFactory("hub-verify-"));
        long equal = 0;
        long rows = 0;
        long bytes = 0;
        List<Check> differing = new java.util.ArrayList<>();
        List<Check> unreadable = new java.util.ArrayList<>();
        try {
            int afterSeq = -1; // seq counts from 0
            while (!handle.isStopRequested()) {
                // reading every item again loads the source like a copy does: it keeps to pauses and windows too
                while (!mayTakeItems(registered) && !handle.isStopRequested()) {
                    handle.awaitProgress(500);
                }
                List<LedgerItem> page = ledger.itemsPage(migration.name(), ItemStatus.VERIFIED, afterSeq, 100);
                if (page.isEmpty() || handle.isStopRequested()) {
                    break;
                }
                afterSeq = ledger.seqOf(page.get(page.size() - 1).itemId());
                List<java.util.concurrent.Future<Check>> checks = checkers.invokeAll(page.stream()
                        .map(item -> (java.util.concurrent.Callable<Check>) () -> check(registered, item)).toList());
                for (java.util.concurrent.Future<Check> future : checks) {
                    Check check = future.get();
                    switch (check.result()) {
                        case EQUAL -> {
                            equal++;
                            rows += check.item().rowCount() == null ? 0 : check.item().rowCount();
                            bytes += check.item().byteCount() == null ? 0 : check.item().byteCount();
                        }
                        case DIFFERENT -> differing.add(check);
                        case UNREADABLE -> unreadable.add(check);
                    }
                }
                handle.signal();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot verify migration " + migration.describe() + ": "
                    + Errors.oneLine(e.getCause()), e.getCause());
        } finally {
            checkers.shutdownNow();
        }
        java.util.stream.Stream.concat(differing.stream(), unreadable.stream()).limit(MAX_FAILURES_LISTED)
                .forEach(check -> LOG.warn("{}", check.finding()));
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
        return new Outcome(state, message.toString(), rows, bytes);
    }

    private enum CheckResult { EQUAL, DIFFERENT, UNREADABLE }

    private record Check(LedgerItem item, CheckResult result, String finding) {
    }

    /**
     * Checks one item again. Equal sides stamp the check; different ones make the item FAILED with the finding. An item
     * that cannot be read now (a server down, a password changed) is left VERIFIED: it proved nothing either way.
     */
    private Check check(Registered registered, LedgerItem item) {
        Migration migration = registered.migration();
        ItemOutcome outcome;
        try {
            outcome = registered.capability().verify(migration, item);
        } catch (Exception e) {
            return new Check(item, CheckResult.UNREADABLE, "Cannot check " + item.key() + " of migration " + migration.describe()
                    + ": " + Errors.oneLine(e));
        }
        if (outcome.verified() && outcome.sourceChecksum().equals(item.sourceChecksum())) {
            ledger.recordCheck(item.itemId(), outcome, null);
            return new Check(item, CheckResult.EQUAL, null);
        }
        String finding = outcome.verified()
                ? item.key() + " of migration " + migration.describe() + " changed on the source since its copy (" + item.rowCount()
                        + " rows then, " + outcome.rows() + " now): the next run copies it again"
                : item.key() + " of migration " + migration.describe() + " differs between source and target (source checksum "
                        + outcome.sourceChecksum() + ", target " + outcome.targetChecksum() + ")";
        ledger.recordCheck(item.itemId(), new ItemOutcome(outcome.rows(), outcome.bytes(), outcome.sourceChecksum(), null), finding);
        return new Check(item, CheckResult.DIFFERENT, finding);
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
        int parallelism = parallelism(registered.migration());
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
            if (!handle.isStopRequested() && mayTakeItems(registered) && free > 0 && counts.get(ItemStatus.PENDING) > 0) {
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

    /**
     * Whether the run may take new items now: not while an operator paused it, nor outside its maintenance window.
     * Items being copied always finish: a pause happens at an item boundary.
     */
    private boolean mayTakeItems(Registered registered) {
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
            Optional<MaintenanceWindow> window = MigrationSchedules.window(registered.migration());
            ZonedDateTime now = ZonedDateTime.now(clock);
            if (window.isPresent() && !window.get().isOpen(now)) {
                waitingFor = "its maintenance window " + window.get() + " (opens " + window.get().nextOpening(now) + ")";
            }
        }
        if (!java.util.Objects.equals(waitingFor, handle.waitingFor())) {
            if (waitingFor != null) {
                LOG.info("Migration {} paused: it finishes the items being copied and waits for {}", registered.migration().name(), waitingFor);
            } else {
                LOG.info("Migration {} resumed", registered.migration().name());
            }
            handle.waitingFor(waitingFor);
        }
        return waitingFor == null;
    }

    /** Items of the migration in flight at once: its parallelism, at most this hub's workers. */
    private int parallelism(Migration migration) {
        int wanted;
        try {
            wanted = Math.max(1, Integer.parseInt(migration.parameter("parallelism", "4")));
        } catch (NumberFormatException e) {
            wanted = 4;
        }
        return Math.min(wanted, properties.getQueue().getWorkers());
    }

    private RunSummary summarize(Registered registered, long runId, OffsetDateTime startedAt, Outcome outcome) {
        Migration migration = registered.migration();
        RunState state = outcome.state();
        String message = outcome.message();
        ItemCounts counts = ledger.counts(migration.name());
        long[] volume = outcome.rows() >= 0 ? new long[] {outcome.rows(), outcome.bytes()} : ledger.runVolume(runId);
        List<String> failures = ledger.unsuccessfulItems(migration.name()).stream()
                .limit(MAX_FAILURES_LISTED)
                .map(item -> item.status() + " " + item.key() + ": " + item.lastError())
                .toList();
        return new RunSummary(migration.name(), migration.application(), migration.kind(), runId, state, startedAt,
                OffsetDateTime.now(), counts.total(), counts.get(ItemStatus.VERIFIED), counts.get(ItemStatus.FAILED),
                counts.get(ItemStatus.DEAD), volume[0], volume[1], counts.rows(), message, failures, registered.handle().waited());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

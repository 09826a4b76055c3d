package id.go.pdn.hub.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * This hub's place among the hubs sharing one ledger and one broker (table {@code hub_node}): a row renewed every
 * {@link #BEAT} with its worker threads. From the rows the others know that it is alive: a run counts the workers of
 * every live hub for its in-flight cap ({@link ItemDispatcher}), items claimed by a hub silent for {@link #ALIVE} are
 * freed, and a run whose hub went silent is taken over here ({@code triggered_by = takeover}) once its lease ran out
 * (by a serving hub: one that fires schedules). Only hubs with workers take part (the reading commands do not).
 */
@Component
@ConditionalOnProperty(name = "hub.workers.enabled", havingValue = "true", matchIfMissing = true)
class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
    /** How often this hub renews its row. */
    static final Duration BEAT = Duration.ofSeconds(3);
    /** A hub whose row was not renewed for this long is gone: its claims are freed, its run taken over. */
    static final Duration ALIVE = Duration.ofSeconds(15);
    /** Rows of hubs gone this long are deleted (what they did stays in hub_item and hub_run). */
    private static final Duration FORGET = Duration.ofDays(1);
    private static final int BEATS_PER_CLEANUP = 1200; // an hour

    private final Ledger ledger;
    private final MigrationRunner runner;
    private final MigrationRegistry registry;
    private final int workers;
    private final boolean takeOver;
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("hub-heartbeat-"));
    private int beats;
    private boolean toldFailing;

    NodeHeartbeat(Ledger ledger, MigrationRunner runner, MigrationRegistry registry, HubProperties properties) {
        this.ledger = ledger;
        this.runner = runner;
        this.registry = registry;
        this.workers = properties.getQueue().getWorkers();
        // a serving hub takes over; `run --once`, `cutover`, `plan` and `demo` run what they were asked to and end
        this.takeOver = properties.getSchedules().isEnabled();
        ledger.heartbeat(workers); // before any worker claims an item: its claims belong to a live hub from the start
        beat.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            ledger.heartbeat(workers);
            if (toldFailing) {
                LOG.info("Hub {}: its heartbeat reaches the ledger again", ledger.hubInstance());
                toldFailing = false;
            }
            if (takeOver) {
                takeOverAbandonedRuns();
            }
            if (++beats % BEATS_PER_CLEANUP == 0) {
                ledger.forgetNodes(FORGET);
            }
        } catch (RuntimeException e) {
            if (!toldFailing) {
                LOG.warn("Hub {}: cannot renew its heartbeat in the ledger ({}); after {} s the other hubs take back its items",
                        ledger.hubInstance(), Errors.oneLine(e), ALIVE.toSeconds());
                toldFailing = true;
            }
        }
    }

    /**
     * A migration loaded here whose latest run is still RUNNING although its hub went silent and its lease ran out: the
     * hub was killed mid-run. This hub takes the lease and finishes the run (another hub may win the race: then it runs it).
     */
    private void takeOverAbandonedRuns() {
        for (MigrationRegistry.Registered registered : registry.all()) {
            String name = registered.migration().name();
            if (registered.handle().isRunning()) {
                continue;
            }
            LedgerRun abandoned = ledger.abandonedRun(name, ALIVE).orElse(null);
            if (abandoned != null) {
                LOG.warn("Migration {}: run {} of hub {} is cut off (that hub has not been seen for {} s and its lease ran out); "
                        + "hub {} takes it over", name, abandoned.runId(), ledger.runBy(abandoned.runId()).orElse("?"),
                        ALIVE.toSeconds(), ledger.hubInstance());
                runner.startAsync(name, "takeover");
            }
        }
    }

    /** No more beats: the row goes stale by itself, so that other hubs free what this one might not have given back. */
    @jakarta.annotation.PreDestroy
    void stop() {
        beat.shutdownNow();
    }
}

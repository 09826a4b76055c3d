package id.go.pdn.hub.core;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import id.go.pdn.hub.core.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * A run's lease in the ledger: one run of a migration at a time across every hub on the ledger. Renewed on its own
 * thread while the run lasts, so that busy run threads never let it run out; a hub that died longer ago than
 * {@link #LEASE} loses its runs to the next hub that starts one.
 */
@Component
class RunLease {

    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    /** How long a run's lease lasts without renewal. */
    static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration RENEWAL = Duration.ofSeconds(5);

    private final Ledger ledger;
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("hub-lease-"));

    RunLease(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * Takes the migration's run lease. A lease held by another hub is waited for as long as its holder does not renew it
     * (a hub killed during a run: taken over when the lease runs out); a renewal means a live hub runs it: then
     * {@link HeldElsewhere} when that hub's heartbeat ({@code hub_node}) is fresh, else a plain refusal. The heartbeat
     * alone does not decide: it stays fresh for {@link NodeHeartbeat#ALIVE} after a kill -9, and a re-run started right
     * after the kill must wait for the lease rather than be refused.
     */
    void acquire(String name, String token) {
        Optional<OffsetDateTime> seen = ledger.runLeaseExpiry(name);
        long giveUpAt = System.nanoTime() + LEASE.plusSeconds(5).toNanos();
        boolean told = false;
        while (!ledger.acquireRunLease(name, token, LEASE)) {
            Optional<OffsetDateTime> now = ledger.runLeaseExpiry(name);
            if (seen.isPresent() && now.isPresent() && now.get().isAfter(seen.get()) || System.nanoTime() - giveUpAt > 0) {
                Optional<String> holder = ledger.runLeaseHolder(name);
                if (holder.isPresent() && ledger.isAlive(holder.get(), NodeHeartbeat.ALIVE)) {
                    throw new HeldElsewhere(name, holder.get());
                }
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

    /** A run of the migration goes on on another hub that is alive: this hub's workers take its items, it runs nothing. */
    static final class HeldElsewhere extends HubException {
        private final String holder;

        HeldElsewhere(String migration, String holder) {
            super(ErrorCode.CONFIGURATION, "Cannot start migration " + migration + ": another hub on this ledger is running it (hub "
                    + holder + ")");
            this.holder = holder;
        }

        String holder() {
            return holder;
        }
    }

    /**
     * Renews the lease in the background. A renewal the database refuses is retried; when none succeeded for nearly the
     * lease's life, or another hub took the lease over, the run stops at its next item boundary.
     */
    ScheduledFuture<?> keep(String name, String token, MigrationHandle handle) {
        AtomicLong lastRenewed = new AtomicLong(System.nanoTime());
        return keeper.scheduleAtFixedRate(() -> {
            try {
                if (ledger.renewRunLease(name, token, LEASE)) {
                    lastRenewed.set(System.nanoTime());
                } else {
                    LOG.error("Migration {}: another hub took over its run (this hub did not renew its lease in time); stopping here", name);
                    handle.requestStop();
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() - lastRenewed.get() > LEASE.minus(RENEWAL).toNanos()) {
                    LOG.error("Migration {}: cannot renew its run lease in the ledger ({}); stopping before another hub takes it over",
                            name, Errors.oneLine(e));
                    handle.requestStop();
                } else {
                    LOG.warn("Migration {}: cannot renew its run lease ({}); trying again", name, Errors.oneLine(e));
                }
            }
        }, RENEWAL.toMillis(), RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Gives the lease back; if the ledger cannot be reached it runs out by itself. */
    void release(String name, String token) {
        try {
            ledger.releaseRunLease(name, token);
        } catch (RuntimeException e) {
            LOG.warn("Migration {}: cannot give back its run lease ({}); it runs out in {} s", name, Errors.oneLine(e), LEASE.toSeconds());
        }
    }

    /** After every run stopped: no more renewals. */
    void shutdown() {
        keeper.shutdownNow();
    }
}

package id.go.pdn.hub.ops;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.jmx.HubMBean;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The hub's numbers as Micrometer gauges (Prometheus: {@code hub_migration_items{migration,application,kind,status}},
 * {@code hub_migration_rows}, {@code hub_migration_bytes}, {@code hub_migration_running}, and the hub-wide
 * {@code hub_queue_depth{queue}}, {@code hub_workers{state}}, {@code hub_migrations{state}}). Only a serving hub has
 * them. Migrations are loaded by their routes after the context starts, so they are picked up when the hub is
 * ready and again every few seconds (routes may be added later).
 */
@Component
@ConditionalOnExpression("${hub.serving:false} and ${hub.workers.enabled:true}")
public class HubMeters implements DisposableBean {

    /** A scrape reads the ledger at most this often per migration; the gauges of one migration share one read. */
    private static final long COUNTS_MAX_AGE_MILLIS = 1_000;
    private static final long DISCOVERY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HubMeters.class);

    private final MeterRegistry meters;
    private final MigrationRegistry registry;
    private final Ledger ledger;
    private final ScheduledExecutorService discovery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hub-meters");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> metered = ConcurrentHashMap.newKeySet();
    private final Map<String, CachedCounts> counts = new ConcurrentHashMap<>();

    private record CachedCounts(ItemCounts counts, long readAt) {
    }

    public HubMeters(MeterRegistry meters, MigrationRegistry registry, Ledger ledger, HubMBean hub) {
        this.meters = meters;
        this.registry = registry;
        this.ledger = ledger;
        Gauge.builder("hub.queue.depth", hub, HubMBean::getWorkQueueDepth).tag("queue", "work")
                .description("Messages in the work queue (-1: the broker cannot be asked)").register(meters);
        Gauge.builder("hub.queue.depth", hub, HubMBean::getDeadLetterQueueDepth).tag("queue", "dead-letter")
                .description("Messages in the dead-letter queue (-1: the broker cannot be asked)").register(meters);
        Gauge.builder("hub.workers", hub, HubMBean::getWorkersConfigured).tag("state", "configured")
                .description("Worker threads of this hub").register(meters);
        Gauge.builder("hub.workers", hub, HubMBean::getWorkersBusy).tag("state", "busy")
                .description("Workers copying an item now").register(meters);
        Gauge.builder("hub.migrations", hub, HubMBean::getMigrationsLoaded).tag("state", "loaded")
                .description("Migrations loaded from the routes").register(meters);
        Gauge.builder("hub.migrations", hub, HubMBean::getMigrationsRunning).tag("state", "running")
                .description("Migrations with a run going on").register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        discover();
        discovery.scheduleWithFixedDelay(this::discover, DISCOVERY_SECONDS, DISCOVERY_SECONDS, TimeUnit.SECONDS);
    }

    /** Adds the gauges of every loaded migration that has none yet. */
    public void discover() {
        try {
            registerNew();
        } catch (RuntimeException e) { // a failed look must not end the discovery
            LOG.warn("Cannot add the meters of new migrations: {}", e.getMessage());
        }
    }

    private void registerNew() {
        for (MigrationRegistry.Registered registered : registry.all()) {
            Migration migration = registered.migration();
            if (metered.add(migration.name())) {
                register(migration);
            }
        }
    }

    private void register(Migration migration) {
        String name = migration.name();
        Tags tags = Tags.of("migration", name, "application", migration.application(), "kind", migration.kind());
        gauge("hub.migration.items", tags.and("status", "total"), "Items in the plan", name, c -> c.total());
        gauge("hub.migration.items", tags.and("status", "verified"), "Items copied and verified", name, c -> c.get(ItemStatus.VERIFIED));
        gauge("hub.migration.items", tags.and("status", "failed"), "Items failed or dead-lettered", name, c -> c.unsuccessful());
        gauge("hub.migration.rows", tags, "Rows (files, messages) verified, all runs", name, c -> c.rows());
        gauge("hub.migration.bytes", tags, "Bytes verified, all runs", name, c -> c.bytes());
        Gauge.builder("hub.migration.running", registry,
                        r -> r.find(name).map(found -> found.handle().isRunning() ? 1.0 : 0.0).orElse(Double.NaN))
                .tags(tags).description("1 while a run of the migration is going on").register(meters);
    }

    private void gauge(String meter, Tags tags, String description, String migration, ToDoubleFunction<ItemCounts> value) {
        Gauge.builder(meter, this, self -> value.applyAsDouble(self.counts(migration))).tags(tags).description(description)
                .register(meters);
    }

    private ItemCounts counts(String migration) {
        long now = System.currentTimeMillis();
        CachedCounts cached = counts.get(migration);
        if (cached == null || now - cached.readAt() > COUNTS_MAX_AGE_MILLIS) {
            cached = new CachedCounts(ledger.counts(migration), now);
            counts.put(migration, cached);
        }
        return cached.counts();
    }

    @Override
    public void destroy() {
        discovery.shutdownNow();
    }
}

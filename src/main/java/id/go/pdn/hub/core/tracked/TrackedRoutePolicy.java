package id.go.pdn.hub.core.tracked;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.ledger.ItemStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code routePolicy: hubTracked}: makes an ordinary route a migration in the ledger. The route's {@code group} names
 * its application. Exchanges that come one after another form a run ({@code hub_run}, kind {@code tracked}): it opens
 * with the first exchange and closes with the exchange the consumer marks as the last of its batch
 * ({@code CamelBatchComplete}: file, FTP, SFTP, mail and SQL consumers do) or when the route stops. Each exchange that
 * took a key in {@code hubLedger} is an item: COPIED when it completed, VERIFIED only when the route set the header or
 * property {@code hubVerified=true} after its own check, FAILED when it failed, DEAD when the error handler
 * {@code hubTrackedDeadLetter} sent it to the dead-letter queue after its retries.
 */
public final class TrackedRoutePolicy extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(TrackedRoutePolicy.class);
    /** Exchange property: the ledger run the exchange belongs to. */
    static final String RUN_ID = "hubRunId";
    private static final String BATCH_DONE = "hubBatchDone";
    /** Exchange properties set by hubTrackedDeadLetter: where the exchange went, after how many retries. */
    static final String DEAD_LETTERED = "hubDeadLettered";
    static final String REDELIVERIES = "hubRedeliveries";

    private final TrackedLedger ledger;
    private final Map<String, Tracked> routes = new ConcurrentHashMap<>();

    TrackedRoutePolicy(TrackedLedger ledger) {
        this.ledger = ledger;
    }

    /** One tracked route's counters and open run. */
    final class Tracked implements TrackedMXBean {
        final String route;
        final String application;
        final AtomicLong copied = new AtomicLong(), verified = new AtomicLong(), failed = new AtomicLong(), dead = new AtomicLong(),
                skipped = new AtomicLong();
        volatile String state = "IDLE";
        volatile String lastError = "";
        volatile long lastRunId = -1;
        // the open run and its counts
        Long runId;
        int runTotal, runVerified, runCopied, runFailed, runSkipped;
        long runBytes;

        Tracked(String route, String application) {
            this.route = route;
            this.application = application;
        }

        @Override public String getRoute() { return route; }
        @Override public String getApplication() { return application; }
        @Override public String getState() { return state; }
        @Override public long getItemsCopied() { return copied.get(); }
        @Override public long getItemsVerified() { return verified.get(); }
        @Override public long getItemsFailed() { return failed.get(); }
        @Override public long getItemsDead() { return dead.get(); }
        @Override public long getItemsSkipped() { return skipped.get(); }
        @Override public long getLastRunId() { return lastRunId; }
        @Override public String getLastError() { return lastError; }

        synchronized long openRun() {
            if (runId == null) {
                runId = ledger.startRun(route, application, "route");
                lastRunId = runId;
                state = "RUNNING";
                runTotal = runVerified = runCopied = runFailed = runSkipped = 0;
                runBytes = 0;
            }
            return runId;
        }

        synchronized void closeRun() {
            if (runId == null) {
                return;
            }
            String outcome = runFailed == 0 ? "SUCCEEDED" : "FAILED";
            String message = route + " [" + application + "/tracked] run " + runId + " " + outcome + ": " + runTotal + " exchanges, "
                    + runVerified + " verified by the route, " + runCopied + " copied (not compared: the route did not set hubVerified), "
                    + runFailed + " failed or dead-lettered, " + runSkipped + " skipped as done in the ledger";
            ledger.finishRun(runId, outcome, runTotal, runVerified, runFailed, runBytes, message);
            LOG.info(message);
            state = outcome;
            runId = null;
        }
    }

    @Override
    public void onInit(Route route) {
        String application = route.getGroup();
        if (application == null || application.isBlank()) {
            throw new IllegalArgumentException("Cannot track route " + route.getRouteId() + " (routePolicy: hubTracked): it names no "
                    + "application; give the route a group, e.g. group: simpeg");
        }
        Tracked tracked = new Tracked(route.getRouteId(), application.strip());
        routes.put(route.getRouteId(), tracked);
        register(tracked);
    }

    @Override
    public void onStart(Route route) {
        Tracked tracked = routes.get(route.getRouteId());
        ledger.ensureMigration(tracked.route, tracked.application);
        ledger.closeAbandonedRuns(tracked.route);
    }

    @Override
    public void onStop(Route route) {
        Tracked tracked = routes.get(route.getRouteId());
        if (tracked != null) {
            tracked.closeRun();
        }
    }

    @Override
    public void onRemove(Route route) {
        Tracked tracked = routes.remove(route.getRouteId());
        if (tracked != null) {
            tracked.closeRun();
            unregister(tracked.route);
        }
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        Tracked tracked = routes.get(route.getRouteId());
        exchange.setProperty(RUN_ID, tracked.openRun());
        // read now: a step such as pollEnrich may later bring in another consumer's batch properties
        exchange.setProperty(BATCH_DONE, exchange.getProperty(Exchange.BATCH_COMPLETE, false, Boolean.class));
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Tracked tracked = routes.get(route.getRouteId());
        String key = exchange.getProperty(LedgerIdempotentRepository.ITEM_KEY, String.class);
        synchronized (tracked) {
            tracked.openRun();
            tracked.runTotal++;
            if (key == null) {
                if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
                    tracked.skipped.incrementAndGet();
                    tracked.runSkipped++;
                }
            } else {
                String error = error(exchange);
                String deadLetter = exchange.getProperty(DEAD_LETTERED, String.class);
                boolean deadLettered = deadLetter != null && error != null;
                int redeliveries = exchange.getProperty(REDELIVERIES) != null ? exchange.getProperty(REDELIVERIES, 0, Integer.class)
                        : exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
                Long bytes = size(exchange);
                if (error != null) {
                    ItemStatus status = deadLettered ? ItemStatus.DEAD : ItemStatus.FAILED;
                    String message = "Cannot process " + key + " of tracked route " + tracked.route + ": " + error
                            + (deadLettered ? " (after " + redeliveries + " retries; sent to " + deadLetter + ")" : "");
                    ledger.finish(tracked.route, key, status, message, bytes, redeliveries);
                    (deadLettered ? tracked.dead : tracked.failed).incrementAndGet();
                    tracked.runFailed++;
                    tracked.lastError = message;
                    LOG.warn(message);
                } else if (verified(exchange)) {
                    ledger.finish(tracked.route, key, ItemStatus.VERIFIED, null, bytes, redeliveries);
                    tracked.verified.incrementAndGet();
                    tracked.runVerified++;
                } else {
                    ledger.finish(tracked.route, key, ItemStatus.COPIED, null, bytes, redeliveries);
                    tracked.copied.incrementAndGet();
                    tracked.runCopied++;
                }
                if (bytes != null) {
                    tracked.runBytes += bytes;
                }
            }
            LOG.debug("{}: exchange {} done, key {}, error {}, batch done {}", tracked.route, exchange.getExchangeId(), key,
                    error(exchange), exchange.getProperty(BATCH_DONE));
            if (exchange.getProperty(BATCH_DONE, false, Boolean.class)) {
                tracked.closeRun();
            }
        }
    }

    /** The route's own word: header or property hubVerified=true, set after it compared source and target. */
    private static boolean verified(Exchange exchange) {
        Object value = exchange.getMessage().getHeader(TrackedRoutes.VERIFIED);
        if (value == null) {
            value = exchange.getProperty(TrackedRoutes.VERIFIED);
        }
        return value != null && Boolean.parseBoolean(value.toString());
    }

    private static Long size(Exchange exchange) {
        Object length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH);
        if (length instanceof Number n) {
            return n.longValue();
        }
        return null;
    }

    /** The exchange's error in one line, handled (dead-lettered) or not; null if it succeeded. */
    static String error(Exchange exchange) {
        Throwable e = exchange.getException();
        if (e == null) {
            e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return e == null ? null : Errors.oneLine(e);
    }

    private static void register(Tracked tracked) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = objectName(tracked.route);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name); // a context started again in the same JVM (tests)
            }
            server.registerMBean(tracked, name);
        } catch (javax.management.JMException e) {
            LOG.warn("Cannot register the MBean of tracked route {}: {}", tracked.route, e.getMessage());
        }
    }

    private static void unregister(String route) {
        try {
            ObjectName name = objectName(route);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (javax.management.JMException e) {
            LOG.debug("Cannot unregister the MBean of tracked route {}: {}", route, e.getMessage());
        }
    }

    static ObjectName objectName(String route) throws javax.management.MalformedObjectNameException {
        return new ObjectName("hub:type=tracked,name=" + (route.matches("[A-Za-z0-9._-]+") ? route : ObjectName.quote(route)));
    }
}

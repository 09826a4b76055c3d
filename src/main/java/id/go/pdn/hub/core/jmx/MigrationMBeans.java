package id.go.pdn.hub.core.jmx;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.Redaction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationHandle;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Registers one {@link MigrationMXBean} per loaded migration on the platform MBean server. */
@Component
public class MigrationMBeans implements MigrationRegistry.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationMBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Ledger ledger;
    private final ZoneId zone;

    private final MigrationRunner runner;

    public MigrationMBeans(Ledger ledger, HubProperties properties, MigrationRegistry registry, MigrationRunner runner) {
        this.ledger = ledger;
        this.zone = properties.getTimeZone();
        this.runner = runner;
        registry.addListener(this);
    }

    public static ObjectName objectName(Migration migration) {
        try {
            return new ObjectName("hub:type=migration,kind=" + ObjectName.quote(migration.kind()) + ",application="
                    + ObjectName.quote(migration.application()) + ",name=" + ObjectName.quote(migration.name()));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void loaded(Registered registered) {
        ObjectName name = objectName(registered.migration());
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(new Bean(registered, runner, ledger, zone), MigrationMXBean.class, true), name);
        } catch (JMException e) {
            LOG.warn("Cannot register the MBean {}: {}", name, e.getMessage());
        }
    }

    @Override
    public void unloaded(Registered registered) {
        Migration migration = registered.migration();
        try {
            ObjectName name = objectName(migration);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            LOG.debug("Cannot unregister the MBean of {}: {}", migration.name(), e.getMessage());
        }
    }

    private record Bean(Registered registered, MigrationRunner runner, Ledger ledger, ZoneId zone) implements MigrationMXBean {

        /** Times as operators read them: in the hub's time zone. */
        private String local(OffsetDateTime time) {
            return time.atZoneSameInstant(zone).toOffsetDateTime().toString();
        }

        private Migration migration() { return registered.migration(); }
        private MigrationHandle handle() { return registered.handle(); }
        private ItemCounts counts() { return ledger.counts(migration().name()); }

        @Override public String getName() { return migration().name(); }
        @Override public String getApplication() { return migration().application(); }
        @Override public String getKind() { return migration().kind(); }
        @Override public String getUnit() { return registered.capability().facts().unit(); }

        @Override
        public String getState() {
            if (handle().isRunning()) {
                if (handle().isStopRequested()) {
                    return "STOPPING";
                }
                if (handle().isVerifying()) {
                    return "VERIFYING";
                }
                String waitingFor = handle().waitingFor();
                if (waitingFor != null) {
                    return handle().isPauseRequested() ? "PAUSED" : "WAITING_FOR_WINDOW";
                }
                return "RUNNING";
            }
            if (ledger.isPaused(migration().name())) { // perhaps by an operator of another hub on this ledger
                return "PAUSED";
            }
            RunSummary last = handle().lastSummary();
            return last == null ? "IDLE" : last.state().name();
        }

        @Override
        public String getWaitingFor() {
            String waitingFor = handle().waitingFor();
            return waitingFor != null ? waitingFor : ledger.isPaused(migration().name()) ? "an operator's resume" : "";
        }

        @Override public String getSchedule() { return Objects.toString(migration().common().getCron(), ""); }
        @Override public String getWindow() { return Objects.toString(migration().common().getWindow(), ""); }

        @Override
        public String getNextRunAt() {
            return runner.nextRunAt(migration().name()).map(t -> t.toOffsetDateTime().toString()).orElse("");
        }

        private double perSecond(long amount) {
            OffsetDateTime started = handle().runStartedAt();
            if (started == null) {
                return 0;
            }
            long millis = Duration.between(started, OffsetDateTime.now()).minus(handle().waited()).toMillis();
            return millis <= 0 ? 0 : amount * 1000.0 / millis;
        }

        @Override
        public double getBytesPerSecond() {
            if (handle().isRunning()) {
                return perSecond(ledger.runVolume(handle().runId())[1]);
            }
            RunSummary last = handle().lastSummary();
            return last == null || last.active().toMillis() <= 0 ? 0 : last.bytes() * 1000.0 / last.active().toMillis();
        }

        @Override
        public double getItemsPerSecond() {
            return handle().isRunning() ? perSecond(ledger.runItemsVerified(handle().runId())) : 0;
        }

        @Override
        public long getEstimatedSecondsLeft() {
            if (!handle().isRunning() || handle().isVerifying()) {
                return -1;
            }
            double rate = getItemsPerSecond();
            ItemCounts counts = counts();
            int left = counts.total() - counts.get(ItemStatus.VERIFIED) - counts.unsuccessful();
            return rate <= 0 ? -1 : Math.round(left / rate);
        }

        @Override public int getItemsTotal() { return counts().total(); }
        @Override public int getItemsDone() { return counts().get(ItemStatus.VERIFIED); }
        @Override public int getItemsFailed() { return counts().unsuccessful(); }
        @Override public int getItemsSkipped() { return counts().get(ItemStatus.SKIPPED); }
        @Override public int getItemsDeletedAtSource() { return counts().get(ItemStatus.GONE); }
        @Override public int getItemsRemoved() { return counts().get(ItemStatus.REMOVED); }
        @Override public long getRows() { return counts().rows(); }

        @Override
        public String getEqualToSourceAsOf() {
            var freshness = ledger.freshness(migration().name());
            return freshness.items() == 0 || freshness.equalAsOf() == null ? "" : freshness.equalAsOfText(zone);
        }

        @Override public int getItemsComparedInLastRun() { return ledger.freshness(migration().name()).comparedInLatestRun(); }
        @Override public long getBytes() { return counts().bytes(); }

        @Override
        public double getRowsPerSecond() {
            if (handle().isRunning() && handle().runStartedAt() != null) {
                return perSecond(ledger.runVolume(handle().runId())[0]);
            }
            RunSummary last = handle().lastSummary();
            return last == null ? 0 : last.rowsPerSecond();
        }

        @Override
        public String getStartedAt() {
            OffsetDateTime started = handle().runStartedAt();
            return started == null ? "" : local(started);
        }

        @Override
        public String getFinishedAt() {
            RunSummary last = handle().lastSummary();
            return handle().isRunning() || last == null ? "" : local(last.finishedAt());
        }

        @Override
        public String getLastError() {
            var failed = ledger.lastError(migration().name());
            if (failed.isPresent()) {
                return Redaction.text(failed.get()); // an error may quote a URL or a driver message with a password
            }
            RunSummary last = handle().lastSummary();
            return last == null || last.message() == null ? "" : last.message();
        }

        @Override
        public String start() {
            return audited("start", () -> {
                if (handle().isRunning()) {
                    return "already running: run " + handle().runId();
                }
                runner.startAsync(migration().name(), "jmx");
                return "started";
            });
        }

        @Override
        public String stop() {
            return audited("stop", () -> {
                if (!handle().isRunning()) {
                    return "not running";
                }
                runner.stop(migration().name());
                return "stopping at the next item boundary";
            });
        }

        @Override
        public String retryFailed() {
            return audited("retryFailed", () -> runner.retryFailed(migration().name()) + " items put back in line");
        }

        @Override
        public String pause() {
            return audited("pause", () -> {
                runner.pause(migration().name());
                return handle().isRunning() ? "pausing: items being copied finish, no new ones start until resume"
                        : "paused: runs wait for resume";
            });
        }

        @Override
        public String resume() {
            return audited("resume", () -> {
                if (!ledger.isPaused(migration().name())) {
                    return "not paused";
                }
                runner.resume(migration().name());
                return "resumed";
            });
        }

        @Override
        public String verify() {
            return audited("verify", () -> {
                if (handle().isRunning()) {
                    return "not now: run " + handle().runId() + " is going on";
                }
                runner.verifyAsync(migration().name(), "jmx-verify");
                return "verifying in the background; State shows VERIFYING, then the result";
            });
        }

        /** Calls the operation and records it in the ledger's audit trail: who, from where, what came of it. */
        private String audited(String operation, java.util.function.Supplier<String> call) {
            return AuditTrail.record(ledger, Caller.current(), migration().name(), migration().application(), operation, call);
        }
    }
}

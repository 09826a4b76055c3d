package id.go.pdn.hub.core.jmx;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.queue.ActiveItems;
import id.go.pdn.hub.core.queue.DeadLetters;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Registers {@link HubMXBean} as {@code hub:type=hub} for the life of the hub's context; not in the tools' contexts
 * (status, dlq ...), which must not replace the MBean of a hub running in the same JVM.
 */
@Component
@ConditionalOnProperty(name = "hub.workers.enabled", havingValue = "true", matchIfMissing = true)
public class HubMBean implements HubMXBean, InitializingBean, DisposableBean {

    public static final String OBJECT_NAME = "hub:type=hub";
    /** An external broker's queue is browsed up to this many messages: a count must not walk a huge backlog. */
    static final int BROWSE_LIMIT = 10_000;
    /** A browsed count is reused this long: `hub status` refreshes every second, Prometheus scrapes on its own. */
    private static final long BROWSED_MAX_AGE_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(HubMBean.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MigrationRegistry registry;
    private final ActiveItems active;
    private final HubProperties properties;
    private final ObjectProvider<EmbeddedActiveMQ> embeddedBroker;
    private final ObjectProvider<ConnectionFactory> connectionFactory;
    private final String instanceId;
    private final String ledgerUrl;
    private final Ledger ledger;
    private final ObjectProvider<DeadLetters> deadLetters;
    private final OffsetDateTime startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, long[]> browsed = new ConcurrentHashMap<>(); // queue -> {count, read at}
    private ObjectName name;

    public HubMBean(MigrationRegistry registry, ActiveItems active, HubProperties properties, Environment environment,
                    ObjectProvider<EmbeddedActiveMQ> embeddedBroker, ObjectProvider<ConnectionFactory> connectionFactory,
                    Ledger ledger, ObjectProvider<DeadLetters> deadLetters) {
        this.registry = registry;
        this.active = active;
        this.properties = properties;
        this.embeddedBroker = embeddedBroker;
        this.connectionFactory = connectionFactory;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.instanceId = ledger.hubInstance(); // the id that run leases and claims in the ledger carry
        this.ledgerUrl = withoutCredentials(environment.getProperty("spring.datasource.url", ""));
    }

    @Override
    public void afterPropertiesSet() throws JMException {
        name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) { // a context of an earlier hub in this JVM (tests) that was not closed
            server.unregisterMBean(name);
        }
        server.registerMBean(new StandardMBean(this, HubMXBean.class, true), name);
    }

    @Override
    public void destroy() {
        try {
            if (name != null && server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            LOG.debug("Cannot unregister {}: {}", name, e.getMessage());
        }
    }

    /** A JDBC URL as it can be shown: user info ({@code //user:pw@host}) and user/password parameters removed. */
    static String withoutCredentials(String url) {
        return id.go.pdn.hub.core.Redaction.url(url);
    }

    @Override
    public long getWorkQueueDepth() {
        return depth(properties.getQueue().getWorkQueue());
    }

    @Override
    public long getDeadLetterQueueDepth() {
        return depth(properties.getQueue().getDeadLetterQueue());
    }

    @Override
    public String getQueueDepthSource() {
        if (embeddedServer() != null) {
            return "embedded broker";
        }
        return connectionFactory.getIfAvailable() == null ? "unavailable: no JMS connection factory"
                : "browsed (an external broker; counts stop at " + BROWSE_LIMIT + ")";
    }

    private ActiveMQServer embeddedServer() {
        EmbeddedActiveMQ embedded = embeddedBroker.getIfAvailable();
        return embedded == null ? null : embedded.getActiveMQServer();
    }

    private long depth(String queueName) {
        ActiveMQServer broker = embeddedServer();
        if (broker != null) {
            Queue queue = broker.locateQueue(SimpleString.of(queueName));
            return queue == null ? 0 : queue.getMessageCount();
        }
        long now = System.currentTimeMillis();
        long[] cached = browsed.get(queueName);
        if (cached != null && now - cached[1] < BROWSED_MAX_AGE_MILLIS) {
            return cached[0];
        }
        long count = browse(queueName);
        browsed.put(queueName, new long[] {count, now});
        return count;
    }

    private long browse(String queueName) {
        ConnectionFactory factory = connectionFactory.getIfAvailable();
        if (factory == null) {
            return -1;
        }
        try (Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queueName))) {
            connection.start();
            Enumeration<?> messages = browser.getEnumeration();
            long count = 0;
            while (count < BROWSE_LIMIT && messages.hasMoreElements()) {
                messages.nextElement();
                count++;
            }
            return count;
        } catch (JMSException e) {
            LOG.debug("Cannot count the queue {}: {}", queueName, e.getMessage());
            return -1;
        }
    }

    @Override
    public int getWorkersConfigured() {
        return properties.getQueue().getWorkers();
    }

    @Override
    public int getWorkersBusy() {
        return active.snapshot().size();
    }

    @Override
    public int getMigrationsLoaded() {
        return registry.all().size();
    }

    @Override
    public int getMigrationsRunning() {
        return (int) registry.all().stream().filter(r -> r.handle().isRunning()).count();
    }

    @Override
    public String getInstanceId() {
        return instanceId;
    }

    @Override
    public String getStartedAt() {
        return startedAt.atZoneSameInstant(properties.getTimeZone()).toOffsetDateTime().toString();
    }

    @Override
    public String getLedgerUrl() {
        return ledgerUrl;
    }

    @Override
    public String replayDeadLetters(String migration) {
        String only = migration == null || migration.isBlank() ? null : migration.strip();
        return AuditTrail.record(ledger, Caller.current(), only, only == null ? null : ledger.applicationOf(only).orElse(null),
                "replayDeadLetters", () -> deadLetters.getObject().replayExceptTracked(only,
                        ledger.migrationNamesOfKind(id.go.pdn.hub.core.tracked.TrackedRoutes.KIND)).text());
    }
}

package id.go.pdn.hub.core.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import javax.management.ObjectName;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.queue.ActiveItems;
import id.go.pdn.hub.support.TestHub;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The queue depths of hub:type=hub: exact from the embedded broker, browsed from an external one. */
class HubMBeanTest {

    @TempDir
    Path dir;

    @Test
    void deadLettersAreCountedOnTheEmbeddedBrokerAndThroughAnExternalConnection() throws Exception {
        int brokerPort = TestHub.freePort();
        try (TestHub hub = TestHub.builder(dir).property("hub.queue.embedded-port", String.valueOf(brokerPort)).start();
             ActiveMQConnectionFactory external = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort)) {
            try (Connection connection = external.createConnection();
                 Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageProducer producer = session.createProducer(session.createQueue("hub.DLQ"))) {
                for (int i = 0; i < 3; i++) {
                    producer.send(session.createTextMessage("dead " + i));
                }
            }
            ObjectName name = new ObjectName(HubMBean.OBJECT_NAME);
            var jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.getAttribute(name, "DeadLetterQueueDepth")).isEqualTo(3L);
            assertThat(jmx.getAttribute(name, "WorkQueueDepth")).isEqualTo(0L);
            assertThat(jmx.getAttribute(name, "QueueDepthSource")).isEqualTo("embedded broker");

            // a hub whose broker is elsewhere counts with a JMS browser
            HubMBean browsing = new HubMBean(hub.bean(MigrationRegistry.class), hub.bean(ActiveItems.class),
                    hub.bean(HubProperties.class), hub.environment(),
                    new DefaultListableBeanFactory().getBeanProvider(EmbeddedActiveMQ.class),
                    new StaticListableBeanFactory(Map.of("external", external)).getBeanProvider(ConnectionFactory.class),
                    hub.ledger(), new DefaultListableBeanFactory().getBeanProvider(id.go.pdn.hub.core.queue.DeadLetters.class));
            assertThat(browsing.getDeadLetterQueueDepth()).isEqualTo(3);
            assertThat(browsing.getWorkQueueDepth()).isZero();
            assertThat(browsing.getQueueDepthSource()).startsWith("browsed");
            assertThat(jmx.getAttribute(name, "DeadLetterQueueDepth")).as("browsing consumed nothing").isEqualTo(3L);
        }
    }

    @Test
    void theLedgerUrlIsShownWithoutCredentials() {
        assertThat(HubMBean.withoutCredentials("jdbc:postgresql://hub:s3cret@db.pdn.go.id:5432/ledger?user=hub&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.pdn.go.id:5432/ledger?user=***&password=***&ssl=true");
        assertThat(HubMBean.withoutCredentials("jdbc:h2:file:/srv/hub/ledger;AUTO_SERVER=TRUE;PASSWORD=x"))
                .isEqualTo("jdbc:h2:file:/srv/hub/ledger;AUTO_SERVER=TRUE;PASSWORD=***");
    }
}

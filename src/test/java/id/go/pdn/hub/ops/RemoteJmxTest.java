package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jconsole's way in: the RMI connector of a serving hub, one port, one user; an operator watches a run, pauses and
 * resumes it; wrong credentials are refused.
 */
class RemoteJmxTest {

    @TempDir
    Path dir;

    @Test
    void anOperatorReadsTheHubAndItsMigrationsOverRemoteJmx() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 100000)");
        }
        int port = TestHub.freePort();
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "1000", "parallelism", "2")))
                .serving(-1) // JMX alone: no management port
                .property("hub.jmx.remote.port", String.valueOf(port))
                .property("hub.jmx.remote.username", "operator")
                .property("hub.jmx.remote.password", "rahasia-" + port)
                .start()) {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");

            try (JMXConnector connector = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "rahasia-" + port}))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName hubName = new ObjectName("hub:type=hub");
                assertThat(jmx.getAttribute(hubName, "MigrationsLoaded")).isEqualTo(1);
                assertThat(jmx.getAttribute(hubName, "MigrationsRunning")).isEqualTo(0);
                assertThat(jmx.getAttribute(hubName, "WorkersConfigured")).isEqualTo(8);
                assertThat(jmx.getAttribute(hubName, "WorkersBusy")).isEqualTo(0);
                assertThat(jmx.getAttribute(hubName, "WorkQueueDepth")).isEqualTo(0L);
                assertThat(jmx.getAttribute(hubName, "DeadLetterQueueDepth")).isEqualTo(0L);
                assertThat((String) jmx.getAttribute(hubName, "LedgerUrl")).startsWith("jdbc:h2:file:").doesNotContain("sa");

                Set<ObjectName> migrations = jmx.queryNames(new ObjectName("hub:type=migration,*"), null);
                assertThat(migrations).hasSize(1);
                ObjectName migration = migrations.iterator().next();
                assertThat(migration.getKeyProperty("name")).isEqualTo("\"izin-db\"");

                // during a run: its attributes move; pause holds it at an item boundary, resume lets it finish
                assertThat(jmx.invoke(migration, "start", null, null)).isEqualTo("started");
                await().atMost(Duration.ofSeconds(30)).until(() -> (Integer) jmx.getAttribute(migration, "ItemsDone") >= 2);
                assertThat(jmx.getAttribute(migration, "State")).isEqualTo("RUNNING");
                assertThat(jmx.getAttribute(hubName, "MigrationsRunning")).isEqualTo(1);
                assertThat((Double) jmx.getAttribute(migration, "RowsPerSecond")).isPositive();
                assertThat((String) jmx.invoke(migration, "pause", null, null)).startsWith("pausing");
                await().atMost(Duration.ofSeconds(20)).until(() -> "PAUSED".equals(jmx.getAttribute(migration, "State"))
                        && (Integer) jmx.getAttribute(hubName, "WorkersBusy") == 0);
                int done = (Integer) jmx.getAttribute(migration, "ItemsDone");
                assertThat(done).isLessThan(100);
                assertThat(jmx.invoke(migration, "resume", null, null)).isEqualTo("resumed");
                await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(migration, "State")));
                assertThat(jmx.getAttribute(migration, "ItemsDone")).isEqualTo(100);
                assertThat(jmx.getAttribute(migration, "Rows")).isEqualTo(100000L);
                assertThat(jmx.getAttribute(hubName, "MigrationsRunning")).isEqualTo(0);
                // read-write: the operator may invoke operations
                assertThat(jmx.invoke(migration, "stop", null, null)).isEqualTo("not running");
            }

            assertThatThrownBy(() -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "salah"})).close())
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url).close())
                    .isInstanceOf(SecurityException.class);
        }
    }

    @Test
    void remoteJmxWithoutCredentialsDoesNotStart() {
        int port = TestHub.freePort();
        assertThatThrownBy(() -> TestHub.builder(dir).serving(-1).property("hub.jmx.remote.port", String.valueOf(port)).start().close())
                .hasStackTraceContaining("Cannot open remote JMX on 127.0.0.1:" + port + ": it needs credentials");
    }
}

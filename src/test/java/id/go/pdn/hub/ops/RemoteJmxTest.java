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
                .property("hub.management.users.watcher.role", "viewer")
                .property("hub.management.users.watcher.password", "lihat-" + port)
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
                // the operator may invoke the hub's operations, and nothing else
                assertThat(jmx.invoke(migration, "stop", null, null)).isEqualTo("not running");
                ObjectName camel = jmx.queryNames(new ObjectName("org.apache.camel:type=context,*"), null).iterator().next();
                assertThatThrownBy(() -> jmx.invoke(camel, "requestStringBody", new Object[] {"language:simple:${env:PATH}", "x"},
                        new String[] {String.class.getName(), String.class.getName()})).isInstanceOf(SecurityException.class);
                assertThatThrownBy(() -> jmx.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                        new Object[] {dir.resolve("heap.hprof").toString(), true}, new String[] {String.class.getName(), "boolean"}))
                        .isInstanceOf(SecurityException.class);
                assertThatThrownBy(() -> jmx.setAttribute(new ObjectName("java.lang:type=Memory"),
                        new javax.management.Attribute("Verbose", true))).isInstanceOf(SecurityException.class);
                assertThatThrownBy(() -> jmx.getAttribute(new ObjectName("java.lang:type=Runtime"), "InputArguments"))
                        .isInstanceOf(SecurityException.class);
                assertThatThrownBy(() -> jmx.unregisterMBean(hubName)).isInstanceOf(SecurityException.class);
                assertThat(jmx.queryNames(new ObjectName("com.sun.management:*"), null)).isEmpty();
                assertThat(jmx.getDomains()).contains("hub", "java.lang").doesNotContain("com.sun.management");
            }

            // a viewer reads, and calls no operation; the audit trail names the operator and the address
            try (JMXConnector connector = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"watcher", "lihat-" + port}))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName migration = jmx.queryNames(new ObjectName("hub:type=migration,*"), null).iterator().next();
                assertThat(jmx.getAttribute(migration, "State")).isEqualTo("SUCCEEDED");
                assertThatThrownBy(() -> jmx.invoke(migration, "pause", null, null)).isInstanceOf(SecurityException.class);
            }
            assertThat(hub.ledger().auditTrail("sicantik", 10)).anySatisfy(e -> {
                assertThat(e.operation()).isEqualTo("pause");
                assertThat(e.who()).isEqualTo("operator");
                assertThat(e.channel()).isEqualTo("jmx");
                assertThat(e.address()).isEqualTo("127.0.0.1");
            }).noneSatisfy(e -> assertThat(e.who()).isEqualTo("watcher"));

            assertThatThrownBy(() -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "salah"})).close())
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url).close())
                    .isInstanceOf(SecurityException.class);
        }
    }

    @Test
    void beyondTheLoopbackRemoteJmxNeedsTls() {
        int port = TestHub.freePort();
        assertThatThrownBy(() -> TestHub.builder(dir).serving(-1).property("hub.jmx.remote.port", String.valueOf(port))
                .property("hub.jmx.remote.host", "0.0.0.0").start().close())
                .hasStackTraceContaining("Cannot open remote JMX on 0.0.0.0:" + port + " without TLS: set hub.jmx.remote.ssl-bundle");
    }

    @Test
    void overTlsTheRegistryAndTheConnectorSpeakTlsOnly() throws Exception {
        Path keystore = TestCertificates.selfSigned(dir);
        int port = TestHub.freePort();
        try (TestHub hub = TestHub.builder(dir).serving(-1)
                .property("hub.jmx.remote.port", String.valueOf(port))
                .property("hub.jmx.remote.ssl-bundle", "hub")
                .property("spring.ssl.bundle.jks.hub.keystore.location", "file:" + keystore)
                .property("spring.ssl.bundle.jks.hub.keystore.password", TestCertificates.PASSWORD)
                .property("spring.ssl.bundle.jks.hub.keystore.type", "PKCS12")
                .start()) {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            String password = java.nio.file.Files.readString(ManagementUsers.generatedFile(dir, ManagementRole.VIEWER)).strip();
            Map<String, Object> credentials = Map.of(JMXConnector.CREDENTIALS, new String[] {"viewer", password});
            // a plain client gets nowhere
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url, credentials).close()).isInstanceOf(java.io.IOException.class);
            // a TLS client that trusts the hub's certificate (as jconsole with -J-Djavax.net.ssl.trustStore=...)
            javax.net.ssl.SSLContext before = javax.net.ssl.SSLContext.getDefault();
            javax.net.ssl.SSLContext.setDefault(TestCertificates.trusting(keystore));
            try {
                Map<String, Object> tls = new java.util.HashMap<>(credentials);
                tls.put("com.sun.jndi.rmi.factory.socket", new javax.rmi.ssl.SslRMIClientSocketFactory());
                try (JMXConnector connector = JMXConnectorFactory.connect(url, tls)) {
                    assertThat(connector.getMBeanServerConnection().getAttribute(new ObjectName("hub:type=hub"), "WorkersConfigured"))
                            .isEqualTo(8);
                }
            } finally {
                javax.net.ssl.SSLContext.setDefault(before);
            }
        }
    }
}

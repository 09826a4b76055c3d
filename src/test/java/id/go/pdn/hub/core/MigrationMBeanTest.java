package id.go.pdn.hub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator drives a migration through its MBean: start, watch the attributes, retry failed items. */
class MigrationMBeanTest {

    @TempDir
    Path dir;

    @Test
    void startFromJmxRunsTheMigrationAndTheAttributesFollowIt() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 2500)");
        }
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "1000")))
                .start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("hub:type=migration,kind=\"db\",application=\"sicantik\",name=\"izin-db\"");
            assertThat(jmx.getAttribute(name, "State")).isEqualTo("IDLE");
            assertThat(jmx.getAttribute(name, "StartedAt")).isEqualTo("");

            assertThat(jmx.invoke(name, "start", null, null)).isEqualTo("started");
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(name, "State")));

            assertThat(jmx.getAttribute(name, "ItemsTotal")).isEqualTo(3);
            assertThat(jmx.getAttribute(name, "ItemsDone")).isEqualTo(3);
            assertThat(jmx.getAttribute(name, "ItemsFailed")).isEqualTo(0);
            assertThat(jmx.getAttribute(name, "Rows")).isEqualTo(2500L);
            assertThat((Double) jmx.getAttribute(name, "RowsPerSecond")).isPositive();
            assertThat((String) jmx.getAttribute(name, "FinishedAt")).isNotEmpty();
            assertThat(jmx.getAttribute(name, "LastError")).isEqualTo("");
            assertThat(jmx.getAttribute(name, "ItemsComparedInLastRun")).as("copied, so compared, by this run").isEqualTo(3);
            assertThat((String) jmx.getAttribute(name, "EqualToSourceAsOf")).as("hub time zone").endsWith("+07:00");
            assertThat(jmx.invoke(name, "stop", null, null)).isEqualTo("not running");
            assertThat(jmx.invoke(name, "retryFailed", null, null)).isEqualTo("0 items put back in line");
            assertThat(hub.ledger().lastRun("izin-db").orElseThrow().triggeredBy()).isIn("jmx", "retry-failed");
            await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(jmx.getAttribute(name, "State")));

            // verify: every item checked again, source against target
            assertThat((String) jmx.invoke(name, "verify", null, null)).startsWith("verifying");
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.ledger().lastRun("izin-db").orElseThrow().triggeredBy().equals("jmx-verify")
                    && "SUCCEEDED".equals(jmx.getAttribute(name, "State")));
            assertThat(hub.ledger().lastRun("izin-db").orElseThrow().message()).isEqualTo("checked again: 3 items equal on source and target");
            assertThat(jmx.getAttribute(name, "ItemsComparedInLastRun")).as("the verify compared every item again").isEqualTo(3);

            // someone changes the target: verify finds it, the item is FAILED, retry copies it again
            try (Connection target = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("dst"), "sa", "")) {
                TestDatabases.execute(target, "DELETE FROM izin WHERE id = 1500");
            }
            jmx.invoke(name, "verify", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(jmx.getAttribute(name, "State")));
            assertThat(jmx.getAttribute(name, "ItemsFailed")).isEqualTo(1);
            assertThat((String) jmx.getAttribute(name, "LastError")).contains("izin", "differs between source and target");
            assertThat(jmx.invoke(name, "retryFailed", null, null)).isEqualTo("1 items put back in line");
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(name, "State"))
                    && hub.ledger().counts("izin-db").allVerified());
            try (Connection target = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("dst"), "sa", "")) {
                assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM izin")).isEqualTo(2500);
            }
        }
    }

    @Test
    void pauseStopsTakingItemsAtAnItemBoundaryAndResumeGoesOn() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 200000)");
        }
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "1000", "parallelism", "2")))
                .start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("hub:type=migration,kind=\"db\",application=\"sicantik\",name=\"izin-db\"");
            jmx.invoke(name, "start", null, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> (Integer) jmx.getAttribute(name, "ItemsDone") >= 2);
            assertThat(jmx.getAttribute(name, "State")).isEqualTo("RUNNING");
            assertThat((Double) jmx.getAttribute(name, "ItemsPerSecond")).isPositive();
            assertThat((Long) jmx.getAttribute(name, "EstimatedSecondsLeft")).isGreaterThanOrEqualTo(0L);

            assertThat((String) jmx.invoke(name, "pause", null, null)).startsWith("pausing");
            await().atMost(Duration.ofSeconds(20)).until(() -> "PAUSED".equals(jmx.getAttribute(name, "State"))
                    && hub.ledger().activeCounts("izin-db").inFlight() == 0);
            int done = (Integer) jmx.getAttribute(name, "ItemsDone");
            assertThat(done).isLessThan(200);
            assertThat((String) jmx.getAttribute(name, "WaitingFor")).contains("resume");
            Thread.sleep(1500); // paused: nothing new is taken
            assertThat(jmx.getAttribute(name, "ItemsDone")).isEqualTo(done);

            assertThat(jmx.invoke(name, "resume", null, null)).isEqualTo("resumed");
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(name, "State")));
            assertThat(jmx.getAttribute(name, "Rows")).isEqualTo(200000L);
            assertThat(hub.ledger().runs("sicantik")).hasSize(1);
        }
    }

    @Test
    void aPauseHoldsOnEveryHubOfTheLedgerAndAcrossRestarts() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 2500)");
        }
        TestHub.Builder hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "1000")));
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("hub:type=migration,kind=\"db\",application=\"sicantik\",name=\"izin-db\"");
        try (TestHub first = hub.start()) {
            assertThat((String) jmx.invoke(name, "pause", null, null)).startsWith("paused");
            assertThat(jmx.getAttribute(name, "State")).isEqualTo("PAUSED");
        }
        try (TestHub second = hub.start()) { // another hub (or the same one restarted) on this ledger
            assertThat(jmx.getAttribute(name, "State")).isEqualTo("PAUSED");
            jmx.invoke(name, "start", null, null);
            await().atMost(Duration.ofSeconds(20)).until(() -> second.ledger().lastRun("izin-db").isPresent()
                    && "PAUSED".equals(jmx.getAttribute(name, "State")) && second.ledger().counts("izin-db").total() == 3);
            Thread.sleep(1000);
            assertThat(second.ledger().counts("izin-db").get(ItemStatus.VERIFIED)).as("nothing copied while paused").isZero();
            assertThat(jmx.invoke(name, "resume", null, null)).isEqualTo("resumed");
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(name, "State")));
            assertThat(jmx.getAttribute(name, "Rows")).isEqualTo(2500L);
        }
    }
}

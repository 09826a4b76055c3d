package id.go.pdn.hub.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerRun;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.MovableClock;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crons fire, runs never overlap, maintenance windows pause and resume at item boundaries, missed fires follow policy. */
class ScheduleTest {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    private String source(int rows) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE surat (id BIGINT PRIMARY KEY, perihal VARCHAR(80))",
                    "INSERT INTO surat SELECT X, 'Perihal ' || X FROM SYSTEM_RANGE(1, " + rows + ")");
        }
        return url;
    }

    private TestHub.Builder hub(String source, String route) throws Exception {
        return TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("surat.yaml", route);
    }

    private static ObjectName mbean(String migration) throws Exception {
        return new ObjectName("hub:type=migration,kind=\"db\",application=\"persuratan\",name=\"" + migration + "\"");
    }

    @Test
    void aCronFiresTheMigrationAndItsRunsNeverOverlap() throws Exception {
        String source = source(3000);
        try (TestHub hub = hub(source, TestHub.dbRoute("surat-db", "persuratan", "local", "pdn",
                Map.of("chunkSize", "1000", "cron", "* * * * * *"))).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.ledger().runs("persuratan").stream()
                    .filter(r -> r.finishedAt() != null && r.triggeredBy().startsWith("cron ")).count() >= 3);
            assertThat(hub.ledger().counts("surat-db").allVerified()).isTrue();
            assertThat(jmx.getAttribute(mbean("surat-db"), "Schedule")).isEqualTo("* * * * * *");
            assertThat((String) jmx.getAttribute(mbean("surat-db"), "NextRunAt")).contains("+07:00");
        }
        try (TestHub reopened = TestHub.builder(dir).property("hub.schedules.enabled", "false").start()) {
            List<LedgerRun> runs = reopened.ledger().runs("persuratan");
            assertThat(runs).allSatisfy(r -> assertThat(r.state()).isIn(RunState.SUCCEEDED, RunState.STOPPED));
            for (int i = 1; i < runs.size(); i++) { // one at a time: each run starts after the one before it ended
                assertThat(runs.get(i).startedAt()).isAfterOrEqualTo(runs.get(i - 1).finishedAt());
            }
            assertThat(runs.stream().map(LedgerRun::triggeredBy).distinct().count()).as("one run per fire").isEqualTo(runs.size());
        }
    }

    @Test
    void outsideItsWindowARunWaitsAndMovesOnWhenTheWindowOpens() throws Exception {
        String source = source(2000);
        MovableClock clock = new MovableClock(ZonedDateTime.of(2026, 11, 23, 12, 0, 0, 0, JAKARTA));
        try (TestHub hub = hub(source, TestHub.dbRoute("surat-db", "persuratan", "local", "pdn",
                Map.of("chunkSize", "500", "window", "22:00-05:00"))).bean("hubClock", clock).start()) {
            hub.bean(MigrationRunner.class).startAsync("surat-db", "test");
            await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING_FOR_WINDOW".equals(jmx.getAttribute(mbean("surat-db"), "State")));
            assertThat((String) jmx.getAttribute(mbean("surat-db"), "WaitingFor")).contains("22:00-05:00", "2026-11-23T22:00+07:00");
            assertThat(hub.ledger().counts("surat-db").total()).isEqualTo(4); // planned, nothing copied
            assertThat(hub.ledger().counts("surat-db").get(ItemStatus.VERIFIED)).isZero();

            clock.set(ZonedDateTime.of(2026, 11, 23, 22, 0, 0, 0, JAKARTA));
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(mbean("surat-db"), "State")));
            assertThat(hub.ledger().counts("surat-db").rows()).isEqualTo(2000);
        }
    }

    @Test
    void whenTheWindowClosesTheRunFinishesItsItemsTakesNoNewOnesAndResumesInTheNextWindow() throws Exception {
        String source = source(200_000);
        MovableClock clock = new MovableClock(ZonedDateTime.of(2026, 11, 23, 23, 0, 0, 0, JAKARTA));
        try (TestHub hub = hub(source, TestHub.dbRoute("surat-db", "persuratan", "local", "pdn",
                Map.of("chunkSize", "1000", "parallelism", "1", "window", "22:00-05:00"))).bean("hubClock", clock).start()) {
            hub.bean(MigrationRunner.class).startAsync("surat-db", "test");
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.ledger().counts("surat-db").get(ItemStatus.VERIFIED) >= 2);

            clock.set(ZonedDateTime.of(2026, 11, 24, 5, 0, 0, 0, JAKARTA)); // the window closes
            await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING_FOR_WINDOW".equals(jmx.getAttribute(mbean("surat-db"), "State"))
                    && hub.ledger().activeCounts("surat-db").inFlight() == 0);
            int verified = hub.ledger().counts("surat-db").get(ItemStatus.VERIFIED);
            assertThat(verified).isLessThan(200);
            Thread.sleep(1500); // the run is still on, and takes nothing new
            assertThat(hub.ledger().counts("surat-db").get(ItemStatus.VERIFIED)).isEqualTo(verified);
            assertThat(hub.ledger().lastRun("surat-db").orElseThrow().state()).isEqualTo(RunState.RUNNING);

            clock.set(ZonedDateTime.of(2026, 11, 24, 22, 0, 0, 0, JAKARTA)); // the next night
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(jmx.getAttribute(mbean("surat-db"), "State")));
            assertThat(hub.ledger().counts("surat-db").rows()).isEqualTo(200_000);
            assertThat(hub.ledger().runs("persuratan")).singleElement().satisfies(run -> {
                assertThat(run.waitedSeconds()).as("the night it waited for").isGreaterThanOrEqualTo(1);
                assertThat(run.active()).as("rates leave the wait out").isLessThan(run.elapsed());
            });
        }
    }

    @Test
    void aFireMissedWhileTheHubWasDownRunsOnceAtStartUpOrIsSkippedByPolicy() throws Exception {
        String source = source(1000);
        String cron = "0 0 22 1 1 ? 2099";
        String routes = TestHub.dbRoute("surat-db", "persuratan", "local", "pdn", Map.of("cron", cron, "misfire", "run-once"))
                + TestHub.dbRoute("arsip-db", "persuratan", "local", "pdn", Map.of("cron", cron, "misfire", "skip"));
        // the hub stores the schedules, and is down ...
        try (TestHub down = hub(source, routes).start()) {
            assertThat((String) jmx.getAttribute(mbean("surat-db"), "NextRunAt")).startsWith("2099-01-01T22:00+07:00");
        }
        // ... when they were due (the stored next fire time moves to the past: the fake clock of Quartz's job store)
        try (Connection ledger = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE", "sa",
                java.nio.file.Files.readString(dir.resolve("ledger/ledger.password")).strip())) {
            TestDatabases.execute(ledger, "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = " + (System.currentTimeMillis() - 120_000));
        }
        try (TestHub up = hub(source, routes).property("spring.quartz.properties.org.quartz.jobStore.misfireThreshold", "1000").start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> up.ledger().lastRun("surat-db").map(r -> r.finishedAt() != null).orElse(false));
            Thread.sleep(2000); // time enough for a wrong second run, or for the skipped one
            assertThat(up.ledger().runs("persuratan")).singleElement().satisfies(r -> {
                assertThat(r.migration()).isEqualTo("surat-db");
                assertThat(r.triggeredBy()).startsWith("cron ");
                assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            });
            // the skipped one waits for its next fire
            assertThat((String) jmx.getAttribute(mbean("arsip-db"), "NextRunAt")).startsWith("2099-01-01T22:00+07:00");
        }
    }
}

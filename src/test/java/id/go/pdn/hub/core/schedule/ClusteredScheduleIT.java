package id.go.pdn.hub.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.ledger.LedgerRun;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two hubs on one PostgreSQL ledger, one nightly migration: each fire of its cron runs it once, on one hub. */
class ClusteredScheduleIT {

    @TempDir
    Path dir;

    private final String ledgerDb = TestDatabases.uniqueName("hub_cluster_ledger");
    private final String sourceDb = TestDatabases.uniqueName("hub_cluster_src");
    private final String targetDb = TestDatabases.uniqueName("hub_cluster_dst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createPostgres(ledgerDb);
        TestDatabases.createPostgres(sourceDb);
        TestDatabases.createPostgres(targetDb);
        try (Connection c = TestDatabases.postgres(sourceDb)) {
            TestDatabases.execute(c, "CREATE TABLE penduduk (nik BIGINT PRIMARY KEY, nama TEXT)",
                    "INSERT INTO penduduk SELECT g, 'Warga ' || g FROM generate_series(1, 5000) g");
        }
    }

    @AfterEach
    void dropDatabases() throws Exception {
        for (String db : List.of(ledgerDb, sourceDb, targetDb)) {
            TestDatabases.dropPostgres(db);
        }
    }

    private TestHub hub(String name) throws Exception {
        return TestHub.builder(dir.resolve(name))
                .property("hub.ledger.url", TestDatabases.postgresUrl(ledgerDb))
                .property("hub.ledger.username", "postgres")
                .property("spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval", "1000")
                .datasource("local", TestDatabases.postgresUrl(sourceDb), "postgres")
                .datasource("pdn", TestDatabases.postgresUrl(targetDb), "postgres")
                .route("penduduk.yaml", TestHub.dbRoute("penduduk-db", "sidukcapil", "local", "pdn",
                        Map.of("chunkSize", "1000", "cron", "*/2 * * * * *")))
                .start();
    }

    @Test
    void everyFireRunsTheMigrationOnceOnOneHub() throws Exception {
        try (TestHub first = hub("hub-a"); TestHub second = hub("hub-b")) {
            try (Connection ledger = TestDatabases.postgres(ledgerDb)) {
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        TestDatabases.count(ledger, "SELECT COUNT(*) FROM qrtz_scheduler_state") == 2); // both hubs in the cluster
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> first.ledger().runs("sidukcapil").stream()
                    .filter(r -> r.finishedAt() != null).count() >= 5);
            long fires = first.bean(MigrationSchedules.class).firesTaken() + second.bean(MigrationSchedules.class).firesTaken();

            List<LedgerRun> runs = first.ledger().runs("sidukcapil");
            assertThat(runs).allSatisfy(r -> assertThat(r.triggeredBy()).startsWith("cron "));
            assertThat(runs.stream().map(LedgerRun::triggeredBy).distinct().count()).as("one run per fire time").isEqualTo(runs.size());
            // every run came from a fire one of the hubs took; a fire taken while a run still went on (a busy machine makes
            // runs outlast the 2 s cron) is skipped, so there may be more fires than runs, never fewer
            assertThat(fires).isGreaterThanOrEqualTo(runs.size());
            assertThat(runs.get(0).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(first.ledger().counts("penduduk-db").rows()).isEqualTo(5000);
        }
        try (Connection target = TestDatabases.postgres(targetDb)) {
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM penduduk")).isEqualTo(5000);
        }
    }
}

package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static id.go.pdn.hub.support.HubProcess.jar;
import static id.go.pdn.hub.support.HubProcess.javaBin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kill -9` of the hub in the middle of a sync run (mode sync, the default), then `hub run --once` again: every changed
 * chunk replaced its range in one transaction, so the re-run finds each chunk either replaced or not; the target ends
 * equal to the source, no row lost or doubled. Runs the packaged jar, the ledger on PostgreSQL.
 */
class DbSyncCrashIT {

    private static final int ROWS = 200_000;

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_synck_src");
    String target = TestDatabases.uniqueName("hub_synck_dst");
    String ledger = TestDatabases.uniqueName("hub_synck_led");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        TestDatabases.createPostgres(ledger);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "CREATE TABLE synck_transaksi (id BIGINT PRIMARY KEY AUTO_INCREMENT, akun INT NOT NULL, jumlah DECIMAL(14,2), "
                    + "ket VARCHAR(80)) DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO synck_transaksi SELECT seq, seq % 977, seq * 1.5, CONCAT('transaksi ke-', seq) FROM seq_1_to_" + ROWS);
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
        TestDatabases.dropPostgres(ledger);
    }

    @Test
    void aSyncRunKilledHalfwayEndsEqualAfterTheNextRun() throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                hub:
                  data-dir: %s
                  queue:
                    embedded-port: 0
                  ledger:
                    url: %s
                    username: postgres
                  datasources:
                    local:
                      url: %s
                      username: root
                    pdn:
                      url: %s
                      username: postgres
                """.formatted(dir.resolve("data"), TestDatabases.postgresUrl(ledger), TestDatabases.mariaDbUrl(source),
                TestDatabases.postgresUrl(target)));
        Path route = dir.resolve("transaksi.yaml");
        Files.writeString(route, """
                - route:
                    id: synck-db
                    from:
                      uri: migration:db
                      parameters:
                        application: keuangan
                        source: local
                        target: pdn
                        tables: "synck_*"
                        chunkSize: 5000
                        parallelism: 1
                      steps:
                        - log: "${body}"
                """);
        List<String> command = List.of(javaBin(), "-Xmx256m", "-jar", jar(), "--config", config.toString(), "run", "--once", route.toString());

        Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        assertThat(first.waitFor(6, TimeUnit.MINUTES)).isTrue();
        assertThat(first.exitValue()).as(Files.readString(dir.resolve("first.log"))).isZero();

        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "UPDATE synck_transaksi SET jumlah = jumlah + 1 WHERE id % 97 = 0", // every chunk changes
                    "DELETE FROM synck_transaksi WHERE id > " + (ROWS - 300) + " OR id % 1000 = 1",
                    "INSERT INTO synck_transaksi (akun, jumlah, ket) SELECT seq, seq, 'baru' FROM seq_1_to_7000");
        }
        Process second = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("second.log").toFile()).start();
        waitForItemsCopiedBySecondRun(second, 5);
        second.destroyForcibly(); // SIGKILL in the middle of the sync run
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(137);

        Process third = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("third.log").toFile()).start();
        assertThat(third.waitFor(6, TimeUnit.MINUTES)).isTrue();
        assertThat(third.exitValue()).as(Files.readString(dir.resolve("third.log"))).isZero();

        try (Connection c = TestDatabases.mariaDb(source); Connection pg = TestDatabases.postgres(target)) {
            for (String aggregate : List.of("COUNT(*)", "SUM(id)", "SUM(jumlah * 100)", "COUNT(DISTINCT id)", "MAX(id)")) {
                String sql = "SELECT " + aggregate + " FROM synck_transaksi";
                assertThat(count(pg, sql)).as(aggregate).isEqualTo(count(c, sql));
            }
        }
        try (Connection l = TestDatabases.postgres(ledger)) {
            assertThat(count(l, "SELECT COUNT(*) FROM hub_item WHERE status NOT IN ('VERIFIED', 'REMOVED')")).isZero();
        }
    }

    private void waitForItemsCopiedBySecondRun(Process hub, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos(); // a bound, not a timing
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new AssertionError("the hub ended before it could be killed: " + Files.readString(dir.resolve("second.log")));
            }
            try (Connection l = TestDatabases.postgres(ledger)) {
                if (count(l, "SELECT COUNT(*) FROM hub_item WHERE status = 'VERIFIED' AND run_id = "
                        + "(SELECT MAX(run_id) FROM hub_run)") >= atLeast
                        && count(l, "SELECT COUNT(*) FROM hub_run") >= 2) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no progress: " + Files.readString(dir.resolve("second.log")));
    }
}

package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static id.go.pdn.hub.support.HubProcess.jar;
import static id.go.pdn.hub.support.HubProcess.javaBin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kill -9` of the hub in the middle of a migration, then `hub run --once` again: it resumes from the chunks not yet
 * committed; no row is lost or copied twice, and chunks verified before the kill are not copied again.
 * Runs the packaged jar with -Xmx256m and the ledger on PostgreSQL.
 */
class ResumeAfterCrashIT {

    private static final int ROWS = 300_000;

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_ksrc");
    String target = TestDatabases.uniqueName("hub_it_kdst");
    String ledger = TestDatabases.uniqueName("hub_it_kled");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        TestDatabases.createPostgres(ledger);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "CREATE TABLE transaksi (id BIGINT PRIMARY KEY, akun INT NOT NULL, jumlah DECIMAL(14,2), ket VARCHAR(80)) DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO transaksi SELECT seq, seq % 977, seq * 1.5, CONCAT('transaksi ke-', seq) FROM seq_1_to_" + ROWS);
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
        TestDatabases.dropPostgres(ledger);
    }

    @Test
    void aKilledRunResumesWithoutLosingOrDoublingRows() throws Exception {
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
                    id: transaksi-db
                    from:
                      uri: migration:db
                      parameters:
                        application: keuangan
                        source: local
                        target: pdn
                        chunkSize: 10000
                        parallelism: 1
                      steps:
                        - log: "${body}"
                """);
        List<String> command = List.of(javaBin(), "-Xmx256m", "-jar", jar(), "--config", config.toString(), "run", "--once", route.toString());

        Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        Map<Long, String> verifiedBeforeKill = waitForVerifiedItems(first, 5);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the hub
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        Process second = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("second.log").toFile()).start();
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(dir.resolve("second.log"));
        assertThat(second.exitValue()).as(output).isZero();
        assertThat(output).contains("VERIFIED: every item was copied");

        try (Connection pg = TestDatabases.postgres(target)) {
            assertThat(count(pg, "SELECT COUNT(*) FROM transaksi")).isEqualTo(ROWS);
            assertThat(count(pg, "SELECT SUM(id) FROM transaksi")).isEqualTo((long) ROWS * (ROWS + 1) / 2);
        }
        try (Connection l = TestDatabases.postgres(ledger)) {
            assertThat(count(l, "SELECT COUNT(*) FROM hub_item WHERE status = 'VERIFIED'")).isEqualTo(30);
            Map<Long, String> after = verifiedItems(l);
            verifiedBeforeKill.forEach((item, finished) ->
                    assertThat(after.get(item)).as("item %d verified before the kill is not copied again", item).isEqualTo(finished));
            assertThat(count(l, "SELECT COUNT(*) FROM hub_run WHERE state = 'FAILED' AND message LIKE 'the hub stopped during this run%'")).isOne();
            assertThat(count(l, "SELECT COUNT(*) FROM hub_run WHERE state = 'SUCCEEDED'")).isOne();
        }
    }

    private Map<Long, String> waitForVerifiedItems(Process hub, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos(); // a bound, not a timing: busy machines start slowly
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new AssertionError("the hub ended before it could be killed: " + Files.readString(dir.resolve("first.log")));
            }
            try (Connection l = TestDatabases.postgres(ledger)) {
                Map<Long, String> verified = verifiedItems(l);
                if (verified.size() >= atLeast) {
                    return verified;
                }
            } catch (java.sql.SQLException notYet) {
                // the ledger's tables are not there yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no progress: " + Files.readString(dir.resolve("first.log")));
    }

    private static Map<Long, String> verifiedItems(Connection ledger) throws Exception {
        Map<Long, String> items = new HashMap<>();
        try (Statement s = ledger.createStatement();
             ResultSet rs = s.executeQuery("SELECT item_id, finished_at::text FROM hub_item WHERE status = 'VERIFIED'")) {
            while (rs.next()) {
                items.put(rs.getLong(1), rs.getString(2));
            }
        }
        return items;
    }
}

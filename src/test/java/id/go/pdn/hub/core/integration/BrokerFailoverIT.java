package id.go.pdn.hub.core.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.ExternalServers.Server;
import id.go.pdn.hub.support.HubProcess;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker fails over mid-run: a live/backup pair of Artemis brokers with a shared store ({@code .ci/artemis.sh
 * start-pair}), the hub connected to both ({@code (tcp://live,tcp://backup)?ha=true&reconnectAttempts=-1}); the live
 * broker is killed with {@code kill -9} while the hub copies. The backup takes over, the hub's sends and deliveries cut
 * off go again, and the run ends verified with every row once. The next start-pair brings the live broker back.
 */
@Needs({Server.ARTEMIS_PAIR, Server.POSTGRESQL, Server.MARIADB})
class BrokerFailoverIT {

    private static final int ROWS = 200_000;

    @TempDir
    Path dir;
    final String source = TestDatabases.uniqueName("hub_it_fo_src");
    final String target = TestDatabases.uniqueName("hub_it_fo_dst");
    final String ledger = TestDatabases.uniqueName("hub_it_fo_led");
    HubProcess hub;

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        TestDatabases.createPostgres(ledger);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "CREATE TABLE fo_transaksi (id BIGINT PRIMARY KEY, akun INT NOT NULL, jumlah DECIMAL(14,2), ket VARCHAR(80)) "
                    + "DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO fo_transaksi SELECT seq, seq % 977, seq * 1.5, CONCAT('transaksi ke-', seq) FROM seq_1_to_" + ROWS);
        }
    }

    @AfterEach
    void drop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
        TestDatabases.dropPostgres(ledger);
    }

    @Test
    void aRunGoesOnWhenItsBrokerFailsOverToTheBackup() throws Exception {
        Properties pair = ExternalServers.artemisPair();
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                hub:
                  data-dir: %s
                  queue:
                    workers: 4
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
                spring:
                  artemis:
                    mode: native
                    broker-url: "%s&consumerWindowSize=0"
                    embedded:
                      enabled: false
                """.formatted(dir.resolve("data"), TestDatabases.postgresUrl(ledger), TestDatabases.mariaDbUrl(source),
                TestDatabases.postgresUrl(target), pair.getProperty("url")));
        Path route = dir.resolve("failover.yaml");
        Files.writeString(route, """
                - route:
                    id: fo-db-%s
                    from:
                      uri: migration:db
                      parameters:
                        application: failover
                        source: local
                        target: pdn
                        chunkSize: 2000
                        parallelism: 4
                      steps:
                        - log: "${body}"
                """.formatted(source.substring(source.length() - 8)));
        hub = HubProcess.start("hub", dir.resolve("hub.log"), "--config", config.toString(), "run", "--once", route.toString());

        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // a bound, not a timing
        long verified = 0;
        while (verified < 20 && System.nanoTime() < deadline) {
            hub.assertAlive();
            try (Connection l = TestDatabases.postgres(ledger)) {
                verified = count(l, "SELECT COUNT(*) FROM hub_item WHERE status = 'VERIFIED'");
            } catch (java.sql.SQLException notYet) {
                // the ledger's tables are not there yet
            }
            Thread.sleep(50);
        }
        assertThat(verified).as("items verified before the broker is killed: %s", hub.log()).isGreaterThanOrEqualTo(20);
        ProcessHandle live = ProcessHandle.of(Long.parseLong(pair.getProperty("live_pid"))).orElseThrow();
        live.destroyForcibly(); // kill -9 of the live broker mid-run: the backup takes the shared store over
        assertThat(live.onExit().get().isAlive()).isFalse();

        assertThat(hub.waitFor(Duration.ofMinutes(5))).as(hub.log()).isZero();
        assertThat(hub.log()).contains("VERIFIED: every item was copied");
        try (Connection my = TestDatabases.mariaDb(source); Connection pg = TestDatabases.postgres(target)) {
            for (String aggregate : List.of("COUNT(*)", "COUNT(DISTINCT id)", "SUM(id)", "SUM(jumlah * 100)")) {
                String sql = "SELECT " + aggregate + " FROM fo_transaksi";
                assertThat(count(pg, sql)).as(aggregate).isEqualTo(count(my, sql));
            }
        }
        try (Connection l = TestDatabases.postgres(ledger)) {
            assertThat(count(l, "SELECT COUNT(*) FROM hub_item WHERE status <> 'VERIFIED'")).isZero();
            assertThat(count(l, "SELECT COUNT(*) FROM hub_run WHERE state = 'SUCCEEDED'")).as("one run, not failed by the failover").isOne();
            assertThat(count(l, "SELECT COUNT(*) FROM hub_run")).isOne();
        }
    }
}

package id.go.pdn.hub.core.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
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
 * Three hubs, one broker, one ledger (issue 15): the real Artemis broker of {@code .ci/artemis.sh}, the ledger in a
 * PostgreSQL database of its own, and three packaged hubs serving the same routes: a database migration (MariaDB into
 * PostgreSQL) and a files migration. Every hub's workers take items of both runs; one hub that only works is killed with
 * {@code kill -9} mid-run, then the hub holding the database run's lease. The runs end verified on the hubs left, the
 * database run taken over ({@code triggered_by = takeover}); nothing is lost or written twice: row counts and sums equal,
 * no key twice, every file's SHA-256 equal, every item of the ledger verified once, the items verified before a kill not
 * copied again, and every hub's workers verified some.
 */
@Needs({Server.ARTEMIS, Server.POSTGRESQL, Server.MARIADB})
class ScaleOutIT {

    private static final int ROWS = 200_000;
    private static final int CHUNK = 2_000;         // 100 chunks
    private static final int FILES = 1_500;
    private static final Duration LIMIT = Duration.ofMinutes(10); // a bound, not a timing: three JVMs starting on a busy machine take minutes

    @TempDir
    Path dir;
    final String suffix = TestDatabases.uniqueName("x").substring(2);
    final String source = "hub_it_so_src_" + suffix;
    final String target = "hub_it_so_dst_" + suffix;
    final String ledger = "hub_it_so_led_" + suffix;
    final String dbMigration = "so-db-" + suffix;        // names of their own: messages left on the shared broker by an
    final String filesMigration = "so-files-" + suffix;  // earlier run of this test claim nothing in this one
    final List<HubProcess> hubs = new ArrayList<>();
    final java.util.Set<HubProcess> killed = new java.util.HashSet<>();

    @BeforeEach
    void setUp() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        TestDatabases.createPostgres(ledger);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "CREATE TABLE so_transaksi (id BIGINT PRIMARY KEY, akun INT NOT NULL, jumlah DECIMAL(14,2), ket VARCHAR(80)) "
                    + "DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO so_transaksi SELECT seq, seq % 977, seq * 1.5, CONCAT('transaksi ke-', seq) FROM seq_1_to_" + ROWS);
        }
        Random random = new Random(15);
        for (int i = 0; i < FILES; i++) {
            Path file = dir.resolve("src").resolve("d" + (i % 20)).resolve("berkas-" + i + ".bin");
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[512 + random.nextInt(8192)];
            random.nextBytes(bytes);
            Files.write(file, bytes);
        }
        Files.createDirectories(dir.resolve("dst"));
    }

    @AfterEach
    void tearDown() throws Exception {
        Path logs = Path.of("target", "failsafe-reports");
        Files.createDirectories(logs);
        for (HubProcess hub : hubs) {
            hub.close();
            Files.writeString(logs.resolve("ScaleOutIT-" + hub.name() + ".log"), hub.log()); // kept beside the report
        }
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
        TestDatabases.dropPostgres(ledger);
    }

    @Test
    void threeHubsShareTheWorkAndSurviveTheKillOfAWorkerAndOfTheLeaseHolder() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("scaleout.yaml"), """
                - route:
                    id: %s
                    from:
                      uri: migration:db
                      parameters:
                        application: scaleout
                        source: local
                        target: pdn
                        chunkSize: %d
                        parallelism: 12
                      steps:
                        - log: "${body}"
                - route:
                    id: %s
                    from:
                      uri: migration:files
                      parameters:
                        application: scaleout
                        source: "file:%s"
                        target: "file:%s"
                        parallelism: 12
                      steps:
                        - log: "${body}"
                """.formatted(dbMigration, CHUNK, filesMigration, dir.resolve("src"), dir.resolve("dst")));
        for (String name : List.of("hub-a", "hub-b", "hub-c")) {
            Path config = dir.resolve(name + ".yaml");
            Files.writeString(config, """
                    hub:
                      data-dir: %s
                      queue:
                        workers: 4
                        embedded-port: 0
                      management:
                        port: 0
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
                        broker-url: "%s?consumerWindowSize=0"
                        embedded:
                          enabled: false
                    """.formatted(dir.resolve(name), TestDatabases.postgresUrl(ledger), TestDatabases.mariaDbUrl(source),
                    TestDatabases.postgresUrl(target), ExternalServers.artemisUrl()));
            hubs.add(HubProcess.start(name, dir.resolve(name + ".log"), "--config", config.toString(), "run", routes.toString()));
        }

        // every hub's workers take items of both runs
        await("both runs under way and every hub's workers verified items", () -> {
            if (verified(dbMigration) < dbItems() / 8 || verified(filesMigration) == 0) {
                return false; // both planned and copying
            }
            for (HubProcess hub : hubs) {
                if (verifiedBy(hub) == 0) {
                    return false;
                }
            }
            return true;
        });
        HubProcess dbHolder = holderOf(dbMigration);
        HubProcess filesHolder = holderOf(filesMigration);
        HubProcess worker = hubs.stream().filter(h -> h != dbHolder && h != filesHolder).findFirst().orElseThrow();
        Map<Long, String> beforeWorkerKill = verifiedItems();
        long workerVerified = verifiedBy(worker);
        killed.add(worker);
        worker.kill9(); // mid-run: its claimed items and unacknowledged messages are left behind
        System.out.printf("ScaleOutIT: killed %s (a worker, %d items verified) at %d of %d items%n", worker.name(), workerVerified,
                beforeWorkerKill.size(), total());
        assertThat(beforeWorkerKill.size()).as("the worker was killed mid-run").isLessThan(total());

        await("more of the database run verified by the hubs left", () -> verified(dbMigration) >= dbItems() * 2 / 5);
        Map<Long, String> beforeHolderKill = verifiedItems();
        assertThat(verified(dbMigration)).as("the database run is still going on when its lease holder is killed")
                .isLessThan(dbItems());
        killed.add(dbHolder);
        dbHolder.kill9();
        System.out.printf("ScaleOutIT: killed %s (holding the run of %s) at %d of %d items%n", dbHolder.name(), dbMigration,
                beforeHolderKill.size(), total());

        await("both runs verified", () -> succeeded(dbMigration) && succeeded(filesMigration));

        // the ledger: every item verified, once; the database run taken over by a hub left; each hub did items
        for (String migration : List.of(dbMigration, filesMigration)) {
            assertThat(ledgerCount("SELECT COUNT(*) FROM hub_item WHERE migration = '" + migration + "' AND status <> 'VERIFIED'"))
                    .as("items of %s not verified", migration).isZero();
        }
        assertThat(ledgerCount("SELECT COUNT(*) FROM hub_item WHERE migration = '" + filesMigration + "'")).isEqualTo(FILES);
        assertThat(ledgerCount("SELECT COUNT(*) FROM (SELECT migration, item_key FROM hub_item GROUP BY migration, item_key "
                + "HAVING COUNT(*) > 1) twice")).as("an item listed twice").isZero();
        assertThat(ledgerCount("SELECT COUNT(*) FROM hub_run WHERE migration = '" + dbMigration + "' AND state = 'SUCCEEDED' "
                + "AND triggered_by = 'takeover' AND run_by NOT LIKE '" + dbHolder.pid() + "@%'")).as("the database run taken over").isOne();
        assertThat(ledgerCount("SELECT COUNT(*) FROM hub_run WHERE migration = '" + dbMigration + "' AND state = 'FAILED' "
                + "AND run_by LIKE '" + dbHolder.pid() + "@%'")).as("the killed holder's run closed as cut off").isOne();
        for (HubProcess hub : hubs) {
            assertThat(verifiedBy(hub)).as("items verified by %s", hub.name()).isPositive();
        }
        Map<Long, String> after = verifiedItems();
        beforeHolderKill.forEach((item, finished) -> assertThat(after.get(item))
                .as("item %d verified before the kills is not copied again", item).isEqualTo(finished));
        System.out.println("ScaleOutIT: items verified per hub: " + perHub());

        // the target: every row once, equal to the source; every file equal
        try (Connection my = TestDatabases.mariaDb(source); Connection pg = TestDatabases.postgres(target)) {
            for (String aggregate : List.of("COUNT(*)", "COUNT(DISTINCT id)", "SUM(id)", "SUM(akun)", "SUM(jumlah * 100)",
                    "SUM(LENGTH(ket))")) {
                String sql = "SELECT " + aggregate + " FROM so_transaksi";
                assertThat(count(pg, sql)).as(aggregate).isEqualTo(count(my, sql));
            }
            assertThat(count(pg, "SELECT COUNT(*) FROM so_transaksi")).isEqualTo(ROWS);
        }
        assertThat(sha256Tree(dir.resolve("dst"))).as("files on the target and their SHA-256").isEqualTo(sha256Tree(dir.resolve("src")));
        for (HubProcess hub : hubs) {
            if (hub.isAlive()) {
                assertThat(hub.log()).as(hub.name()).doesNotContain("Exception in thread");
            }
        }
    }

    // ---- the ledger

    private int total() throws Exception {
        return (int) ledgerCount("SELECT COUNT(*) FROM hub_item");
    }

    private long dbItems() throws Exception {
        long items = ledgerCount("SELECT COUNT(*) FROM hub_item WHERE migration = '" + dbMigration + "'");
        return items == 0 ? Long.MAX_VALUE : items; // not planned yet
    }

    private long verified(String migration) throws Exception {
        return ledgerCount("SELECT COUNT(*) FROM hub_item WHERE migration = '" + migration + "' AND status = 'VERIFIED'");
    }

    private long verifiedBy(HubProcess hub) throws Exception {
        return ledgerCount("SELECT COUNT(*) FROM hub_item WHERE status = 'VERIFIED' AND claimed_by LIKE '" + hub.pid() + "@%'");
    }

    private boolean succeeded(String migration) throws Exception {
        return ledgerCount("SELECT COUNT(*) FROM hub_run WHERE migration = '" + migration + "' AND state = 'SUCCEEDED'") > 0;
    }

    /** The hub whose run of the migration holds its lease (hub_run.run_by is pid@host-...). */
    private HubProcess holderOf(String migration) throws Exception {
        try (Connection l = TestDatabases.postgres(ledger); Statement s = l.createStatement();
             ResultSet rs = s.executeQuery("SELECT instance_id FROM hub_run_lease WHERE migration = '" + migration + "'")) {
            assertThat(rs.next()).as("a hub holds the run of %s", migration).isTrue();
            String holder = rs.getString(1);
            return hubs.stream().filter(h -> holder.startsWith(h.pid() + "@")).findFirst()
                    .orElseThrow(() -> new AssertionError("the lease of " + migration + " is held by " + holder + ", none of the hubs"));
        }
    }

    private Map<String, Long> perHub() throws Exception {
        Map<String, Long> byHub = new TreeMap<>();
        for (HubProcess hub : hubs) {
            byHub.put(hub.name(), verifiedBy(hub));
        }
        return byHub;
    }

    private Map<Long, String> verifiedItems() throws Exception {
        Map<Long, String> items = new TreeMap<>();
        try (Connection l = TestDatabases.postgres(ledger); Statement s = l.createStatement();
             ResultSet rs = s.executeQuery("SELECT item_id, finished_at::text || ' ' || claimed_by FROM hub_item WHERE status = 'VERIFIED'")) {
            while (rs.next()) {
                items.put(rs.getLong(1), rs.getString(2));
            }
        }
        return items;
    }

    private long ledgerCount(String sql) throws Exception {
        try (Connection l = TestDatabases.postgres(ledger)) {
            return TestDatabases.count(l, sql);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls the ledger until the condition holds; fails with every live hub's log if a hub ends or time runs out. */
    private void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // the ledger's tables are not there yet
            }
            for (HubProcess hub : hubs) {
                if (!killed.contains(hub)) {
                    hub.assertAlive();
                }
            }
            Thread.sleep(50);
        }
        Path dumps = Path.of("target", "failsafe-reports");
        Files.createDirectories(dumps);
        for (HubProcess hub : hubs) {
            if (hub.isAlive()) { // what a hub that did not get on was doing
                Files.writeString(dumps.resolve("ScaleOutIT-" + hub.name() + ".threads.txt"), hub.threadDump());
            }
        }
        StringBuilder logs = new StringBuilder();
        for (HubProcess hub : hubs) {
            String log = hub.log();
            logs.append("\n---- ").append(hub.name()).append(":\n").append(log.substring(Math.max(0, log.length() - 6000)));
        }
        throw new AssertionError("not reached within " + LIMIT + ": " + what + logs);
    }

    private static Map<String, String> sha256Tree(Path root) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                    sums.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return sums;
    }
}

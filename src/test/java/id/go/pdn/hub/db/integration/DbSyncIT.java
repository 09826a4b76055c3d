package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode sync (the default), MariaDB into PostgreSQL: after a verified first run the application keeps writing to the
 * source; every next run brings each table to the source's state, copying only the chunks that changed.
 */
class DbSyncIT {

    private static final String ID = "sinkron-db";

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_sync_src");
    String target = TestDatabases.uniqueName("hub_sync_dst");

    /** table -> the columns compared, as text, on both sides */
    private static final Map<String, String> TABLES = Map.of(
            "sync_akun", "id, nama, saldo",
            "sync_mutasi", "id, akun_id, jumlah",
            "sync_anggota", "wilayah, nomor, nilai",
            "sync_kode", "kode, ket",
            "sync_log", "teks, n",
            "sync_hapus", "id, ket",
            "sync_ulang", "id, ket");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, """
                    CREATE TABLE sync_akun (id INT PRIMARY KEY AUTO_INCREMENT, nama VARCHAR(60) NOT NULL, saldo DECIMAL(12,2))
                    AUTO_INCREMENT=1001""",
                    "INSERT INTO sync_akun (nama, saldo) SELECT CONCAT('akun ', seq), seq * 10.5 FROM seq_1_to_3000",
                    """
                    CREATE TABLE sync_mutasi (id BIGINT PRIMARY KEY AUTO_INCREMENT, akun_id INT NOT NULL, jumlah INT NOT NULL,
                      CONSTRAINT fk_sync_mutasi_akun FOREIGN KEY (akun_id) REFERENCES sync_akun (id) ON DELETE CASCADE)""",
                    "INSERT INTO sync_mutasi (akun_id, jumlah) SELECT 1001 + seq % 2000, seq FROM seq_1_to_2000",
                    "CREATE TABLE sync_anggota (wilayah VARCHAR(10) NOT NULL, nomor INT NOT NULL, nilai INT, PRIMARY KEY (wilayah, nomor))",
                    "INSERT INTO sync_anggota SELECT CONCAT('W', seq % 7), seq, seq * 3 FROM seq_1_to_1500",
                    "CREATE TABLE sync_kode (kode VARCHAR(20) PRIMARY KEY, ket VARCHAR(40))",
                    "INSERT INTO sync_kode SELECT CONCAT(ELT(1 + seq % 4, 'b', 'C', 'é', 'Z'), LPAD(seq, 5, '0')), CONCAT('ket ', seq) FROM seq_1_to_1200",
                    "CREATE TABLE sync_log (teks VARCHAR(40), n INT)",
                    "INSERT INTO sync_log SELECT CONCAT('log ', seq % 10), seq % 3 FROM seq_1_to_100",
                    "CREATE TABLE sync_hapus (id INT PRIMARY KEY, ket VARCHAR(20))",
                    "INSERT INTO sync_hapus SELECT seq, 'hapus' FROM seq_1_to_800",
                    "CREATE TABLE sync_ulang (id INT PRIMARY KEY, ket VARCHAR(20))",
                    "INSERT INTO sync_ulang SELECT seq, 'lama' FROM seq_1_to_600");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
    }

    private TestHub hub() throws Exception {
        return TestHub.builder(dir)
                .datasource("lokal", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                .route("sinkron.yaml", TestHub.dbRoute(ID, "sinkron", "lokal", "pdn",
                        Map.of("chunkSize", "500", "parallelism", "3", "tables", "sync_*")))
                .start();
    }

    @Test
    void everyRunBringsTheTargetToTheSourcesStateCopyingOnlyWhatChanged() throws Exception {
        try (TestHub hub = hub()) {
            RunSummary first = hub.run(ID);
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertEqual();
            // composite and textual keys are cut into chunks too; the table without a key is one
            List<String> keys = hub.bean(Ledger.class).items(ID, ItemStatus.VERIFIED).stream().map(i -> i.key()).toList();
            assertThat(keys).filteredOn(k -> k.startsWith("sync_anggota (wilayah, nomor) [")).hasSize(3);
            assertThat(keys).filteredOn(k -> k.startsWith("sync_kode (kode) [")).hasSize(3);
            assertThat(keys).contains("sync_log (whole table)");

            RunSummary unchanged = hub.run(ID);
            assertThat(unchanged.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(unchanged.rows()).as("nothing changed: nothing copied").isZero();

            try (Connection c = TestDatabases.mariaDb(source)) {
                execute(c,
                        "DELETE FROM sync_akun WHERE id > 3995", // the highest keys (and, cascading, their mutasi)
                        "INSERT INTO sync_akun (id, nama, saldo) VALUES (5, 'di bawah', 1), (7, 'di bawah juga', 2)",
                        "UPDATE sync_akun SET saldo = saldo + 1 WHERE id IN (1001, 2222, 3333)", // same row count
                        "INSERT INTO sync_akun (nama, saldo) SELECT CONCAT('baru ', seq), seq FROM seq_1_to_1200", // beyond the last chunk
                        "UPDATE sync_anggota SET nilai = -1 WHERE nomor IN (10, 700)",
                        "DELETE FROM sync_anggota WHERE nomor IN (11, 1400)",
                        "INSERT INTO sync_anggota VALUES ('A', 1, 1), ('W9', 99999, 2)",
                        "INSERT INTO sync_kode VALUES ('a', 'sebelum semua'), ('zzz', 'sesudah semua'), ('Ä0', 'tengah')",
                        "UPDATE sync_kode SET ket = 'ubah' WHERE kode LIKE '%00100'",
                        "DELETE FROM sync_kode WHERE kode LIKE '%0050_'",
                        "INSERT INTO sync_log VALUES ('log baru', 7)",
                        "TRUNCATE TABLE sync_hapus",
                        "DROP TABLE sync_ulang",
                        "CREATE TABLE sync_ulang (id INT PRIMARY KEY, ket VARCHAR(20))",
                        "INSERT INTO sync_ulang SELECT seq * 2, 'baru' FROM seq_1_to_400");
            }
            RunSummary second = hub.run(ID);
            assertThat(second.state()).as(second.toString()).isEqualTo(RunState.SUCCEEDED);
            assertEqual();
            // the chunks nothing touched are not copied again: sync_mutasi's, and sync_akun's between the changed ones
            var items = hub.bean(Ledger.class).items(ID, ItemStatus.VERIFIED);
            assertThat(items).filteredOn(i -> i.key().startsWith("sync_mutasi ")).hasSize(4)
                    .allSatisfy(i -> assertThat(i.runId()).isEqualTo(first.runId()));
            assertThat(items).filteredOn(i -> i.key().startsWith("sync_akun ") && i.runId() == first.runId())
                    .extracting(i -> i.key()).containsExactlyInAnyOrder("sync_akun id [1501, 2001)", "sync_akun id [2501, 3001)");
            // the last chunk grew (3501 and up: 495 + 1200 rows): split into parts of 500
            assertThat(items).filteredOn(i -> i.key().startsWith("sync_akun ")).hasSize(5 + 4);
            assertThat(hub.bean(Ledger.class).items(ID, ItemStatus.REMOVED)).extracting(i -> i.key())
                    .as("the grown last chunk, split: its parts replace it").containsExactly("sync_akun id [3501, end)");
            System.out.println("copied in the second run: " + items.stream().filter(i -> i.runId() == second.runId())
                    .map(i -> i.key() + "=" + i.rowCount()).toList());
            try (Connection pg = TestDatabases.postgres(target)) {
                // the application's next INSERT without id, on the target after the cut-over
                execute(pg, "INSERT INTO sync_akun (nama, saldo) VALUES ('aplikasi', 0)");
                assertThat(count(pg, "SELECT id FROM sync_akun WHERE nama = 'aplikasi'")).isGreaterThan(4000 + 1200 - 6);
                assertThat(count(pg, "SELECT COUNT(*) FROM sync_mutasi")).as("no cascade from a replaced sync_akun chunk")
                        .isEqualTo(2000);
                execute(pg, "DELETE FROM sync_akun WHERE nama = 'aplikasi'");
            }

            RunSummary third = hub.run(ID);
            assertThat(third.rows()).isZero();
            assertThat(hub.bean(Ledger.class).items(ID, ItemStatus.GONE)).isEmpty();
        }
    }

    @Test
    void aRepairCopyMovesTheIdentityCounterPastTheHighestKey() throws Exception {
        try (TestHub hub = hub()) {
            assertThat(hub.run(ID).state()).isEqualTo(RunState.SUCCEEDED);
            try (Connection c = TestDatabases.mariaDb(source)) {
                execute(c, "INSERT INTO sync_akun (nama, saldo) SELECT CONCAT('malam ', seq), seq FROM seq_1_to_5");
            }
            RunSummary verified = hub.bean(MigrationRunner.class).verify(ID, "test");
            assertThat(verified.itemsFailed()).as(verified.toString()).isOne();
            assertThat(hub.bean(Ledger.class).retryUnsuccessful(ID)).isOne();
            RunSummary repaired = hub.run(ID);
            assertThat(repaired.state()).as(repaired.toString()).isEqualTo(RunState.SUCCEEDED);
            try (Connection pg = TestDatabases.postgres(target)) {
                long highest;
                try (Connection c = TestDatabases.mariaDb(source)) {
                    highest = count(c, "SELECT MAX(id) FROM sync_akun");
                }
                assertThat(count(pg, "SELECT MAX(id) FROM sync_akun")).isEqualTo(highest);
                execute(pg, "INSERT INTO sync_akun (nama, saldo) VALUES ('aplikasi', 0)");
                assertThat(count(pg, "SELECT id FROM sync_akun WHERE nama = 'aplikasi'")).isEqualTo(highest + 1);
            }
        }
    }

    @Test
    void modeOnceCopiesOnce() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("lokal", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                .route("sekali.yaml", TestHub.dbRoute("sekali-db", "sinkron", "lokal", "pdn",
                        Map.of("tables", "sync_hapus", "mode", "once")))
                .start()) {
            assertThat(hub.run("sekali-db").rows()).isEqualTo(800);
            try (Connection c = TestDatabases.mariaDb(source)) {
                execute(c, "DELETE FROM sync_hapus WHERE id > 400");
            }
            assertThat(hub.run("sekali-db").rows()).isZero();
            try (Connection pg = TestDatabases.postgres(target)) {
                assertThat(count(pg, "SELECT COUNT(*) FROM sync_hapus")).isEqualTo(800);
            }
        }
    }

    private void assertEqual() throws Exception {
        try (Connection c = TestDatabases.mariaDb(source); Connection pg = TestDatabases.postgres(target)) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                String select = "SELECT CONCAT_WS('|', " + table.getValue() + ") FROM " + table.getKey();
                assertThat(rows(pg, select.replace("CONCAT_WS('|', ", "concat_ws('|', ")))
                        .as("target table %s equals the source", table.getKey()).isEqualTo(rows(c, select));
            }
        }
    }

    private static List<String> rows(Connection connection, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        Collections.sort(rows);
        return rows;
    }
}

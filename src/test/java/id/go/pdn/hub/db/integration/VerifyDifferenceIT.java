package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB into PostgreSQL, then a target row changed in one column: verify fails naming the column and the chunk's key
 * range with its numbers, on an integer key and on a text (keyset) key.
 */
class VerifyDifferenceIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_vdiff_src");
    String target = TestDatabases.uniqueName("hub_vdiff_dst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, """
                    CREATE TABLE lokasi (
                      id BIGINT PRIMARY KEY AUTO_INCREMENT,
                      nama VARCHAR(60) NOT NULL,
                      lintang DOUBLE,
                      diubah DATETIME NOT NULL
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""", """
                    CREATE TABLE wilayah (
                      kode VARCHAR(10) PRIMARY KEY,
                      nama VARCHAR(60) NOT NULL
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""");
            execute(c, "INSERT INTO lokasi (nama, lintang, diubah) SELECT CONCAT('lokasi ', seq), seq / 7, "
                    + "TIMESTAMP('2024-01-01 07:00:00') + INTERVAL seq MINUTE FROM seq_1_to_250");
            execute(c, "INSERT INTO wilayah SELECT CONCAT('W', LPAD(seq, 4, '0')), CONCAT('wilayah ', seq) FROM seq_1_to_250");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
    }

    @Test
    void verifyNamesTheColumnAndTheKeyRange() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("src", TestDatabases.mariaDbUrl(source), "root")
                .datasource("dst", TestDatabases.postgresUrl(target), "postgres")
                .route("lokasi.yaml", TestHub.dbRoute("lokasi-db", "lokasi", "src", "dst", Map.of("chunkSize", "100")))
                .start()) {
            RunSummary first = hub.run("lokasi-db");
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);

            try (Connection pg = TestDatabases.postgres(target)) {
                execute(pg, "UPDATE lokasi SET diubah = diubah + INTERVAL '1 second' WHERE id = 150",
                        "UPDATE lokasi SET nama = 'pindah', lintang = 0 WHERE id = 250",
                        "UPDATE wilayah SET nama = 'diubah' WHERE kode = 'W0005'");
            }
            RunSummary verify = hub.bean(MigrationRunner.class).verify("lokasi-db", "test");
            assertThat(verify.state()).as(verify.toString()).isEqualTo(RunState.FAILED);
            Map<String, String> failed = hub.ledger().items("lokasi-db", ItemStatus.FAILED).stream()
                    .collect(Collectors.toMap(LedgerItem::key, LedgerItem::lastError));
            assertThat(failed).hasSize(3);
            assertThat(failed).anySatisfy((key, error) -> assertThat(error)
                    .contains("rows id >= 101 AND id < 201: column that differs: diubah"));
            assertThat(failed).anySatisfy((key, error) -> assertThat(error)
                    .contains("rows id >= 201 (id 201 to 250 read): columns that differ: nama, lintang"));
            assertThat(failed).anySatisfy((key, error) -> assertThat(key).startsWith("wilayah (kode) [start, "))
                    .anySatisfy((key, error) -> assertThat(error).containsPattern("rows kode < '[^']+': column that differs: nama"));
            assertThat(verify.rows()).as("the rows read, equal or not").isEqualTo(500);
        }
    }
}

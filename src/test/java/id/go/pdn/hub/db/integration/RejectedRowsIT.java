package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
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

/** Rows the target refuses fail their chunk at once (no retry), with table, key and column, and land in a reject file. */
class RejectedRowsIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_jsrc");
    String target = TestDatabases.uniqueName("hub_it_jdst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "CREATE TABLE warga (id INT PRIMARY KEY, nama VARCHAR(40) NOT NULL) DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO warga SELECT seq, IF(seq IN (1517, 1890), 'Nama yang terlalu panjang', CONCAT('W', seq)) FROM seq_1_to_3000");
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            // the PDN schema was prepared by someone else, with a narrower column
            execute(pg, "CREATE TABLE warga (id integer PRIMARY KEY, nama varchar(6) NOT NULL)");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
    }

    @Test
    void refusedRowsFailTheirChunkAndGoToTheRejectFileWhileTheRestGoesOn() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                .route("warga.yaml", TestHub.dbRoute("warga-db", "siak", "local", "pdn", Map.of("chunkSize", "1000", "onExistingTable", "keep")))
                .start()) {
            RunSummary run = hub.run("warga-db");

            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).isEqualTo(2);
            List<LedgerItem> failed = hub.ledger().items("warga-db", ItemStatus.FAILED);
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).key()).isEqualTo("warga id [1001, 2001)");
            assertThat(failed.get(0).attempts()).as("a refused row is not retried").isOne();
            assertThat(failed.get(0).lastError()).contains("Cannot copy warga id [1001, 2001) of migration warga-db",
                    "refused 2 of 1000 rows", "table warga, key id=1517, column nama", "value too long for type character varying(6)");

            Path rejects = dir.resolve("reports/siak/warga-db.warga.reject.dat");
            assertThat(Files.readAllLines(rejects)).containsExactly("1517\tNama yang terlalu panjang", "1890\tNama yang terlalu panjang");
            assertThat(Files.readString(dir.resolve("reports/siak/warga-db.warga.reject.log"))).contains("id=1890 column nama");
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            assertThat(count(pg, "SELECT COUNT(*) FROM warga")).as("the failed chunk left nothing behind").isEqualTo(2000);
            assertThat(count(pg, "SELECT COUNT(*) FROM warga WHERE id BETWEEN 1001 AND 2000")).isZero();
        }
    }
}

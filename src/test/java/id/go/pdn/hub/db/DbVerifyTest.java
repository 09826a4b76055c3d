package id.go.pdn.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DbCapability.verify}: re-reads a copied chunk on both sides; a changed target row shows, nothing is written. */
class DbVerifyTest {

    @TempDir
    Path dir;

    @Test
    void anIntactChunkVerifiesAndATamperedTargetDoesNot() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("source");
        String target = "jdbc:h2:file:" + dir.resolve("target");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE SURAT (ID BIGINT PRIMARY KEY, PERIHAL VARCHAR(100), DIBUAT TIMESTAMP)",
                    "INSERT INTO SURAT SELECT X, 'perihal ' || X, TIMESTAMP '2024-01-01 08:00:00' + X * INTERVAL '1' HOUR "
                            + "FROM SYSTEM_RANGE(1, 120)");
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).datasource("src", source, "sa").datasource("tgt", target, "sa")
                .route("db.yaml", TestHub.dbRoute("surat-db", "surat", "src", "tgt", Map.of("chunkSize", "50"))).start()) {
            assertThat(hub.run("surat-db").state()).isEqualTo(RunState.SUCCEEDED);
            MigrationJob job = hub.bean(MigrationRegistry.class).require("surat-db").job();
            List<LedgerItem> chunks = hub.ledger().items("surat-db", ItemStatus.VERIFIED);
            assertThat(chunks).hasSize(3);

            for (LedgerItem chunk : chunks) {
                ItemOutcome again = job.verify(chunk);
                assertThat(again.verified()).as(chunk.key()).isTrue();
                // measured exactly as the copy measured it
                assertThat(again.sourceChecksum()).isEqualTo(chunk.sourceChecksum());
                assertThat(again.targetChecksum()).isEqualTo(chunk.targetChecksum());
                assertThat(again.rows()).isEqualTo(chunk.rowCount());
                assertThat(again.bytes()).isEqualTo(chunk.byteCount());
            }
            LedgerItem middle = chunks.stream().filter(c -> c.key().equals("SURAT ID [51, 101)")).findFirst().orElseThrow();
            LedgerItem first = chunks.stream().filter(c -> c.key().equals("SURAT ID [start, 51)")).findFirst().orElseThrow();

            try (Connection c = DriverManager.getConnection(target, "sa", "")) {
                TestDatabases.execute(c, "DELETE FROM SURAT WHERE ID = 60");
            }
            ItemOutcome deleted = job.verify(middle);
            assertThat(deleted.verified()).isFalse();
            assertThat(deleted.sourceChecksum()).isEqualTo(middle.sourceChecksum());
            assertThat(deleted.targetChecksum()).startsWith("49:");
            assertThat(job.verify(first).verified()).as("the other chunks are intact").isTrue();

            try (Connection c = DriverManager.getConnection(target, "sa", "")) {
                TestDatabases.execute(c, "UPDATE SURAT SET PERIHAL = 'diubah' WHERE ID = 7");
            }
            ItemOutcome changed = job.verify(first);
            assertThat(changed.verified()).isFalse();
            assertThat(changed.targetChecksum()).startsWith("50:").isNotEqualTo(changed.sourceChecksum());

            try (Connection c = DriverManager.getConnection(target, "sa", "")) {
                TestDatabases.execute(c, "DROP TABLE SURAT");
            }
            ItemOutcome gone = job.verify(first);
            assertThat(gone.verified()).isFalse();
            assertThat(gone.targetChecksum()).isNull();

            // verify wrote nothing: the source is as it was, the ledger's items unchanged
            try (Connection c = DriverManager.getConnection(source, "sa", "")) {
                assertThat(TestDatabases.count(c, "SELECT COUNT(*) FROM SURAT")).isEqualTo(120);
            }
            assertThat(hub.ledger().items("surat-db", ItemStatus.VERIFIED)).isEqualTo(chunks);
        }
    }
    /**
     * A chunk that differs says where: the key range with its numbers (an open end as the keys read), and the columns whose
     * values differ (same row count) or each side's row count; the FAILED item keeps the rows it read.
     */
    @Test
    void aDifferenceNamesItsColumnsAndItsKeyRange() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("source");
        String target = "jdbc:h2:file:" + dir.resolve("target");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE NOTA (ID BIGINT PRIMARY KEY, PERIHAL VARCHAR(100), JUMLAH INT, DIBUAT TIMESTAMP)",
                    "INSERT INTO NOTA SELECT X, 'perihal ' || X, X * 10, TIMESTAMP '2024-01-01 08:00:00' + X * INTERVAL '1' HOUR "
                            + "FROM SYSTEM_RANGE(1, 120)");
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).datasource("src", source, "sa").datasource("tgt", target, "sa")
                .route("db.yaml", TestHub.dbRoute("nota-db", "nota", "src", "tgt", Map.of("chunkSize", "50"))).start()) {
            assertThat(hub.run("nota-db").state()).isEqualTo(RunState.SUCCEEDED);
            try (Connection c = DriverManager.getConnection(target, "sa", "")) {
                TestDatabases.execute(c, "UPDATE NOTA SET PERIHAL = 'diubah', DIBUAT = DIBUAT + INTERVAL '1' MINUTE WHERE ID = 7",
                        "UPDATE NOTA SET JUMLAH = 0 WHERE ID = 60", "DELETE FROM NOTA WHERE ID = 110");
            }
            RunSummary verify = hub.bean(id.go.pdn.hub.core.MigrationRunner.class).verify("nota-db", "test");
            assertThat(verify.state()).isEqualTo(RunState.FAILED);
            Map<String, LedgerItem> failed = hub.ledger().items("nota-db", ItemStatus.FAILED).stream()
                    .collect(java.util.stream.Collectors.toMap(LedgerItem::key, i -> i));
            assertThat(failed).containsOnlyKeys("NOTA ID [start, 51)", "NOTA ID [51, 101)", "NOTA ID [101, end)");
            assertThat(failed.get("NOTA ID [start, 51)").lastError())
                    .contains("differs between source and target", "rows ID < 51 (ID 1 to 50 read): columns that differ: PERIHAL, DIBUAT");
            assertThat(failed.get("NOTA ID [51, 101)").lastError()).contains("rows ID >= 51 AND ID < 101: column that differs: JUMLAH");
            assertThat(failed.get("NOTA ID [101, end)").lastError()).contains("rows ID >= 101: the source has 20 rows, the target 19");
            assertThat(verify.message()).contains("columns that differ: PERIHAL, DIBUAT");
            assertThat(failed.values()).extracting(LedgerItem::rowCount).containsOnly(50L, 50L, 20L);
            assertThat(verify.rows()).as("the rows read, equal or not").isEqualTo(120);
        }
    }

    /** A chunk whose copy differs from its source fails naming the column; the run counts the rows it read. */
    @Test
    void aCopyThatDiffersNamesTheColumnAndCountsItsRows() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("source");
        String target = "jdbc:h2:file:" + dir.resolve("target");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE AGENDA (ID BIGINT PRIMARY KEY, PERIHAL VARCHAR(100), DIBUAT TIMESTAMP)",
                    "INSERT INTO AGENDA SELECT X, 'perihal ' || X, TIMESTAMP '2024-01-01 08:30:00' + X * INTERVAL '1' DAY "
                            + "FROM SYSTEM_RANGE(1, 70)");
        }
        try (Connection c = DriverManager.getConnection(target, "sa", "")) {
            // kept as it is: its DATE column drops the time of day the source has
            TestDatabases.execute(c, "CREATE TABLE AGENDA (ID BIGINT PRIMARY KEY, PERIHAL VARCHAR(100), DIBUAT DATE)");
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).datasource("src", source, "sa").datasource("tgt", target, "sa")
                .route("db.yaml", TestHub.dbRoute("agenda-db", "agenda", "src", "tgt",
                        Map.of("chunkSize", "50", "onExistingTable", "keep"))).start()) {
            RunSummary run = hub.run("agenda-db");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            List<LedgerItem> failed = hub.ledger().items("agenda-db", ItemStatus.FAILED);
            assertThat(failed).extracting(LedgerItem::key).containsExactlyInAnyOrder("AGENDA ID [start, 51)", "AGENDA ID [51, end)");
            LedgerItem first = failed.stream().filter(i -> i.key().equals("AGENDA ID [start, 51)")).findFirst().orElseThrow();
            assertThat(first.lastError()).contains("source and target differ (50 rows read",
                    "rows ID < 51 (ID 1 to 50 read): column that differs: DIBUAT");
            LedgerItem last = failed.stream().filter(i -> i.key().equals("AGENDA ID [51, end)")).findFirst().orElseThrow();
            assertThat(last.lastError()).contains("rows ID >= 51 (ID 51 to 70 read): column that differs: DIBUAT");
            assertThat(failed).extracting(LedgerItem::rowCount).containsExactlyInAnyOrder(50L, 20L);
            assertThat(run.rows()).as("the rows read, though not verified").isEqualTo(70);
            assertThat(run.rowsTotal()).as("verified in all").isZero();
            assertThat(id.go.pdn.hub.cli.command.SummariesAccess.groupRows(hub, "agenda-db", "db")).containsEntry("AGENDA", 70L);
        }
    }
}

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
}

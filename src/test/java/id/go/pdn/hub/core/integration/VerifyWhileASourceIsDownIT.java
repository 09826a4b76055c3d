package id.go.pdn.hub.core.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verify run the night the source database is down proves nothing either way: it fails and says why, and leaves
 * every copied item as it was (no re-copy of the whole migration the next night).
 */
class VerifyWhileASourceIsDownIT {

    @TempDir
    Path dir;

    private final String sourceDb = TestDatabases.uniqueName("hub_verify_src");

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropPostgres(sourceDb);
    }

    @Test
    void itemsThatCannotBeReadStayVerified() throws Exception {
        TestDatabases.createPostgres(sourceDb);
        try (Connection c = TestDatabases.postgres(sourceDb)) {
            TestDatabases.execute(c, "CREATE TABLE surat (id BIGINT PRIMARY KEY, perihal TEXT)",
                    "INSERT INTO surat SELECT g, 'Perihal ' || g FROM generate_series(1, 3000) g");
        }
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", TestDatabases.postgresUrl(sourceDb), "postgres")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("surat.yaml", TestHub.dbRoute("surat-db", "persuratan", "local", "pdn", Map.of("chunkSize", "1000")))
                .start()) {
            assertThat(hub.run("surat-db").succeeded()).isTrue();
            MigrationRunner runner = hub.bean(MigrationRunner.class);
            assertThat(runner.verify("surat-db", "test-verify").state()).isEqualTo(RunState.SUCCEEDED);

            TestDatabases.dropPostgres(sourceDb); // the source server is gone tonight
            RunSummary verify = runner.verify("surat-db", "test-verify");

            assertThat(verify.state()).isEqualTo(RunState.FAILED);
            assertThat(verify.message()).contains("0 items equal", "3 could not be read (left as they were)", "Cannot check surat id");
            assertThat(hub.ledger().counts("surat-db").get(ItemStatus.VERIFIED)).isEqualTo(3);
            assertThat(hub.ledger().counts("surat-db").allVerified()).isTrue();
        }
    }
}

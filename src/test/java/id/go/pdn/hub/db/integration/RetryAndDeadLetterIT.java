package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.core.queue.DeadLetters;
import id.go.pdn.hub.support.CuttingProxy;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target drops connections in the middle of a chunk (a real TCP relay cuts them): the hub retries with backoff;
 * when it keeps failing, the items go to the dead-letter queue on Artemis, and a replay copies them.
 */
class RetryAndDeadLetterIT {

    private static final int ROWS = 6000;

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_rsrc");
    String target = TestDatabases.uniqueName("hub_it_rdst");
    CuttingProxy proxy;

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createPostgres(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.postgres(source)) {
            execute(c, "CREATE TABLE arsip (id bigint PRIMARY KEY, isi text NOT NULL)",
                    "INSERT INTO arsip SELECT g, repeat('arsip digital ' || g || ' ', 12) FROM generate_series(1, " + ROWS + ") g");
        }
        String[] pg = TestDatabases.PG_HOST.split(":");
        proxy = new CuttingProxy(pg[0], Integer.parseInt(pg[1]));
    }

    @AfterEach
    void drop() throws Exception {
        proxy.close();
        TestDatabases.dropPostgres(source);
        TestDatabases.dropPostgres(target);
    }

    private TestHub hub(String maxRetries) throws Exception {
        return TestHub.builder(dir)
                .property("hub.retry.max-retries", maxRetries)
                .datasource("local", TestDatabases.postgresUrl(source), "postgres")
                .datasource("pdn", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + target, "postgres")
                .route("arsip.yaml", TestHub.dbRoute("arsip-db", "arsip", "local", "pdn", Map.of("chunkSize", "1000", "parallelism", "2")))
                .start();
    }

    @Test
    void connectionsCutMidChunkAreRetriedAndNothingIsLostOrDoubled() throws Exception {
        try (TestHub hub = hub("5")) {
            proxy.cutLargeTransfers(60_000, 3);
            RunSummary run = hub.run("arsip-db");

            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(proxy.cutsDone()).isEqualTo(3);
            List<LedgerItem> items = hub.ledger().items("arsip-db", ItemStatus.VERIFIED);
            assertThat(items).hasSize(6);
            assertThat(items.stream().mapToInt(LedgerItem::attempts).sum()).as("attempts, retries included").isEqualTo(6 + 3);
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            assertThat(count(pg, "SELECT COUNT(*) FROM arsip")).isEqualTo(ROWS);
            assertThat(count(pg, "SELECT COUNT(DISTINCT id) FROM arsip")).isEqualTo(ROWS);
        }
    }

    @Test
    void itemsThatStillFailGoToTheDeadLetterQueueAndAReplayCopiesThem() throws Exception {
        try (TestHub hub = hub("2")) {
            proxy.cutLargeTransfers(60_000, Integer.MAX_VALUE);
            RunSummary failed = hub.run("arsip-db");

            assertThat(failed.state()).isEqualTo(RunState.FAILED);
            assertThat(failed.itemsDead()).isEqualTo(6);
            assertThat(failed.failures()).allSatisfy(f -> assertThat(f).startsWith("DEAD arsip id [")
                    .contains("Cannot copy arsip id [", "of migration arsip-db (", "routes/arsip.yaml:4)"));
            assertThat(hub.ledger().items("arsip-db", ItemStatus.DEAD)).allSatisfy(i -> assertThat(i.attempts()).isEqualTo(3));

            DeadLetters deadLetters = hub.bean(DeadLetters.class);
            List<DeadLetters.DeadLetter> letters = deadLetters.list("arsip-db");
            assertThat(letters).hasSize(6).allSatisfy(l -> {
                assertThat(l.itemKey()).startsWith("arsip id [");
                assertThat(l.error()).contains("Cannot copy arsip id [");
            });

            proxy.heal();
            assertThat(deadLetters.replay(null)).isEqualTo(6);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.ledger().counts("arsip-db").allVerified());
            assertThat(deadLetters.list(null)).isEmpty();

            RunSummary after = hub.run("arsip-db");
            assertThat(after.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(after.rows()).as("the replay copied them; the run only finishes").isZero();
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            assertThat(count(pg, "SELECT COUNT(*) FROM arsip")).isEqualTo(ROWS);
        }
    }
}

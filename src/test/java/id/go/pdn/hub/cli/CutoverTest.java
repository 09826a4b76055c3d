package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `hub cutover` and the freshness of the proof, on embedded parts: an H2 database and local folders. The report's
 * verdict fresh vs stale and its exit codes; the cut-over's exit 0 on equal data, non-zero when the verify finds a
 * difference or a source changes after it; exit 2 for an unknown application and for `run --once` with nothing loaded.
 */
class CutoverTest {

    @TempDir
    Path dir;

    Path data;
    Path config;
    Path routes;
    Path uploads;
    Path copied;

    @BeforeEach
    void application() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("source-db"), "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE surat (id INT PRIMARY KEY, perihal VARCHAR(100))");
            TestDatabases.execute(c, "INSERT INTO surat SELECT x, 'perihal ' || x FROM SYSTEM_RANGE(1, 250)");
        }
        uploads = Files.createDirectories(dir.resolve("uploads/arsip 2024"));
        Files.writeString(uploads.resolve("a.txt"), "surat a");
        Files.writeString(uploads.resolve("b.txt"), "surat b");
        uploads = dir.resolve("uploads");
        copied = dir.resolve("copied");
        data = dir.resolve("hub");
        config = Files.writeString(dir.resolve("hub.yaml"), """
                hub:
                  queue:
                    embedded-port: 0   # no loopback port for the tools: other hubs on this machine may hold 61617
                  datasources:
                    arsip-source:
                      url: "jdbc:h2:file:%s"
                      username: sa
                    arsip-target:
                      url: "jdbc:h2:file:%s"
                      username: sa
                """.formatted(dir.resolve("source-db"), dir.resolve("target-db")));
        routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("arsip-db.yaml"), id.go.pdn.hub.support.TestHub.dbRoute("arsip-db", "arsip", "arsip-source",
                "arsip-target", java.util.Map.of("chunkSize", "100")));
        Files.writeString(routes.resolve("arsip-files.yaml"), """
                - route:
                    id: arsip-files
                    from:
                      uri: migration:files
                      parameters:
                        application: arsip
                        source: "file:%s"
                        target: "file:%s"
                      steps:
                        - log: "${body}"
                """.formatted(uploads, copied));
    }

    private HubCli.Result hub(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = data.toString();
        all[2] = "-c";
        all[3] = config.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return HubCli.run(all);
    }

    private Connection ledger() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE", "sa",
                Files.readString(data.resolve("ledger/ledger.password")).strip());
    }

    @Test
    void reportIsStaleWhenTheLatestRunDidNotCompareEveryItemAndTheCutoverMakesItFresh() throws Exception {
        HubCli.Result run = hub("run", "--once", routes.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
        assertThat(run.out()).contains("VERIFIED: every item was copied, or compared with the source, in this run",
                "compared with the source in this run: 3 of 3 verified items", "equal to the source as of ");

        HubCli.Result fresh = hub("report", "arsip");
        assertThat(fresh.exit()).isEqualTo(Main.OK);
        assertThat(fresh.out()).contains("arsip: COMPLETE AND VERIFIED").containsPattern("equal to the source as of \\S+\\+07:00");

        // the database's chunks were compared at their copy, days ago; the latest run (a verify that could not read the
        // source, a run that does not read copied chunks again) did not compare them: their proof is stale
        try (Connection l = ledger()) {
            TestDatabases.execute(l, "UPDATE hub_item SET checked_at = DATEADD('DAY', -3, checked_at) WHERE migration = 'arsip-db'");
        }
        HubCli.Result stale = hub("report", "arsip");
        assertThat(stale.exit()).as("a stale verdict has its own exit code").isEqualTo(Main.STALE).isEqualTo(3);
        assertThat(stale.out()).contains("arsip: STALE", "stale proof: arsip-db: 3 of 3 verified items were not compared with the "
                + "source in its latest run").containsPattern("equal to the source as of \\S+\\+07:00 \\(3 days 0 h old\\)");
        JsonNode verdict = new ObjectMapper().readTree(data.resolve("reports/arsip/report.json").toFile()).get("verdict");
        assertThat(verdict.get("text").asText()).isEqualTo("STALE");
        assertThat(verdict.get("verified").asBoolean()).isFalse();
        assertThat(verdict.get("missing")).isEmpty();
        assertThat(verdict.get("staleProof")).hasSize(1);
        assertThat(Files.readString(data.resolve("reports/arsip/report.html"))).contains("this proof is stale", "3 days 0 h old");

        // the status and the summary of the next run say the same
        assertThat(HubCli.ok("--data-dir", data.toString(), "status", "--ledger"))
                .contains("compared with the source in the last run: 0 of 3 (the others: stale proof)");

        HubCli.Result cutover = hub("cutover", "arsip", "--routes", routes.toString());
        assertThat(cutover.exit()).as(cutover.out() + cutover.err()).isEqualTo(Main.OK);
        assertThat(cutover.out()).contains("1. Last run", "2. Verify", "checked again: 3 items equal on source and target",
                "checked again: 2 items equal on source and target", "arsip-files              quiet: nothing new, changed or deleted",
                "arsip: COMPLETE AND VERIFIED", "EQUAL: every item of arsip was compared with the source during this cut-over")
                .doesNotContain("SOURCE CHANGED");
        assertThat(hub("report", "arsip").exit()).as("fresh again after the cut-over").isEqualTo(Main.OK);
    }

    @Test
    void cutoverFailsWhenTheVerifyFindsADifferenceAndNamesASourceThatChanged() throws Exception {
        assertThat(hub("run", "--once", routes.toString()).exit()).isEqualTo(Main.OK);
        // a.txt changes on the source between the last run's listing and the verify: a window too short to hit on purpose
        // here, so the ledger is made to remember other content for its copy, which is what the verify then sees (the
        // listing, by size, mtime, ctime and inode, sees no change); and someone changed a copied file on the target
        try (Connection l = ledger()) {
            TestDatabases.execute(l, "UPDATE hub_item SET source_checksum = 'then', target_checksum = 'then' "
                    + "WHERE migration = 'arsip-files' AND item_key = 'arsip 2024/a.txt'");
        }
        Files.writeString(copied.resolve("arsip 2024/b.txt"), "surat X");

        HubCli.Result cutover = hub("cutover", "arsip", "--routes", routes.toString());
        assertThat(cutover.exit()).as(cutover.out()).isEqualTo(Main.NOT_VERIFIED);
        assertThat(cutover.out()).contains("A SOURCE CHANGED DURING THE CUT-OVER",
                "arsip-files: 1 items changed after the last run listed them (e.g. arsip 2024/a.txt)",
                "arsip 2024/b.txt of migration arsip-files", "differs between source and target",
                "arsip: NOT VERIFIED", "NOT EQUAL: the target is not equal to the source now");
        // the report agrees, and the next cut-over (after the application is frozen) copies both again and passes
        assertThat(hub("report", "arsip").exit()).isEqualTo(Main.NOT_VERIFIED);
        assertThat(hub("cutover", "arsip", "--routes", routes.toString()).exit()).isEqualTo(Main.OK);
        assertThat(Files.readString(copied.resolve("arsip 2024/a.txt"))).isEqualTo("surat a");
        assertThat(Files.readString(copied.resolve("arsip 2024/b.txt"))).isEqualTo("surat b");
    }

    @Test
    void quietForChecksTheSourcesAgainAfterThePauseAndFailsOnANewFileAndAChangedRow() throws Exception {
        assertThat(hub("run", "--once", routes.toString()).exit()).isEqualTo(Main.OK);
        CompletableFuture<HubCli.Result> cutover = CompletableFuture.supplyAsync(
                () -> hub("cutover", "arsip", "--routes", routes.toString(), "--quiet-for", "15"));
        // once both verifies are recorded, the application writes a file: during the pause, before the sources are listed again
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos(); // a bound, not a timing
        while (System.nanoTime() < deadline && !cutover.isDone()) {
            if (Files.exists(data.resolve("ledger/ledger.password"))) {
                try (Connection l = ledger()) {
                    if (TestDatabases.count(l, "SELECT COUNT(*) FROM hub_run WHERE triggered_by = 'cutover-verify' "
                            + "AND finished_at IS NOT NULL") == 2) {
                        break;
                    }
                }
            }
            Thread.sleep(100);
        }
        Files.writeString(uploads.resolve("arsip 2024/c.txt"), "surat c, written during the cut-over");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("source-db"), "sa", "")) {
            TestDatabases.execute(c, "UPDATE surat SET perihal = 'diubah saat cut-over' WHERE id = 5");
        }
        HubCli.Result result = cutover.get();
        assertThat(result.exit()).as(result.out()).isEqualTo(Main.SOURCE_CHANGED).isEqualTo(4);
        assertThat(result.out()).as("the changed chunk, found by a listing or by reading it again")
                .containsPattern("arsip-db\\s+CHANGED since the verify: \\d+ new, 1 changed, \\d+ deleted \\(e\\.g\\. SURAT ");
        assertThat(result.out()).contains("Waiting 15 s, then listing the sources again",
                "arsip-files              CHANGED since the verify: 1 new, 0 changed, 0 deleted (e.g. arsip 2024/c.txt)",
                "A SOURCE CHANGED DURING THE CUT-OVER",
                "NOT QUIET: the target was equal to the source at the verify, but a source changed afterwards");
    }

    @Test
    void unknownApplicationAndNothingLoadedExitTwoWithOneLine() throws Exception {
        HubCli.Result cutover = hub("cutover", "simpeg", "--routes", routes.toString());
        assertThat(cutover.exit()).isEqualTo(Main.BAD_CONFIGURATION).isEqualTo(2);
        assertThat(cutover.err().strip()).isEqualTo("hub: no migration of application 'simpeg' in [" + routes + "]; applications there: arsip");

        HubCli.Result report = hub("report", "simpeg");
        assertThat(report.exit()).isEqualTo(Main.BAD_CONFIGURATION);
        assertThat(report.err().strip()).startsWith("hub: no application 'simpeg' in the ledger of ").doesNotContain("\n", "Exception");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        HubCli.Result run = hub("run", "--once", empty.toString());
        assertThat(run.exit()).isEqualTo(Main.BAD_CONFIGURATION);
        assertThat(run.err().strip()).startsWith("hub: no migration loaded from [" + empty + "]: nothing to run")
                .doesNotContain("\n", "Exception");
        assertThat(run.out()).doesNotContain("VERIFIED");
    }
}

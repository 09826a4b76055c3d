package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags.Flag;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.files.FilesTestSupport;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.mail.MailSamples;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hub plan} on real sources: a PostgreSQL database with two tables, a local folder, a GreenMail IMAP account.
 * It counts what each would move and creates, writes and records nothing; after a real run it shows what is verified.
 */
class PlanCommandTest {

    @RegisterExtension
    static GreenMailExtension mailSource = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());
    @RegisterExtension
    static GreenMailExtension mailTarget = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    Path dir;
    Path dataDir;
    Path config;
    Path uploads;
    Path filesTarget;
    String sourceDb;
    String targetDb;
    final Map<String, String> routes = new LinkedHashMap<>();

    @BeforeEach
    void sources() throws Exception {
        dataDir = dir.resolve("data");
        sourceDb = TestDatabases.uniqueName("plan_src");
        targetDb = TestDatabases.uniqueName("plan_tgt");
        TestDatabases.createPostgres(sourceDb);
        TestDatabases.createPostgres(targetDb);
        try (Connection c = TestDatabases.postgres(sourceDb)) {
            TestDatabases.execute(c, "CREATE TABLE kantor (id SERIAL PRIMARY KEY, nama TEXT NOT NULL)",
                    "INSERT INTO kantor (nama) VALUES ('Pusat'), ('Wilayah I'), ('Wilayah II')",
                    "CREATE TABLE surat (id BIGINT PRIMARY KEY, kantor_id INT REFERENCES kantor (id), isi TEXT)",
                    "INSERT INTO surat SELECT g, 1 + g % 3, repeat('isi surat ', 10) FROM generate_series(1, 120) g",
                    "ANALYZE");
        }
        config = Files.writeString(dir.resolve("plan.yaml"), "hub:\n  datasources:\n"
                + "    plan-src:\n      url: " + TestDatabases.postgresUrl(sourceDb) + "\n      username: postgres\n"
                + "    plan-tgt:\n      url: " + TestDatabases.postgresUrl(targetDb) + "\n      username: postgres\n");

        uploads = dir.resolve("uploads");
        FilesTestSupport.write(uploads.resolve("surat masuk/2024/a.txt"), "x".repeat(1000));
        FilesTestSupport.write(uploads.resolve("surat masuk/b.txt"), "y".repeat(500));
        FilesTestSupport.write(uploads.resolve("surat masuk/sementara.tmp"), "excluded by the glob");
        FilesTestSupport.write(uploads.resolve("foto/c.jpg"), "z".repeat(2000));
        FilesTestSupport.write(uploads.resolve("readme.txt"), "hello");
        filesTarget = dir.resolve("pdn-files");

        mailSource.setUser("alice@dinas.go.id", "alice", "alice-src");
        mailTarget.setUser("alice@pdn.go.id", "alice@pdn", "alice-tgt");
        Path accounts = MailSamples.accountsFile(dir.resolve("accounts"), List.<String[]>of(
                new String[] {"alice", "alice-src", "alice@pdn", "alice-tgt"}));
        try (ImapTestClient alice = mailClient()) {
            alice.append("INBOX", MailSamples.plain("m1", "Rapat", "Agenda rapat"), MailSamples.flags(Flag.SEEN), MailSamples.day(1));
            alice.append("INBOX", MailSamples.plain("m2", "Cuti", "Permohonan cuti"), MailSamples.flags(), MailSamples.day(2));
            alice.append("INBOX", MailSamples.plain("m3", "Laporan", "Laporan bulanan"), MailSamples.flags(), MailSamples.day(3));
            alice.append("Archive", MailSamples.plain("a1", "Arsip", "arsip lama"), MailSamples.flags(Flag.SEEN), MailSamples.day(4));
        }

        routes.put("db.yaml", TestHub.dbRoute("plan-db", "plan-app", "plan-src", "plan-tgt", Map.of("chunkSize", "50")));
        routes.put("files.yaml", FilesTestSupport.route("plan-files", Map.of("application", "plan-app",
                "source", "file:" + uploads, "target", "file:" + filesTarget, "exclude", "*.tmp")));
        routes.put("mail.yaml", MailSamples.route("plan-mail", imapUrl(mailSource.getImap().getPort()),
                imapUrl(mailTarget.getImap().getPort()), accounts, "        uidRangeSize: \"2\"\n"));
        for (Map.Entry<String, String> route : routes.entrySet()) {
            FilesTestSupport.write(dataDir.resolve("routes").resolve(route.getKey()), route.getValue());
        }
    }

    @AfterEach
    void dropDatabases() throws Exception {
        TestDatabases.dropPostgres(sourceDb);
        TestDatabases.dropPostgres(targetDb);
    }

    @Test
    void countsWhatEachMigrationWouldMoveAndChangesNothing() throws Exception {
        HubCli.Result text = plan();
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Dry run: nothing was created, written or recorded.")
                .containsPattern("plan-db\\s+\\[plan-app, db\\]")
                .containsPattern("surat\\s+3\\s+120\\s")
                .containsPattern("kantor\\s+1\\s+3\\s")
                .containsPattern("surat masuk/\\s+2\\s+2\\s+1\\.5 KiB\\s+0\\s+2\\s+1\\.5 KiB")
                .containsPattern("alice INBOX\\s+2\\s+3\\s")
                .contains("at 110,000 rows/s, default rates (README benchmark)", "at 600 messages/s, default rates")
                .containsPattern("Total: 3 migrations; to copy 4 files \\(3\\.4 KiB\\), 4 messages \\(.+\\), 123 rows \\(.+\\); estimated");

        JsonNode plan = json(plan("--json"));
        JsonNode db = migration(plan, "plan-db");
        assertThat(group(db, "surat").at("/source/units").asLong()).isEqualTo(120);
        assertThat(group(db, "surat").at("/source/items").asLong()).as("chunks of 50 rows").isEqualTo(3);
        assertThat(group(db, "surat").at("/source/bytes").asLong()).as("PostgreSQL's table size").isPositive();
        assertThat(db.at("/total/toCopy/units").asLong()).isEqualTo(123);
        assertThat(db.at("/estimate/basis").asText()).isEqualTo("default rates (README benchmark)");

        JsonNode files = migration(plan, "plan-files");
        assertThat(group(files, "surat masuk/").at("/source/units").asLong()).as("the .tmp file is excluded").isEqualTo(2);
        assertThat(group(files, "surat masuk/").at("/source/bytes").asLong()).isEqualTo(1500);
        assertThat(group(files, "foto/").at("/source/bytes").asLong()).isEqualTo(2000);
        assertThat(group(files, "(top folder)").at("/source/units").asLong()).isEqualTo(1);
        assertThat(files.at("/total/toCopy/bytes").asLong()).isEqualTo(3505);
        assertThat(files.at("/estimate/seconds").asDouble()).isPositive();

        JsonNode mail = migration(plan, "plan-mail");
        assertThat(group(mail, "alice INBOX").at("/source/units").asLong()).isEqualTo(3);
        assertThat(group(mail, "alice INBOX").at("/source/items").asLong()).as("UID ranges of 2").isEqualTo(2);
        assertThat(group(mail, "alice INBOX").at("/source/bytes").asLong()).isPositive();
        assertThat(group(mail, "alice Archive").at("/source/units").asLong()).isEqualTo(1);
        assertThat(plan.get("errors")).isEmpty();

        // nothing happened anywhere
        try (Connection target = TestDatabases.postgres(targetDb)) {
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                    .as("tables on the target").isZero();
        }
        assertThat(Files.exists(filesTarget)).as("the files target folder").isFalse();
        try (ImapTestClient to = new ImapTestClient("127.0.0.1", mailTarget.getImap().getPort(), "alice@pdn", "alice-tgt")) {
            assertThat(to.exists("Archive")).isFalse();
            assertThat(to.messages("INBOX")).isEmpty();
        }
        try (Connection ledger = ledger()) {
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_item")).isZero();
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_migration")).isZero();
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_run")).isZero();
        }
    }

    @Test
    void afterARealRunShowsWhatIsVerifiedAndOnlyTheNewAsToCopy() throws Exception {
        TestHub.Builder builder = TestHub.builder(dataDir).datasource("plan-src", TestDatabases.postgresUrl(sourceDb), "postgres")
                .datasource("plan-tgt", TestDatabases.postgresUrl(targetDb), "postgres");
        for (Map.Entry<String, String> route : routes.entrySet()) {
            builder.route(route.getKey(), route.getValue());
        }
        try (TestHub hub = builder.start()) {
            for (String migration : List.of("plan-db", "plan-files", "plan-mail")) {
                assertThat(hub.run(migration).state()).as(migration).isEqualTo(RunState.SUCCEEDED);
            }
        }
        // what arrives before the next nightly run
        try (Connection c = TestDatabases.postgres(sourceDb)) {
            TestDatabases.execute(c, "INSERT INTO surat VALUES (121, 1, 'baru')");
        }
        FilesTestSupport.write(uploads.resolve("foto/d.jpg"), "n".repeat(300));
        try (ImapTestClient alice = mailClient()) {
            alice.append("INBOX", MailSamples.plain("m4", "Baru", "pesan baru"), MailSamples.flags(), MailSamples.day(5));
        }

        HubCli.Result printed = plan("--json");
        assertThat(printed.exit()).as(printed.err()).isZero();
        JsonNode plan = json(printed);
        JsonNode db = migration(plan, "plan-db");
        assertThat(group(db, "surat").at("/verified/units").asLong()).isEqualTo(120);
        assertThat(group(db, "surat").at("/toCopy/units").asLong()).isEqualTo(1);
        assertThat(group(db, "kantor").at("/toCopy/units").asLong()).isZero();
        assertThat(db.at("/estimate/basis").asText()).startsWith("measured: this migration's 1 latest runs (123 rows in ");

        JsonNode files = migration(plan, "plan-files");
        assertThat(files.at("/total/verified/units").asLong()).isEqualTo(4);
        assertThat(files.at("/total/verified/bytes").asLong()).isEqualTo(3505);
        assertThat(group(files, "foto/").at("/toCopy/units").asLong()).as("only the new file").isEqualTo(1);
        assertThat(files.at("/total/toCopy/bytes").asLong()).isEqualTo(300);

        JsonNode mail = migration(plan, "plan-mail");
        assertThat(group(mail, "alice INBOX").at("/source/units").asLong()).isEqualTo(4);
        assertThat(group(mail, "alice INBOX").at("/verified/units").asLong()).isEqualTo(3);
        assertThat(group(mail, "alice INBOX").at("/toCopy/units").asLong()).isEqualTo(1);
        assertThat(group(mail, "alice Archive").at("/toCopy/units").asLong()).isZero();
        assertThat(mail.at("/estimate/basis").asText()).startsWith("measured: this migration's 1 latest runs (4 messages in ");

        try (Connection ledger = ledger()) {
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_run")).as("the plan recorded no run").isEqualTo(3);
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_item WHERE status <> 'VERIFIED'")).isZero();
        }
        assertThat(Files.exists(filesTarget.resolve("foto/d.jpg"))).isFalse();
    }

    @Test
    void aSourceThatCannotBeReachedExitsTwoAndTheOthersAreStillSurveyed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path accounts = dir.resolve("accounts/accounts.csv");
        FilesTestSupport.write(dataDir.resolve("routes/mail.yaml"), MailSamples.route("plan-mail", imapUrl(closed),
                imapUrl(mailTarget.getImap().getPort()), accounts, ""));
        HubCli.Result printed = plan();
        assertThat(printed.exit()).isEqualTo(2);
        assertThat(printed.err().strip().lines()).singleElement().asString()
                .startsWith("hub plan: Cannot survey migration plan-mail (")
                .contains("mail.yaml", "Cannot connect to", String.valueOf(closed))
                .doesNotContain("alice-src");
        assertThat(printed.out()).contains("CANNOT SURVEY").containsPattern("surat\\s+3\\s+120\\s")
                .containsPattern("foto/\\s+1\\s+1\\s");
    }

    // ---- helpers

    private HubCli.Result plan(String... options) {
        return HubCli.run(Stream.concat(Stream.of("-c", config.toString(), "--data-dir", dataDir.toString(), "plan"),
                Stream.concat(Stream.of(options), Stream.of(dataDir.resolve("routes").toString()))).toArray(String[]::new));
    }

    private static JsonNode json(HubCli.Result printed) throws Exception {
        assertThat(printed.exit()).as(printed.err()).isZero();
        return new ObjectMapper().readTree(printed.out());
    }

    private static JsonNode migration(JsonNode plan, String name) {
        for (JsonNode m : plan.get("migrations")) {
            if (m.get("migration").asText().equals(name)) {
                assertThat(m.has("error")).as(m.path("error").asText()).isFalse();
                return m;
            }
        }
        throw new AssertionError("no migration " + name + " in " + plan);
    }

    private static JsonNode group(JsonNode migration, String name) {
        for (JsonNode g : migration.get("groups")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + migration);
    }

    private Connection ledger() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE", "sa",
                java.nio.file.Files.readString(dataDir.resolve("ledger/ledger.password")).strip());
    }

    private static ImapTestClient mailClient() throws Exception {
        return new ImapTestClient("127.0.0.1", mailSource.getImap().getPort(), "alice", "alice-src");
    }

    private static String imapUrl(int port) {
        return "imap://127.0.0.1:" + port + "?plain=true";
    }
}

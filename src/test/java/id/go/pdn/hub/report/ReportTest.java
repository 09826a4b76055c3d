package id.go.pdn.hub.report;

import id.go.pdn.hub.core.Redaction;
import id.go.pdn.hub.core.options.OptionCatalog;
import id.go.pdn.hub.files.FilesOptions;
import id.go.pdn.hub.support.HubCli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.files.EmbeddedSftpServer;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `hub report`: real migrations, then the report's JSON and HTML read back: verdict, groups, what is missing, no secret. */
public class ReportTest {

    private static final String SOURCE_DB_PASSWORD = "Src-Db-Pw-4711";
    private static final String SFTP_PASSWORD = "Sftp-Pw-0815";
    private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt";

    @TempDir
    Path dir;

    /**
     * Runs `hub demo` into the folder and copies the demo's route files beside it; returns the demo's data folder, which
     * holds hub-demo.yaml: the settings (ports, datasources) the routes' placeholders need, see {@link #demoConfig}.
     */
    public static Path demo(Path dir) throws Exception {
        assertThat(HubCli.run("--data-dir", dir.toString(), "demo").exit()).as("hub demo").isZero();
        Path routes = Files.createDirectories(dir.resolve("demo-routes"));
        for (String name : List.of("demo-db.yaml", "demo-files.yaml", "demo-mail.yaml")) {
            try (InputStream in = ReportTest.class.getResourceAsStream("/demo/" + name)) {
                Files.copy(in, routes.resolve(name));
            }
        }
        return dir.resolve("demo");
    }

    /** The settings the demo wrote for other commands (its routes' placeholders: ports, datasources, known hosts). */
    public static String demoConfig(Path demo) {
        return demo.resolve("hub-demo.yaml").toString();
    }

    @Test
    void demoApplicationIsCompleteAndVerifiedWithEveryGroup() throws Exception {
        Path demo = demo(dir);
        HubCli.Result report = HubCli.run("--data-dir", demo.toString(), "-c", demoConfig(demo), "report", "simpeg", "--routes",
                dir.resolve("demo-routes").toString());
        assertThat(report.exit()).isZero();
        assertThat(report.out()).contains("simpeg: COMPLETE AND VERIFIED (3 migrations, 3 runs)", "report.html");

        Path folder = demo.resolve("reports/simpeg");
        JsonNode json = new ObjectMapper().readTree(folder.resolve("report.json").toFile());
        assertThat(json.at("/verdict/text").asText()).isEqualTo("COMPLETE AND VERIFIED");
        assertThat(json.at("/verdict/verified").asBoolean()).isTrue();
        assertThat(json.at("/verdict/missing")).isEmpty();
        assertThat(json.at("/timeZone").asText()).isEqualTo("Asia/Jakarta");
        assertThat(json.at("/generatedAt").asText()).endsWith("+07:00");
        assertThat(json.at("/hubVersion").asText()).startsWith("Migration Hub");
        List<String> names = new ArrayList<>();
        json.get("migrations").forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactly("simpeg-db", "simpeg-files", "simpeg-mail");
        assertThat(json.get("runs")).hasSize(3);
        assertThat(json.get("deadLetterSource").asText()).isEqualTo("ledger");

        JsonNode db = json.at("/migrations/0");
        assertThat(db.get("finished").asBoolean()).isTrue();
        assertThat(db.get("units").asLong()).isEqualTo(12_345);
        JsonNode pegawai = group(db, "PEGAWAI");
        assertThat(pegawai.get("units").asLong()).isEqualTo(8000);
        assertThat(pegawai.get("itemsVerified").asInt()).isEqualTo(8);
        assertThat(pegawai.get("itemsTotal").asInt()).isEqualTo(8);
        assertThat(pegawai.get("checksumsCompared").asInt()).isEqualTo(8);
        assertThat(pegawai.get("checksumsAgreeing").asInt()).isEqualTo(8);
        assertThat(pegawai.get("comparedSince").asText()).as("when both sides were last found equal, hub time zone").endsWith("+07:00");
        assertThat(db.at("/parameters/source").asText()).isEqualTo("demo-simpeg-local");
        assertThat(db.at("/parameters/sourceDatabase").asText()).as("the demo's datasource, from hub-demo.yaml, without its settings")
                .startsWith("jdbc:h2:").doesNotContain(";");

        JsonNode files = json.at("/migrations/1");
        assertThat(group(files, "surat masuk/").get("units").asLong()).isEqualTo(300);
        // read by Camel with the demo's settings: its placeholders resolved, the user left out of the URL
        assertThat(files.at("/parameters/source").asText()).as("no user in a URL").matches("sftp://127\\.0\\.0\\.1:\\d+/uploads");
        assertThat(files.get("parameters").has("password")).isFalse();
        assertThat(files.get("parameters").has("knownHostsFile")).isFalse();

        JsonNode mail = json.at("/migrations/2");
        assertThat(mail.get("units").asLong()).isEqualTo(27);
        assertThat(mail.get("unit").asText()).isEqualTo("messages");
        assertThat(mail.get("groups")).allSatisfy(g -> assertThat(g.get("itemsVerified")).isEqualTo(g.get("itemsTotal")));

        String html = Files.readString(folder.resolve("report.html"));
        assertThat(html).contains("COMPLETE AND VERIFIED", "Migration report: simpeg", "PEGAWAI", "surat masuk/", "all compared since");
        assertThat(html.split("<svg", -1)).as("an items and a volume chart per migration, a time line, a throughput chart").hasSize(1 + 3 * 2 + 2);
        assertThat(html).as("self-contained").doesNotContain("<script", "<link", " src=", "url(");
    }

    @Test
    void missingWorkIsNamedAndNoSecretReachesTheReport() throws Exception {
        // an H2 source with a password, a folder with a hostile file name into an SFTP server with a password
        Path sourceDb = dir.resolve("source-db");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + sourceDb, "app", SOURCE_DB_PASSWORD)) {
            TestDatabases.execute(c, "CREATE TABLE surat (id INT PRIMARY KEY, perihal VARCHAR(100))");
            TestDatabases.execute(c, "INSERT INTO surat SELECT x, 'perihal ' || x FROM SYSTEM_RANGE(1, 250)");
            TestDatabases.execute(c, "CREATE TABLE lampiran (id INT PRIMARY KEY, nama VARCHAR(100))");
            TestDatabases.execute(c, "INSERT INTO lampiran SELECT x, 'lampiran ' || x FROM SYSTEM_RANGE(1, 40)");
        }
        Path uploads = Files.createDirectories(dir.resolve("uploads/arsip 2024"));
        Files.writeString(uploads.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("uploads").resolve(HOSTILE_NAME), "hostile");
        Path data = dir.resolve("hub");
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                hub:
                  datasources:
                    arsip-source:
                      url: "jdbc:h2:file:%s"
                      username: app
                      password: "%s"
                    arsip-target:
                      url: "jdbc:h2:file:%s"
                      username: sa
                """.formatted(sourceDb, SOURCE_DB_PASSWORD, dir.resolve("target-db")));
        try (EmbeddedSftpServer target = EmbeddedSftpServer.start(dir.resolve("sftp"), "pdn", SFTP_PASSWORD)) {
            Path knownHosts = target.appendKnownHost(dir.resolve("known_hosts"));
            Map<String, String> files = new LinkedHashMap<>();
            files.put("application", "arsip");
            files.put("source", "file:" + dir.resolve("uploads"));
            files.put("target", "sftp://pdn@127.0.0.1:" + target.port() + "/arsip");
            files.put("password", SFTP_PASSWORD); // written inline on purpose: the report must still leave it out
            files.put("knownHostsFile", knownHosts.toString());
            StringBuilder filesRoute = new StringBuilder("- route:\n    id: arsip-files\n    from:\n      uri: migration:files\n      parameters:\n");
            files.forEach((k, v) -> filesRoute.append("        ").append(k).append(": \"").append(v).append("\"\n"));
            filesRoute.append("      steps:\n        - log: \"${body}\"\n");
            try (TestHub hub = TestHub.builder(data)
                    .property("spring.config.additional-location", "file:" + config)
                    .route("arsip-db.yaml", TestHub.dbRoute("arsip-db", "arsip", "arsip-source", "arsip-target", Map.of("chunkSize", "100")))
                    .route("arsip-files.yaml", filesRoute.toString())
                    .start()) {
                assertThat(hub.run("arsip-db").succeeded()).isTrue();
                assertThat(hub.run("arsip-files").succeeded()).isTrue();
            }
        }
        // what the report must find: a dead chunk, a finishing step not done, a failed file whose error holds
        // secrets, a migration never run
        try (Connection ledger = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE", "sa",
                java.nio.file.Files.readString(data.resolve("ledger/ledger.password")).strip())) {
            assertThat(update(ledger, "UPDATE hub_item SET status = 'DEAD', last_error = 'connection reset' "
                    + "WHERE migration = 'arsip-db' AND item_key LIKE 'SURAT %[start,%'")).isEqualTo(1);
            assertThat(update(ledger, "UPDATE hub_migration SET plan_state = 'PLANNED' WHERE name = 'arsip-db'")).isEqualTo(1);
            assertThat(update(ledger, "UPDATE hub_item SET status = 'FAILED', last_error = 'Cannot write to "
                    + "sftp://pdn:" + SFTP_PASSWORD + "@127.0.0.1/arsip: refused; password=" + SFTP_PASSWORD + "' "
                    + "WHERE migration = 'arsip-files' AND item_key = '" + HOSTILE_NAME + "'")).isEqualTo(1);
        }
        Path declaredOnly = Files.createDirectories(dir.resolve("more-routes")).resolve("arsip-mail.yaml");
        Files.writeString(declaredOnly, """
                - route:
                    id: arsip-mail
                    from:
                      uri: migration:mail
                      parameters:
                        application: arsip
                        source: "imaps://admin:%s@mail.arsip.example.go.id:993"
                        target: imaps://mail.pdn.example.go.id:993
                        accounts: "%s"
                      steps:
                        - log: "${body}"
                """.formatted(SFTP_PASSWORD, Files.writeString(dir.resolve("accounts.csv"), "budi,budi@pdn,file:" + Files.writeString(dir.resolve("a.secret"), "a")
                        + ",file:" + Files.writeString(dir.resolve("b.secret"), "b") + "\n")));

        Path out = dir.resolve("out");
        HubCli.Result report = HubCli.run("--data-dir", data.toString(), "-c", config.toString(), "report", "arsip", "--output", out.toString(),
                "--port", "0", // the ledger's DEAD items, not whatever broker answers on 61617 (another hub on this machine)
                "--routes", data.resolve("routes") + "," + dir.resolve("more-routes"));
        assertThat(report.exit()).isEqualTo(Main.NOT_VERIFIED);
        assertThat(report.out()).contains("arsip: NOT VERIFIED",
                "missing: arsip-db: 1 of 4 items not verified (1 DEAD)",
                "missing: arsip-files: 1 of 2 items not verified (1 FAILED)",
                "missing: arsip-mail (declared in " + declaredOnly + "): never run");

        String jsonText = Files.readString(out.resolve("report.json"));
        String html = Files.readString(out.resolve("report.html"));
        for (String text : List.of(jsonText, html)) {
            assertThat(text).doesNotContain(SOURCE_DB_PASSWORD, SFTP_PASSWORD, "pdn@", "admin@", "known_hosts");
        }
        JsonNode json = new ObjectMapper().readTree(jsonText);
        assertThat(json.at("/verdict/text").asText()).isEqualTo("NOT VERIFIED");
        List<String> missing = new ArrayList<>();
        json.at("/verdict/missing").forEach(m -> missing.add(m.asText()));
        assertThat(missing).hasSize(4).contains("arsip-db: finishing step not done (indexes, foreign keys and identity "
                + "counters); it runs once every item is verified");
        JsonNode db = json.at("/migrations/0");
        assertThat(db.at("/parameters/sourceDatabase").asText()).isEqualTo("jdbc:h2:file:" + sourceDb);
        assertThat(group(db, "SURAT").get("itemsVerified").asInt()).isEqualTo(2);
        assertThat(group(db, "SURAT").get("itemsTotal").asInt()).isEqualTo(3);
        assertThat(db.at("/deadLetters/0/item").asText()).startsWith("SURAT ").contains("[start, ");
        JsonNode filesReport = json.at("/migrations/1");
        assertThat(filesReport.at("/parameters/target").asText()).startsWith("sftp://127.0.0.1:");
        assertThat(filesReport.at("/unverifiedItems/0/item").asText()).isEqualTo(HOSTILE_NAME);
        assertThat(filesReport.at("/unverifiedItems/0/error").asText()).isEqualTo("Cannot write to sftp://127.0.0.1/arsip: refused; password=***");
        assertThat(json.at("/migrations/2/parameters/source").asText()).isEqualTo("imaps://mail.arsip.example.go.id:993");

        assertThat(html).contains("NOT VERIFIED", "never run", "&lt;img src=x onerror=alert(1)&gt;.txt").doesNotContain("<img");
    }

    @Test
    void redactionKeepsPlacesAndDropsSecrets() {
        assertThat(Redaction.location("sftp://user:pw@host.example:22/a/b?password=x")).isEqualTo("sftp://host.example:22/a/b");
        assertThat(Redaction.location("jdbc:postgresql://db.example:5432/simpeg?user=u&password=p")).isEqualTo("jdbc:postgresql://db.example:5432/simpeg");
        assertThat(Redaction.location("jdbc:h2:file:/srv/x;PASSWORD=p;MODE=Regular")).isEqualTo("jdbc:h2:file:/srv/x");
        assertThat(Redaction.location("jdbc:mysql://u:p@10.1.2.3/db")).isEqualTo("jdbc:mysql://10.1.2.3/db");
        assertThat(Redaction.location("simpeg-mariadb")).isEqualTo("simpeg-mariadb");
        // only declared options not marked secret: the files kind declares password, privateKeyPassphrase and sourcePassword
        // as secrets, and neither apiToken nor whatever
        assertThat(Redaction.safeParameters(Map.of("source", "a", "password", "p", "privateKeyPassphrase", "q", "sourcePassword", "r",
                "apiToken", "t", "whatever", "w", "include", "*"), OptionCatalog.of(FilesOptions.class))).containsOnlyKeys("source", "include");
        assertThat(Redaction.text("login failed for imap://u:secret@h/INBOX, token: abc123 secret=xyz"))
                .isEqualTo("login failed for imap://h/INBOX, token: *** secret=***");
    }

    private static int update(Connection connection, String sql) throws java.sql.SQLException {
        try (var statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static JsonNode group(JsonNode migration, String name) {
        for (JsonNode g : migration.get("groups")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + migration.get("groups"));
    }
}

package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hub run} with bad inputs: each exits 2 with one clear line naming the migration, its route file and line,
 * the endpoint, the cause and the fix; prints no stack trace; and leaves the data folder untouched (no ledger, no queue
 * journal).
 */
class PreflightTest {

    @TempDir
    Path dir;

    Path dataDir() {
        return dir.resolve("data");
    }

    private HubCli.Result run(String route, String config) throws Exception {
        Path routeFile = Files.writeString(dir.resolve("preflight-route.yaml"), route);
        Path configFile = Files.writeString(dir.resolve("preflight-config.yaml"), config == null ? "hub: {}\n" : config);
        return HubCli.run("run", "--once", "--data-dir", dataDir().toString(), "-c", configFile.toString(), routeFile.toString());
    }

    /** Exit 2, the error's one line (plus continuation lines for more problems), no stack trace, no data folder. */
    private String refused(HubCli.Result result) {
        assertThat(result.exit()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(dataDir()).as("the data folder is not created").doesNotExist();
        String line = result.err().lines().filter(l -> l.startsWith("hub: ")).findFirst().orElseThrow();
        System.out.println("REFUSED> " + line);
        return line;
    }

    private String filesRoute(String source, String target, String extra) {
        return "- route:\n    id: preflight-files\n    from:\n      uri: migration:files\n      parameters:\n"
                + "        application: preflight\n        source: \"" + source + "\"\n        target: \"" + target + "\"\n"
                + extra + "      steps:\n        - log: \"${body}\"\n";
    }

    @Test
    void aTypoInAnOptionExits2WithASuggestion() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        String line = refused(run(filesRoute("file:" + dir.resolve("src"), "file:" + dir.resolve("dst"),
                "        paralelism: 2\n"), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "paralelism", "did you mean 'parallelism'");
    }

    @Test
    void aBadCronNamesTheRouteFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        String line = refused(run(filesRoute("file:" + dir.resolve("src"), "file:" + dir.resolve("dst"),
                "        cron: \"0 0 25 * * *\"\n"), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "cron");
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String line = refused(run(filesRoute("sftp://hub@127.0.0.1:" + port + "/data", "file:" + dir.resolve("dst"),
                "        password: secret\n        strictHostKeyChecking: false\n"), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "127.0.0.1:" + port, "connection refused");
    }

    @Test
    void anUnknownHostIsSaid() throws Exception {
        String line = refused(run(filesRoute("sftp://hub@no-such-host.invalid:22/data", "file:" + dir.resolve("dst"),
                "        password: secret\n        strictHostKeyChecking: false\n"), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "no-such-host.invalid:22", "hub@", "unknown host");
    }

    @Test
    void aReadOnlyTargetFolderIsSaidWithThePathAndTheFix() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Path target;
        if ("root".equals(System.getProperty("user.name"))) {
            target = Path.of("/sys/fs/hub-preflight-target"); // root writes anywhere but in a read-only file system
        } else {
            target = Files.createDirectories(dir.resolve("read-only"));
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        String line = refused(run(filesRoute("file:" + dir.resolve("src"), "file:" + target, ""), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "target file:" + target, "no write permission",
                "chown/chmod");
    }

    @Test
    void aWrongKeyPassphraseIsSaid() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "the-right-one", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        String line = refused(run(filesRoute("sftp://hub@127.0.0.1:22/data", "file:" + dir.resolve("dst"),
                "        privateKeyFile: " + key + "\n        privateKeyPassphrase: not-the-right-one\n"
                        + "        strictHostKeyChecking: false\n"), null));
        assertThat(line).contains("preflight-files", "preflight-route.yaml:", "sftp://hub@127.0.0.1:22", "wrong key passphrase",
                "privateKeyPassphrase");
    }

    private static String dbRoute() {
        return "- route:\n    id: preflight-db\n    from:\n      uri: migration:db\n      parameters:\n"
                + "        application: preflight\n        source: preflight-src\n        target: preflight-tgt\n"
                + "      steps:\n        - log: \"${body}\"\n";
    }

    private static String datasources(String sourceUrl, String sourceUser, String sourcePassword) {
        return "hub:\n  datasources:\n    preflight-src:\n      url: " + sourceUrl + "\n      username: " + sourceUser
                + "\n      password: \"" + sourcePassword + "\"\n    preflight-tgt:\n      url: "
                + TestDatabases.postgresUrl("test") + "\n      username: postgres\n";
    }

    @Test
    void aWrongDatabasePasswordIsAccessDeniedAtOnce() throws Exception {
        ExternalServers.require(ExternalServers.Server.MARIADB, ExternalServers.Server.POSTGRESQL);
        long started = System.nanoTime();
        String line = refused(run(dbRoute(), datasources(TestDatabases.mariaDbUrl("mysql"), "root", "not-the-password")));
        assertThat(line).contains("preflight-db", "preflight-route.yaml:", "source datasource 'preflight-src'",
                TestDatabases.MARIADB_HOST, "user root", "access denied", "check the user name and the password")
                .doesNotContain("not-the-password").doesNotContain("Connection is not available");
        System.out.println("wrong password refused after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @Test
    void aMissingPostgresDatabaseIsSaid() throws Exception {
        ExternalServers.require(ExternalServers.Server.POSTGRESQL);
        String line = refused(run(dbRoute(), datasources(TestDatabases.postgresUrl("preflight_no_such_db"), "postgres", "")));
        assertThat(line).contains("preflight-db", "preflight_no_such_db", "unknown database");
    }

    @Test
    void anUnsetVariableIsNeverSentAsThePassword() throws Exception {
        ExternalServers.require(ExternalServers.Server.MARIADB, ExternalServers.Server.POSTGRESQL);
        String line = refused(run(dbRoute(), datasources(TestDatabases.mariaDbUrl("mysql"), "root", "${PREFLIGHT_TEST_UNSET_VAR}")));
        assertThat(line).contains("preflight-db", "preflight-route.yaml:", "PREFLIGHT_TEST_UNSET_VAR", "not set");
    }

    @Test
    void aDuplicateMigrationNameNamesBothRouteFiles() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        String route = filesRoute("file:" + dir.resolve("src"), "file:" + dir.resolve("dst"), "");
        Files.writeString(routes.resolve("a.yaml"), route);
        Files.writeString(routes.resolve("b.yaml"), route);
        HubCli.Result result = HubCli.run("run", "--once", "--data-dir", dataDir().toString(), routes.toString());
        String line = refused(result);
        assertThat(line).contains("preflight-files", "b.yaml", "already loaded from", "a.yaml:");
    }
}

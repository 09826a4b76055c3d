package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import id.go.pdn.hub.support.HubCli;
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
}

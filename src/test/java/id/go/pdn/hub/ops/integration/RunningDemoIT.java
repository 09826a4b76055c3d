package id.go.pdn.hub.ops.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's day on the demo: `hub demo --serve` runs as its own process (the packaged jar, -Xmx256m); another
 * command asks it for its status over the management port and surveys its sources with `hub plan`.
 */
class RunningDemoIT {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void statusAndPlanTalkToARunningDemo() throws Exception {
        int port = TestHub.freePort();
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dhub.management.port=" + port, "-jar", jar(), "--data-dir", dir.toString(), "demo", "--serve")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(7)) // a bound, not a timing: a busy machine starts the demo slowly
                   .until(() -> !demo.isAlive() || Files.readString(log).contains("keeps serving"));
            assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
            Path config = dir.resolve("demo/hub-demo.yaml");

            JsonNode status = json.readTree(HubCli.ok("-c", config.toString(), "status", "--json"));
            assertThat(status.path("source").asText()).isEqualTo("hub");
            assertThat(status.path("hub").path("MigrationsLoaded").asInt()).isEqualTo(3);
            assertThat(status.path("migrations")).hasSize(3).allSatisfy(m -> {
                assertThat(m.path("State").asText()).isEqualTo("SUCCEEDED");
                assertThat(m.path("ItemsDone").asInt()).isEqualTo(m.path("ItemsTotal").asInt()).isPositive();
            });

            JsonNode plan = json.readTree(HubCli.ok("-c", config.toString(), "--data-dir", dir.resolve("demo").toString(),
                    "plan", "--json", dir.resolve("demo/routes").toString()));
            assertThat(plan.get("errors")).isEmpty();
            assertThat(plan.get("migrations")).hasSize(3).allSatisfy(m -> {
                assertThat(m.has("error")).as(m.path("error").asText()).isFalse();
                assertThat(m.at("/total/source/units").asLong()).as(m.toString()).isPositive();
                // everything is on the target already: a nightly run would copy nothing
                assertThat(m.at("/total/toCopy/units").asLong()).as(m.toString()).isZero();
            });
            JsonNode db = null;
            for (JsonNode m : plan.get("migrations")) {
                if (m.path("kind").asText().equals("db")) {
                    db = m;
                }
            }
            assertThat(db).isNotNull();
            assertThat(db.toString()).contains("PEGAWAI");
            assertThat(db.at("/total/source/units").asLong()).isEqualTo(db.at("/total/verified/units").asLong());
        } finally {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
            demo.destroyForcibly();
        }
    }

    private static String jar() {
        File jar = new File("target/migration-hub.jar");
        assertThat(jar).as("the packaged hub (mvn package runs before the integration tests)").exists();
        return jar.getAbsolutePath();
    }
}

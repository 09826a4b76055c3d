package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serving hub answers on its management port: Jolokia reads the hub's MBeans, Prometheus scrapes its meters. */
class ManagementPortTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jolokiaAndPrometheusShowTheHubAndItsMigrations() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", "")) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 2500)");
        }
        int port = TestHub.freePort();
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "1000")))
                .serving(port)
                .start()) {
            assertThat(hub.run("izin-db").succeeded()).isTrue();
            String base = "http://127.0.0.1:" + port;

            HttpResponse<String> hubRead = get(base + "/actuator/jolokia/read/hub:type=hub");
            assertThat(hubRead.statusCode()).isEqualTo(200);
            JsonNode value = json.readTree(hubRead.body()).path("value");
            assertThat(value.path("MigrationsLoaded").asInt()).isEqualTo(1);
            assertThat(value.path("WorkersConfigured").asInt()).isEqualTo(8);
            assertThat(value.path("WorkQueueDepth").asLong()).isZero();
            assertThat(value.path("DeadLetterQueueDepth").asLong()).isZero();
            assertThat(value.path("QueueDepthSource").asText()).isEqualTo("embedded broker");
            assertThat(value.path("LedgerUrl").asText()).startsWith("jdbc:h2:file:");

            String prometheus = get(base + "/actuator/prometheus").body();
            assertThat(prometheus).containsPattern("hub_migration_rows\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\"} 2500")
                    .containsPattern("hub_migration_items\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\",status=\"verified\"} 3")
                    .contains("hub_workers{state=\"configured\"} 8");
            assertThat(get(base + "/actuator/health").body()).contains("\"status\":\"UP\"");
            System.out.println(prometheus.lines().filter(l -> l.startsWith("camel")).limit(10).toList());
        }
    }
}

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
import id.go.pdn.hub.support.HubCli;
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

    private HttpResponse<String> post(String url, String body, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
            assertThat(hub.environment().getProperty("local.server.port")).as("no main HTTP server, only the management port").isIn(null, "-1");
            assertThat(hub.environment().getProperty("local.management.port")).isEqualTo(String.valueOf(port));

            HttpResponse<String> hubRead = get(base + "/actuator/jolokia/read/hub:type=hub");
            assertThat(hubRead.statusCode()).isEqualTo(200);
            JsonNode value = json.readTree(hubRead.body()).path("value");
            assertThat(value.path("MigrationsLoaded").asInt()).as(hubRead.body()).isEqualTo(1);
            assertThat(value.path("WorkersConfigured").asInt()).isEqualTo(8);
            assertThat(value.path("WorkQueueDepth").asLong()).isZero();
            assertThat(value.path("DeadLetterQueueDepth").asLong()).isZero();
            assertThat(value.path("QueueDepthSource").asText()).isEqualTo("embedded broker");
            assertThat(value.path("LedgerUrl").asText()).startsWith("jdbc:h2:file:");

            // an operation of a migration runs; the JVM's diagnostic MBeans, writes and other origins are refused
            JsonNode pause = json.readTree(post(base + "/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":"
                    + "\"hub:type=migration,kind=\\\"db\\\",application=\\\"sicantik\\\",name=\\\"izin-db\\\"\",\"operation\":\"pause\"}", null).body());
            assertThat(pause.path("status").asInt()).as(pause.toString()).isEqualTo(200);
            assertThat(pause.path("value").asText()).startsWith("paused");
            assertThat(json.readTree(post(base + "/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":"
                    + "\"hub:type=migration,kind=\\\"db\\\",application=\\\"sicantik\\\",name=\\\"izin-db\\\"\",\"operation\":\"resume\"}", null).body())
                    .path("value").asText()).isEqualTo("resumed");
            JsonNode heapDump = json.readTree(post(base + "/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":"
                    + "\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/x.hprof\",true]}", null).body());
            assertThat(heapDump.path("status").asInt()).as(heapDump.toString()).isEqualTo(403);
            JsonNode diagnostic = json.readTree(get(base + "/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties").body());
            assertThat(diagnostic.path("status").asInt()).as(diagnostic.toString()).isEqualTo(403);
            JsonNode arguments = json.readTree(get(base + "/actuator/jolokia/read/java.lang:type=Runtime/InputArguments").body());
            assertThat(arguments.path("status").asInt()).as(arguments.toString()).isEqualTo(403);
            JsonNode write = json.readTree(get(base + "/actuator/jolokia/write/java.lang:type=Memory/Verbose/true").body());
            assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);
            HttpResponse<String> foreign = post(base + "/actuator/jolokia", "{\"type\":\"read\",\"mbean\":\"hub:type=hub\"}",
                    "https://evil.example");
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            HttpResponse<String> imageFromAnotherSite = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/actuator/jolokia/exec/hub:type=migration,kind=%22db%22,application=%22sicantik%22,name=%22izin-db%22/pause"))
                    .header("Sec-Fetch-Site", "cross-site").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(imageFromAnotherSite.statusCode()).isEqualTo(403);
            HttpResponse<String> sameOrigin = post(base + "/actuator/jolokia", "{\"type\":\"read\",\"mbean\":\"hub:type=hub\"}", base);
            assertThat(json.readTree(sameOrigin.body()).path("status").asInt()).as(sameOrigin.body()).isEqualTo(200);

            String prometheus = get(base + "/actuator/prometheus").body();
            assertThat(prometheus).containsPattern("hub_migration_rows\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\"} 2500")
                    .containsPattern("hub_migration_items\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\",status=\"verified\"} 3")
                    .contains("hub_workers{state=\"configured\"} 8");
            assertThat(get(base + "/actuator/health").body()).contains("\"status\":\"UP\"");
            assertThat(prometheus).containsPattern("camel_exchanges_total\\{.*routeId=\"hub-worker\"} 3");

            // `hub status --json` reads the same attributes through Jolokia
            String printed = HubCli.ok("status", "--json", "--url", base);
            JsonNode status = json.readTree(printed);
            assertThat(status.path("source").asText()).isEqualTo("hub");
            assertThat(status.path("hub").path("MigrationsLoaded").asInt()).isEqualTo(1);
            JsonNode migration = status.path("migrations").get(0);
            assertThat(migration.path("Name").asText()).isEqualTo("izin-db");
            assertThat(migration.path("Application").asText()).isEqualTo("sicantik");
            assertThat(migration.path("State").asText()).isEqualTo("SUCCEEDED");
            assertThat(migration.path("ItemsDone").asInt()).isEqualTo(3);
            assertThat(migration.path("ItemsTotal").asInt()).isEqualTo(3);
            assertThat(migration.path("Rows").asLong()).isEqualTo(2500);

            // the table once, as an operator sees it
            String table = HubCli.ok("status", "--once", "--url", base);
            assertThat(table).containsPattern("izin-db\\s+sicantik\\s+db\\s+SUCCEEDED\\s+\\[#{24}] 100%\\s+3/3\\s+2,500 rows\\s+done");
        }
        // no hub answers any more: one line, then the ledger
        String fallback = HubCli.ok("--data-dir", dir.toString(), "status", "--url", "http://127.0.0.1:" + port);
        assertThat(fallback).contains("no hub answers at http://127.0.0.1:" + port)
                .containsPattern("izin-db\\s+sicantik\\s+db\\s+3/3\\s+0\\s+0\\s+2,500");
    }

    @Test
    void aHubThatDoesNotServeOpensNoPort() throws Exception {
        int managementPort = TestHub.freePort();
        int jmxPort = TestHub.freePort();
        try (TestHub hub = TestHub.builder(dir) // as `run --once`, `status`, `demo` without --serve start it
                .property("hub.management.port", String.valueOf(managementPort))
                .property("hub.jmx.remote.port", String.valueOf(jmxPort))
                .property("hub.jmx.remote.username", "operator")
                .property("hub.jmx.remote.password", "rahasia")
                .start()) {
            assertThat(hub.environment().getProperty("local.management.port")).isNull();
            assertThat(hub.environment().getProperty("spring.main.web-application-type")).isEqualTo("none");
            assertThat(hub.beans(RemoteJmxServer.class)).isEmpty();
            for (int port : new int[] {managementPort, jmxPort}) {
                try (java.net.ServerSocket stillFree = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    assertThat(stillFree.getLocalPort()).isEqualTo(port);
                }
            }
        }
    }

}

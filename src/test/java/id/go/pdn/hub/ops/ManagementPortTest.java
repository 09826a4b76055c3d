package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

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

    private final ObjectMapper json = new ObjectMapper();

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

            ManagementHttp viewer = ManagementHttp.generated(base, dir, ManagementRole.VIEWER);
            ManagementHttp operator = ManagementHttp.generated(base, dir, ManagementRole.OPERATOR);
            HttpResponse<String> hubRead = viewer.get("/actuator/jolokia/read/hub:type=hub");
            assertThat(hubRead.statusCode()).isEqualTo(200);
            JsonNode value = json.readTree(hubRead.body()).path("value");
            assertThat(value.path("MigrationsLoaded").asInt()).as(hubRead.body()).isEqualTo(1);
            assertThat(value.path("WorkersConfigured").asInt()).isEqualTo(8);
            assertThat(value.path("WorkQueueDepth").asLong()).isZero();
            assertThat(value.path("DeadLetterQueueDepth").asLong()).isZero();
            assertThat(value.path("QueueDepthSource").asText()).isEqualTo("embedded broker");
            assertThat(value.path("LedgerUrl").asText()).startsWith("jdbc:h2:file:");

            // an operator pauses and resumes a migration (the attacks: ManagementSecurityTest)
            String izin = "hub:type=migration,kind=\"db\",application=\"sicantik\",name=\"izin-db\"";
            JsonNode pause = operator.jolokia(ManagementHttp.exec(izin, "pause"));
            assertThat(pause.path("status").asInt()).as(pause.toString()).isEqualTo(200);
            assertThat(pause.path("value").asText()).startsWith("paused");
            assertThat(operator.jolokia(ManagementHttp.exec(izin, "resume")).path("value").asText()).isEqualTo("resumed");
            HttpResponse<String> sameOrigin = viewer.post("/actuator/jolokia", "application/json",
                    "{\"type\":\"read\",\"mbean\":\"hub:type=hub\"}", "Origin", base);
            assertThat(json.readTree(sameOrigin.body()).path("status").asInt()).as(sameOrigin.body()).isEqualTo(200);

            String prometheus = viewer.get("/actuator/prometheus").body();
            assertThat(prometheus).containsPattern("hub_migration_rows\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\"} 2500")
                    .containsPattern("hub_migration_items\\{application=\"sicantik\",kind=\"db\",migration=\"izin-db\",status=\"verified\"} 3")
                    .contains("hub_workers{state=\"configured\"} 8");
            assertThat(viewer.get("/actuator/health").body()).contains("\"status\":\"UP\"");
            assertThat(ManagementHttp.anonymous(base).get("/actuator/health/liveness").body()).contains("\"status\":\"UP\"");
            assertThat(prometheus).containsPattern("camel_exchanges_total\\{.*routeId=\"hub-worker\"} 3");

            // `hub status --json` reads the same attributes through Jolokia
            String printed = HubCli.ok("--data-dir", dir.toString(), "status", "--json", "--url", base);
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

            // without a login the hub answers nothing, and status says how to give one
            HubCli.Result refused = HubCli.run("--data-dir", dir.resolve("elsewhere").toString(), "status", "--url", base);
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("refused to answer without a login (HTTP 401").contains("--user NAME --password-file FILE");

            // the table once, as an operator sees it
            String table = HubCli.ok("--data-dir", dir.toString(), "status", "--once", "--url", base);
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

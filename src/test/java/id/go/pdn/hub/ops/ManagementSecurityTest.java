package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import id.go.pdn.hub.core.ledger.AuditEntry;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The attacks of issue 9 against a serving hub's management port, each refused: no login, a wrong one, a viewer calling
 * an operator's operation, Jolokia exec on Camel (languages reading secrets, file: writing files), attribute writes, the
 * JVM's diagnostic MBeans, Jolokia's and Artemis's operations, DNS rebinding (Host, Origin), cross-site and form
 * requests, an operation by GET, Hawtio's proxy. No secret is in any readable MBean, in Prometheus or in an error. What
 * an operator does is in the audit trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementSecurityTest {

    private static final String MIGRATION = "hub:type=migration,kind=\"db\",application=\"sicantik\",name=\"izin-db\"";

    private Path dir;

    private TestHub hub;
    private String base;
    private final String dbSecret = "rahasia-db-" + UUID.randomUUID();
    private final String viewerSecret = "rahasia-viewer-" + UUID.randomUUID();
    private final String operatorSecret = "rahasia-operator-" + UUID.randomUUID();
    private ManagementHttp anonymous;
    private ManagementHttp viewer;
    private ManagementHttp operator;
    private String camelContext;

    @BeforeAll
    void startAHubWithUsers(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        String source = "jdbc:h2:file:" + dir.resolve("src");
        try (Connection c = DriverManager.getConnection(source, "sa", dbSecret)) {
            TestDatabases.execute(c, "CREATE TABLE izin (id BIGINT PRIMARY KEY, pemohon VARCHAR(80))",
                    "INSERT INTO izin SELECT X, 'Pemohon ' || X FROM SYSTEM_RANGE(1, 500)");
        }
        Path viewerFile = dir.resolve("watcher.password");
        Files.writeString(viewerFile, viewerSecret + "\n");
        int port = TestHub.freePort();
        hub = TestHub.builder(dir)
                .datasource("local", source, "sa")
                .property("hub.datasources.local.password", dbSecret)
                .datasource("pdn", "jdbc:h2:file:" + dir.resolve("dst"), "sa")
                .route("izin.yaml", TestHub.dbRoute("izin-db", "sicantik", "local", "pdn", Map.of("chunkSize", "100")))
                .serving(port)
                .property("hub.management.users.watcher.role", "viewer")
                .property("hub.management.users.watcher.password-file", viewerFile.toString())
                .property("hub.management.users.ops.role", "operator")
                .property("hub.management.users.ops.password-hash", "{bcrypt}" + new BCryptPasswordEncoder().encode(operatorSecret))
                .property("hub.management.allowed-hosts", "hub.pdn.example.go.id")
                .start();
        assertThat(hub.run("izin-db").succeeded()).isTrue();
        base = "http://127.0.0.1:" + port;
        anonymous = ManagementHttp.anonymous(base);
        viewer = ManagementHttp.as(base, "watcher", viewerSecret);
        operator = ManagementHttp.as(base, "ops", operatorSecret);
        JsonNode contexts = operator.jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=context,*\"}");
        camelContext = contexts.path("value").get(0).asText();
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void withoutALoginOnlyTheLivenessProbeAnswers() throws Exception {
        for (String path : List.of("/actuator/jolokia/read/hub:type=hub", "/actuator/prometheus", "/actuator/health",
                "/actuator/info", "/actuator/hawtio/", "/actuator/jolokia/exec/" + MIGRATION.replace("\"", "%22") + "/pause")) {
            assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(ManagementHttp.as(base, "ops", "salah").get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(ManagementHttp.as(base, "nobody", operatorSecret).get("/actuator/prometheus").statusCode()).isEqualTo(401);
        // a browser is sent to the login form, which then leads to Hawtio
        HttpResponse<String> browser = anonymous.get("/actuator/hawtio/", "Accept", "text/html");
        assertThat(browser.statusCode()).isEqualTo(302);
        assertThat(browser.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(anonymous.get("/login", "Accept", "text/html").body()).contains("name=\"password\"");
    }

    @Test
    void aViewerReadsButCallsNoOperation() throws Exception {
        assertThat(viewer.jolokiaGet("read/hub:type=hub/MigrationsLoaded").path("value").asInt()).isEqualTo(1);
        assertThat(viewer.get("/actuator/prometheus").body()).contains("hub_migration_rows");
        for (String operation : List.of("start", "stop", "pause", "resume", "verify", "retryFailed")) {
            JsonNode refused = viewer.jolokia(ManagementHttp.exec(MIGRATION, operation));
            assertThat(refused.path("status").asInt()).as(operation + ": " + refused).isEqualTo(403);
        }
        assertThat(viewer.jolokia(ManagementHttp.exec("hub:type=hub", "replayDeadLetters", "")).path("status").asInt()).isEqualTo(403);
        assertThat(hub.ledger().isPaused("izin-db")).isFalse();
    }

    @Test
    void noOperationOfCamelEvenForAnOperator() throws Exception {
        Path proof = dir.resolve("proof");
        List<String> attacks = List.of(
                ManagementHttp.exec(camelContext, "requestStringBody(java.lang.String,java.lang.String)",
                        "language:simple:${env:PATH}", "x"),
                ManagementHttp.exec(camelContext, "requestStringBody(java.lang.String,java.lang.String)",
                        "language:simple:${properties:hub.datasources.local.password}", "x"),
                ManagementHttp.exec(camelContext, "requestStringBody(java.lang.String,java.lang.String)",
                        "language:simple:resource:file:" + dir.resolve("watcher.password"), "x"),
                ManagementHttp.exec(camelContext, "sendStringBody(java.lang.String,java.lang.String)",
                        "file:" + proof + "?fileName=proof.txt", "written by an attacker"),
                ManagementHttp.exec(camelContext, "sendStringBody(java.lang.String,java.lang.String)",
                        "exec:touch?args=" + proof.resolve("exec.txt"), "x"),
                ManagementHttp.exec(camelContext, "stop"),
                ManagementHttp.exec(camelContext, "dumpRoutesAsXml"));
        for (String attack : attacks) {
            JsonNode refused = operator.jolokia(attack);
            assertThat(refused.path("status").asInt()).as(attack + " -> " + refused).isEqualTo(403);
            assertThat(refused.toString()).doesNotContain(dbSecret, viewerSecret, System.getenv("PATH"));
        }
        assertThat(proof).doesNotExist();
        // Camel's attributes can be read (routes, exchanges), its routes' operations not
        JsonNode routes = operator.jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        String route = routes.path("value").get(0).asText();
        assertThat(operator.jolokia("{\"type\":\"read\",\"mbean\":" + ManagementHttp.quote(route) + ",\"attribute\":\"ExchangesTotal\"}")
                .path("status").asInt()).isEqualTo(200);
        assertThat(operator.jolokia(ManagementHttp.exec(route, "stop")).path("status").asInt()).isEqualTo(403);
    }

    @Test
    void noWriteNoDiagnosticMBeanNoJolokiaOrArtemisOperation() throws Exception {
        List<String> attacks = List.of(
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                "{\"type\":\"write\",\"mbean\":" + ManagementHttp.quote(camelContext) + ",\"attribute\":\"Tracing\",\"value\":true}",
                ManagementHttp.exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", dir.resolve("heap.hprof").toString(), "true"),
                ManagementHttp.exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties"),
                ManagementHttp.exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad", "/tmp/agent.so"),
                ManagementHttp.exec("jdk.management.jfr:type=FlightRecorder", "newRecording"),
                ManagementHttp.exec("java.lang:type=Memory", "gc"),
                ManagementHttp.exec("jolokia:type=Config", "debugInfo"),
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}",
                "{\"type\":\"read\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"attribute\":\"DiagnosticOptions\"}",
                "{\"type\":\"notification\",\"command\":\"add\",\"client\":\"x\",\"mode\":\"pull\",\"mbean\":\"java.lang:type=Memory\"}",
                "{\"type\":\"notification\",\"command\":\"add\",\"client\":\"x\",\"mode\":\"sse\",\"mbean\":\"java.lang:type=Memory\"}");
        for (String attack : attacks) {
            JsonNode refused = operator.jolokia(attack);
            assertThat(refused.path("status").asInt()).as(attack + " -> " + refused).isIn(400, 403, 404);
        }
        assertThat(dir.resolve("heap.hprof")).doesNotExist();
        JsonNode artemis = operator.jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.activemq.artemis:*\"}");
        assertThat(artemis.path("value")).isNotEmpty();
        String broker = null;
        for (JsonNode name : artemis.path("value")) {
            if (!name.asText().contains("component=")) {
                broker = name.asText();
            }
        }
        assertThat(operator.jolokia(ManagementHttp.exec(broker, "deleteAddress(java.lang.String)", "hub.work")).path("status").asInt())
                .isEqualTo(403);
        // what may not be read is not listed either
        String domains = operator.jolokiaGet("list?maxDepth=1").path("value").toString();
        assertThat(domains).contains("\"hub\"", "\"org.apache.camel\"", "\"java.lang\"").doesNotContain("com.sun.management", "jolokia");
    }

    @Test
    void dnsRebindingAndOtherSitesAreRefusedBeforeTheLogin() throws Exception {
        // a page of evil.example whose name now points at 127.0.0.1: its Host (and Origin) name it
        String pause = ManagementHttp.exec(MIGRATION, "pause");
        assertThat(operator.raw("POST", "/actuator/jolokia", "evil.example:9090", "Origin: http://evil.example:9090\r\n"
                + "Content-Type: application/json\r\n", pause)).isEqualTo(403);
        assertThat(anonymous.raw("GET", "/actuator/health/liveness", "evil.example", "", null)).as("before anything else").isEqualTo(403);
        assertThat(anonymous.raw("GET", "/actuator/health/liveness", "127.0.0.1", "", null)).isEqualTo(200);
        HttpResponse<String> foreignOrigin = operator.post("/actuator/jolokia", "application/json", "{\"type\":\"read\",\"mbean\":\"hub:type=hub\"}",
                "Origin", "https://evil.example");
        assertThat(foreignOrigin.statusCode()).isEqualTo(403);
        assertThat(operator.get("/actuator/prometheus", "Origin", "null").statusCode()).isEqualTo(403);
        assertThat(operator.get("/actuator/jolokia/read/hub:type=hub", "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        // a form post (no CORS check in the browser) with the operator's cached login: refused
        HttpResponse<String> form = operator.post("/actuator/jolokia", "text/plain", ManagementHttp.exec(MIGRATION, "pause"));
        assertThat(form.statusCode()).isEqualTo(415);
        // an operation by GET (an <img src> of another page): refused
        JsonNode byGet = operator.jolokiaGet("exec/" + MIGRATION.replace("\"", "%22") + "/pause");
        assertThat(byGet.path("status").asInt()).as(byGet.toString()).isEqualTo(403);
        assertThat(hub.ledger().isPaused("izin-db")).isFalse();
        // the configured name and loopback names pass on to the login
        assertThat(anonymous.raw("GET", "/actuator/prometheus", "hub.pdn.example.go.id:9090", "", null)).isEqualTo(401);
        assertThat(operator.raw("GET", "/actuator/prometheus", "localhost", "", null)).isEqualTo(200);
        // Hawtio's proxy to other hosts is not there
        assertThat(operator.get("/actuator/hawtio/proxy/http/127.0.0.1/22/").statusCode()).isIn(403, 404);
    }

    @Test
    void anOperatorActsAndTheAuditTrailSaysWhoDidWhat() throws Exception {
        JsonNode pause = operator.jolokia(ManagementHttp.exec(MIGRATION, "pause"));
        assertThat(pause.path("value").asText()).as(pause.toString()).startsWith("paused");
        assertThat(operator.jolokia(ManagementHttp.exec(MIGRATION, "resume")).path("value").asText()).isEqualTo("resumed");
        assertThat(operator.jolokia(ManagementHttp.exec("hub:type=hub", "replayDeadLetters", "")).path("value").asText())
                .isEqualTo("0 dead letters sent back to the work queue");
        List<AuditEntry> trail = hub.ledger().auditTrail("sicantik", 10);
        assertThat(trail).anySatisfy(e -> {
            assertThat(e.operation()).isEqualTo("pause");
            assertThat(e.who()).isEqualTo("ops");
            assertThat(e.address()).isEqualTo("127.0.0.1");
            assertThat(e.channel()).isEqualTo("jolokia");
            assertThat(e.migration()).isEqualTo("izin-db");
            assertThat(e.outcome()).startsWith("paused");
        }).anySatisfy(e -> assertThat(e.operation()).isEqualTo("resume"))
                .anySatisfy(e -> assertThat(e.operation() + " " + e.migration()).isEqualTo("replayDeadLetters null"));
        String status = HubCli.ok("--data-dir", dir.toString(), "status", "--ledger");
        assertThat(status).contains("Operations called on the hub").containsPattern("ops\\s+127\\.0\\.0\\.1\\s+jolokia\\s+izin-db\\s+pause\\s+paused");
        // and in the application's report
        HubCli.ok("--data-dir", dir.toString(), "report", "sicantik");
        assertThat(Files.readString(dir.resolve("reports/sicantik/report.json"))).containsPattern(
                "\"who\" : \"ops\",\\s+\"address\" : \"127.0.0.1\",\\s+\"channel\" : \"jolokia\",\\s+\"migration\" : \"izin-db\",\\s+\"operation\" : \"pause\"");
        assertThat(Files.readString(dir.resolve("reports/sicantik/report.html"))).contains("<section id=\"operations\">", "<td>ops</td>");
    }

    @Test
    void noSecretInAnyReadableMBeanPrometheusOrInfo() throws Exception {
        List<String> answers = new ArrayList<>();
        for (JsonNode name : operator.jolokia("{\"type\":\"search\",\"mbean\":\"*:*\"}").path("value")) {
            answers.add(operator.jolokia("{\"type\":\"read\",\"mbean\":" + ManagementHttp.quote(name.asText()) + "}").toString());
        }
        assertThat(answers).hasSizeGreaterThan(20);
        answers.add(operator.get("/actuator/prometheus").body());
        answers.add(operator.get("/actuator/info").body());
        answers.add(operator.get("/actuator/health").body());
        String ledgerPassword = Files.readString(dir.resolve("ledger/ledger.password")).strip();
        for (String answer : answers) {
            assertThat(answer).doesNotContain(dbSecret, viewerSecret, operatorSecret, ledgerPassword);
        }
    }
}

package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's health check: UP only for a liveness answer UP, over HTTP or TLS, and only on the loopback. */
class LivenessProbeTest {

    @TempDir
    Path dir;

    @Test
    void aServingHubIsUpAndAStoppedOneIsNot() {
        int port = TestHub.freePort();
        String url = "http://127.0.0.1:" + port + ManagementSecurityConfiguration.LIVENESS;
        try (TestHub hub = TestHub.builder(dir).serving(port).start()) {
            Probe up = Probe.run(url);
            assertThat(up.code).as(up.err).isEqualTo(LivenessProbe.UP);
            assertThat(up.out).contains("UP: " + url);
            // the same from the environment the compose file gives the hub
            assertThat(Probe.run(Map.of("HUB_MANAGEMENT_PORT", String.valueOf(port))).code).isEqualTo(LivenessProbe.UP);
        }
        Probe down = Probe.run(url);
        assertThat(down.code).isEqualTo(LivenessProbe.DOWN);
        assertThat(down.err).contains("liveness: " + url + ": connection refused");
    }

    @Test
    void overTlsItAcceptsTheHubsOwnCertificate() throws Exception {
        Path keystore = TestCertificates.selfSigned(dir);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
        answer(server, 200, "{\"status\":\"UP\"}");
        try {
            int port = server.getAddress().getPort();
            Probe up = Probe.run(Map.of("HUB_MANAGEMENT_PORT", String.valueOf(port), "MANAGEMENT_SERVER_SSL_ENABLED", "true"));
            assertThat(up.code).as(up.err).isEqualTo(LivenessProbe.UP);
            assertThat(up.out).contains("https://127.0.0.1:" + port + "/actuator/health/liveness");
            Probe plain = Probe.run("http://127.0.0.1:" + port + "/actuator/health/liveness");
            assertThat(plain.code).as("plain HTTP to a TLS port").isEqualTo(LivenessProbe.DOWN);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerOtherThanUpIsDown() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        answer(server, 503, "{\"status\":\"DOWN\"}");
        try {
            Probe down = Probe.run("http://localhost:" + server.getAddress().getPort() + "/actuator/health/liveness");
            assertThat(down.code).isEqualTo(LivenessProbe.DOWN);
            assertThat(down.err).contains("HTTP 503 {\"status\":\"DOWN\"}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyTheLoopbackIsAsked() {
        Probe refused = Probe.run("https://192.0.2.1:9090/actuator/health/liveness");
        assertThat(refused.code).isEqualTo(LivenessProbe.DOWN);
        assertThat(refused.err).contains("not a loopback address");
        assertThat(Probe.run("ftp://127.0.0.1/x").err).contains("not an http or https URL");
    }

    @Test
    void theDefaultUrlFollowsTheHubsEnvironment() {
        assertThat(LivenessProbe.defaultUrl(Map.of())).isEqualTo("http://127.0.0.1:9090/actuator/health/liveness");
        assertThat(LivenessProbe.defaultUrl(Map.of("HUB_MANAGEMENT_PORT", "9191", "MANAGEMENT_SERVER_SSL_ENABLED", "TRUE")))
                .isEqualTo("https://127.0.0.1:9191/actuator/health/liveness");
    }

    private static void answer(HttpServer server, int status, String body) {
        server.createContext("/actuator/health/liveness", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** One call of the probe with what it printed. */
    private record Probe(int code, String out, String err) {

        static Probe run(String url) {
            return run(new String[] {url}, Map.of());
        }

        static Probe run(Map<String, String> environment) {
            return run(new String[0], environment);
        }

        static synchronized Probe run(String[] args, Map<String, String> environment) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
                int code = LivenessProbe.probe(args, environment);
                return new Probe(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }
}

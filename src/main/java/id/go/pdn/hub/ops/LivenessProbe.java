package id.go.pdn.hub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The container's health check: asks this hub's own management port for {@code /actuator/health/liveness} (the one
 * path that needs no login) and exits 0 when it answers {@code UP}, else 1 with one line saying why. The image has no
 * shell and no curl, so compose and Kubernetes run it as a plain JVM with the hub's classes on the class path and
 * nothing else (no Spring, about 0.2 s):
 * <pre>/opt/java/bin/java -cp /opt/hub/app/classes id.go.pdn.hub.ops.LivenessProbe [URL]</pre>
 * Without a URL: {@code http://127.0.0.1:9090/actuator/health/liveness}, with the port of {@code HUB_MANAGEMENT_PORT}
 * and {@code https} when {@code MANAGEMENT_SERVER_SSL_ENABLED=true} (the environment that configures the hub). Over
 * TLS it accepts the hub's certificate unchecked, which is why it talks to loopback addresses only: it asks whether
 * this process is alive, not who it is.
 */
public final class LivenessProbe {

    /** Answered UP. */
    public static final int UP = 0;
    /** Not UP, no answer, or a refused URL. */
    public static final int DOWN = 1;

    private static final int TIMEOUT_MILLIS = 5000;

    private LivenessProbe() {
    }

    public static void main(String[] args) {
        System.exit(probe(args, System.getenv()));
    }

    /** The exit code for these arguments and this environment; prints one line (stdout when UP, stderr otherwise). */
    public static int probe(String[] args, Map<String, String> environment) {
        String url = args.length > 0 ? args[0] : defaultUrl(environment);
        try {
            get(URI.create(url));
            System.out.println("UP: " + url);
            return UP;
        } catch (ProbeException | IllegalArgumentException e) {
            System.err.println("liveness: " + url + ": " + e.getMessage());
            return DOWN;
        }
    }

    /** The hub's liveness URL from the environment variables that configure its management port. */
    public static String defaultUrl(Map<String, String> environment) {
        String port = environment.getOrDefault("HUB_MANAGEMENT_PORT",
                String.valueOf(ManagementEnvironmentPostProcessor.DEFAULT_MANAGEMENT_PORT)).strip();
        boolean tls = "true".equalsIgnoreCase(environment.getOrDefault("MANAGEMENT_SERVER_SSL_ENABLED", "false").strip());
        return (tls ? "https" : "http") + "://127.0.0.1:" + port + ManagementSecurityConfiguration.LIVENESS;
    }

    /** The body of an UP answer; throws with the reason for anything else. */
    static String get(URI uri) {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ProbeException("not an http or https URL");
        }
        try {
            if (uri.getHost() == null || !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                throw new ProbeException("not a loopback address; the probe checks the hub in its own container only");
            }
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(trustingAnyCertificate());
                https.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String body = in == null ? "" : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            connection.disconnect();
            if (status != 200 || !body.replace(" ", "").contains("\"status\":\"UP\"")) {
                throw new ProbeException("HTTP " + status + " " + body.strip());
            }
            return body;
        } catch (ConnectException e) {
            throw new ProbeException("connection refused (is the hub serving, with this management port?)");
        } catch (SocketTimeoutException e) {
            throw new ProbeException("no answer within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            throw new ProbeException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static javax.net.ssl.SSLSocketFactory trustingAnyCertificate() throws IOException {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("no TLS: " + e.getMessage(), e);
        }
    }

    static final class ProbeException extends RuntimeException {
        ProbeException(String message) {
            super(message);
        }
    }
}

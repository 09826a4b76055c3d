package id.go.pdn.hub.cli.command;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads a running hub's MBeans through Jolokia on its management port (JDK HttpClient, Jackson). */
final class JolokiaClient {

    static final String HUB = "hub:type=hub";
    static final String MIGRATIONS = "hub:type=migration,*";
    static final String TRACKED = "hub:type=tracked,*";

    // cookies: the session the first login opens spares the hub a password check (bcrypt) on every refresh
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .cookieHandler(new java.net.CookieManager()).build();
    private final ObjectMapper json;
    private final String base;
    private final String authorization;

    /** Thrown when the hub refuses the login (or has no login to give): a wrong or missing credential, not a dead hub. */
    static final class LoginRefused extends IOException {
        LoginRefused(String message) {
            super(message);
        }
    }

    JolokiaClient(String managementUrl, ObjectMapper json, ManagementLogin login) {
        this.base = managementUrl.replaceAll("/+$", "") + "/actuator/jolokia";
        this.json = json;
        this.authorization = login == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((login.user() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    /** What the hub shows now: its own attributes and one object per migration (attributes plus "ObjectName"). */
    record Snapshot(ObjectNode hub, List<ObjectNode> migrations) {
    }

    Snapshot read() throws IOException, InterruptedException {
        ObjectNode hub = (ObjectNode) value(HUB);
        List<ObjectNode> migrations = new ArrayList<>();
        JsonNode byName = patternValue(MIGRATIONS);
        byName.fields().forEachRemaining(entry -> {
            ObjectNode migration = json.createObjectNode().put("ObjectName", entry.getKey());
            migration.setAll((ObjectNode) entry.getValue());
            migrations.add(migration);
        });
        patternValue(TRACKED).fields().forEachRemaining(entry -> migrations.add(asMigration(entry.getKey(), (ObjectNode) entry.getValue())));
        migrations.sort(Comparator.comparing((ObjectNode m) -> m.path("Application").asText())
                .thenComparing(m -> m.path("Name").asText()));
        return new Snapshot(hub, migrations);
    }

    /**
     * A tracked route's MBean ({@code hub:type=tracked}) in the attributes of a migration's, so that the table and
     * {@code --json} show it in the same rows: its exchanges since the hub started are the items (done: copied or
     * verified; failed: failed or dead-lettered), kind {@code tracked}; its own counters are kept beside.
     */
    ObjectNode asMigration(String objectName, ObjectNode route) {
        long copied = route.path("ItemsCopied").asLong(), verified = route.path("ItemsVerified").asLong();
        long failed = route.path("ItemsFailed").asLong(), dead = route.path("ItemsDead").asLong();
        ObjectNode migration = json.createObjectNode().put("ObjectName", objectName).put("Name", route.path("Route").asText())
                .put("Application", route.path("Application").asText()).put("Kind", "tracked").put("Unit", "items")
                .put("State", route.path("State").asText()).put("ItemsTotal", copied + verified + failed + dead)
                .put("ItemsDone", copied + verified).put("ItemsFailed", failed + dead).put("Rows", copied + verified)
                .put("LastError", route.path("LastError").asText(""));
        migration.set("Tracked", route);
        return migration;
    }

    /** The MBeans of a pattern by name; none when Jolokia finds none (it answers InstanceNotFoundException, not {}). */
    private JsonNode patternValue(String pattern) throws IOException, InterruptedException {
        try {
            return value(pattern);
        } catch (LoginRefused e) {
            throw e;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("InstanceNotFoundException")) {
                return json.createObjectNode(); // e.g. a hub with tracked routes only, or no tracked route
            }
            throw e;
        }
    }

    /** GET /read/MBEAN: the "value" of Jolokia's answer, or an IOException saying why there is none. */
    private JsonNode value(String mbean) throws IOException, InterruptedException {
        // Jolokia's GET path: '!' escapes itself and '/'; the rest is URL-encoded as one path segment
        String path = URLEncoder.encode(mbean.replace("!", "!!").replace("/", "!/"), StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/read/" + path))
                .timeout(Duration.ofSeconds(5)).header("Accept", "application/json").GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new LoginRefused("HTTP " + response.statusCode() + " from " + request.uri());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + request.uri());
        }
        JsonNode answer = json.readTree(response.body());
        if (answer.path("status").asInt() != 200) {
            throw new IOException("Jolokia refused to read " + mbean + ": " + answer.path("error").asText(answer.toString()));
        }
        JsonNode value = answer.path("value");
        if (!value.isObject()) {
            throw new IOException("Jolokia's answer for " + mbean + " has no attributes: " + answer);
        }
        return value;
    }
}

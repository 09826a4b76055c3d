package id.go.pdn.hub.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** HTTP calls on a hub's management port as one user (or none), with any headers a browser or an attacker would send. */
final class ManagementHttp {

    private final HttpClient http;
    private final String base;
    private final String authorization;
    private final ObjectMapper json = new ObjectMapper();

    private ManagementHttp(HttpClient http, String base, String authorization) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
    }

    static ManagementHttp anonymous(String base) {
        return new ManagementHttp(HttpClient.newHttpClient(), base, null);
    }

    static ManagementHttp as(String base, String user, String password) {
        return new ManagementHttp(HttpClient.newHttpClient(), base,
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** As the user a serving hub made for this role in its data folder. */
    static ManagementHttp generated(String base, Path dataDir, ManagementRole role) throws Exception {
        String password = Files.readString(ManagementUsers.generatedFile(dataDir, role)).strip();
        return as(base, role.name().toLowerCase(java.util.Locale.ROOT), password);
    }

    ManagementHttp withClient(HttpClient client) {
        return new ManagementHttp(client, base, authorization);
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        return http.send(request(path, headers).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Jolokia request as JSON (POST); the answer's JSON (its "status" is Jolokia's, 403 when refused). */
    JsonNode jolokia(String requestJson) throws Exception {
        HttpResponse<String> response = post("/actuator/jolokia", "application/json", requestJson);
        if (response.statusCode() != 200) {
            return json.createObjectNode().put("status", response.statusCode()).put("error", response.body());
        }
        return json.readTree(response.body());
    }

    JsonNode jolokiaGet(String path) throws Exception {
        HttpResponse<String> response = get("/actuator/jolokia/" + path);
        if (response.statusCode() != 200) {
            return json.createObjectNode().put("status", response.statusCode()).put("error", response.body());
        }
        return json.readTree(response.body());
    }

    static String exec(String mbean, String operation, String... arguments) {
        StringBuilder args = new StringBuilder();
        for (String argument : arguments) {
            args.append(args.length() == 0 ? "" : ",").append(quote(argument));
        }
        return "{\"type\":\"exec\",\"mbean\":" + quote(mbean) + ",\"operation\":" + quote(operation) + ",\"arguments\":[" + args + "]}";
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A request over a plain socket, with a Host header of our choosing (the JDK's client will not send one), as a
     * DNS-rebinding page's browser would; the HTTP status.
     */
    int raw(String method, String path, String host, String headers, String body) throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}

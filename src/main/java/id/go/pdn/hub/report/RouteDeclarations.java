package id.go.pdn.hub.report;

import id.go.pdn.hub.core.Redaction;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The migrations declared in route files, read as plain YAML without starting them: a report given the routes can
 * name the migrations that never ran and show where each one copies from and to. Only allow-listed parameters are
 * kept ({@link Redaction#safeParameters}).
 */
public final class RouteDeclarations {

    /** A migration as declared: route id, application, kind, safe parameters, file. */
    public record Declared(String name, String application, String kind, Map<String, String> parameters, String file) {
    }

    private RouteDeclarations() {
    }

    /** Every {@code migration:} route and every templated route of the hub's templates in these files and folders. */
    public static List<Declared> read(List<Path> paths) {
        List<Declared> declared = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("Cannot read routes from " + path + ": no such file or folder");
            }
            try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                    declared.addAll(readFile(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read routes from " + path + ": " + e.getMessage(), e);
            }
        }
        return declared;
    }

    private static List<Declared> readFile(Path file) throws IOException {
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("Cannot read routes from " + file + ": not valid YAML (" + e.getMessage() + ")", e);
        }
        List<Declared> declared = new ArrayList<>();
        if (!(document instanceof List<?> entries)) {
            return declared;
        }
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map)) {
                continue;
            }
            if (map.get("route") instanceof Map<?, ?> route && route.get("from") instanceof Map<?, ?> from
                    && from.get("uri") instanceof String uri && uri.startsWith("migration:")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                String kind = uri.substring("migration:".length());
                int query = kind.indexOf('?');
                if (query >= 0) {
                    for (String pair : kind.substring(query + 1).split("&")) {
                        String[] kv = pair.split("=", 2);
                        parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                    kind = kind.substring(0, query);
                }
                if (from.get("parameters") instanceof Map<?, ?> given) {
                    given.forEach((k, v) -> parameters.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
                }
                add(declared, String.valueOf(route.get("id")), kind, parameters, file);
            } else if (map.get("templatedRoute") instanceof Map<?, ?> templated
                    && templated.get("routeTemplateRef") instanceof String template && template.endsWith("-migration")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                if (templated.get("parameters") instanceof List<?> given) {
                    for (Object p : given) {
                        if (p instanceof Map<?, ?> pm && pm.get("name") != null) {
                            parameters.put(String.valueOf(pm.get("name")), pm.get("value") == null ? null : String.valueOf(pm.get("value")));
                        }
                    }
                }
                add(declared, String.valueOf(templated.get("routeId")), template.substring(0, template.length() - "-migration".length()),
                        parameters, file);
            }
        }
        return declared;
    }

    private static void add(List<Declared> declared, String name, String kind, Map<String, String> parameters, Path file) {
        String application = parameters.get("application");
        declared.add(new Declared(name, application, kind, Redaction.safeParameters(parameters), file.toString()));
    }
}

package id.go.pdn.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.go.pdn.hub.core.HubProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml, docker/prometheus.yml and docker/k8s/migration-hub.yaml against the hub and its image (the
 * Jib configuration in pom.xml): the management port is the one the hub listens on and Prometheus scrapes; config/,
 * routes/ and data/ are mounted where the hub reads them; every setting passed (environment variable, configtree
 * secret, ConfigMap key) is a property the hub reads; every secret file comes from docker/secrets.sh, and the
 * configtree import really turns them into the ledger's and the broker's passwords.
 */
class ComposeConsistencyTest {

    private static final Path DOCKER = Path.of("docker");
    private static final String SECRETS = "/run/secrets/";
    private static final String PROBE_CLASS = LivenessProbe.class.getName();
    /** Variables read by the JVM or the C library, not by Spring. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "TZ", "LANG");

    @TempDir
    static Path secrets;

    @TempDir
    Path work;

    private static Image image;
    private static Properties properties;
    private static Map<String, Object> defaults;

    @BeforeAll
    static void readTheHub() throws Exception {
        image = Image.fromPom(Path.of("pom.xml"));
        defaults = flatten(yaml(Path.of("src/main/resources/application.yaml")));
        properties = Properties.ofTheHub();
        // the generator, as a user runs it (twice: the second run must keep what the first made)
        generateSecrets();
        Map<String, String> first = readAll(secrets);
        generateSecrets();
        assertThat(readAll(secrets)).as("docker/secrets.sh run again changes nothing").isEqualTo(first);
    }

    @Test
    void theImageIsTheHubsShape() {
        int port = Integer.parseInt(String.valueOf(defaults.get("hub.management.port")));
        assertThat(image.ports).as("the image exposes the management port of application.yaml").containsExactly(port);
        assertThat(image.volumes).containsExactlyInAnyOrder(image.path("config"), image.path("routes"), image.dataDir(defaults));
        assertThat(image.user).isEqualTo("10001:0");
        assertThat(image.args).containsExactly("run", "routes/");
        assertThat(image.healthcheck).isEqualTo(List.of("/opt/java/bin/java", "-cp", image.appRoot + "/classes", PROBE_CLASS));
        assertThat(Path.of("target/classes").resolve(PROBE_CLASS.replace('.', '/') + ".class")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeMatchesTheHub() throws Exception {
        Map<String, Object> compose = yaml(DOCKER.resolve("compose.yaml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Map<String, Object>> declaredSecrets = (Map<String, Map<String, Object>>) compose.get("secrets");
        Map<String, Object> namedVolumes = (Map<String, Object>) compose.get("volumes");
        List<String> hubs = services.entrySet().stream()
                .filter(s -> String.valueOf(s.getValue().get("image")).startsWith(image.name + ":")).map(Map.Entry::getKey).toList();
        assertThat(hubs).as("two hubs of the image").hasSize(2);

        // every secret file is one docker/secrets.sh makes
        declaredSecrets.forEach((name, secret) -> {
            Path file = DOCKER.resolve(String.valueOf(secret.get("file"))).normalize();
            assertThat(file.getParent()).as("secret %s", name).isEqualTo(DOCKER.resolve("secrets"));
            assertThat(secrets.resolve(file.getFileName())).as("secret %s: docker/secrets.sh makes %s", name, file.getFileName()).isNotEmptyFile();
        });
        for (Map<String, Object> service : services.values()) {
            mounts(service).forEach((target, source) -> assertThat(declaredSecrets).as("secret %s", source).containsKey(source));
        }

        Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus.yml"));
        Map<String, Object> scrape = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        List<String> targets = new ArrayList<>();
        for (String hub : hubs) {
            Map<String, Object> service = services.get(hub);
            Map<String, String> env = environment(service);
            env.keySet().forEach(name -> assertThat(RUNTIME_VARIABLES.contains(name) || properties.readsVariable(name))
                    .as("%s of %s is a setting the hub reads", name, hub).isTrue());
            Map<String, String> secretMounts = mounts(service);
            secretMounts.forEach((target, source) -> assertThat(target.contains(".") ? properties.reads(target)
                    : env.values().stream().anyMatch(v -> v.contains(SECRETS + target)))
                    .as("secret %s of %s is a setting the hub reads (configtree) or a file a setting names", target, hub).isTrue());

            // the management port: as the image exposes it, as Prometheus scrapes it, under a name the hub answers to
            int port = Integer.parseInt(env.getOrDefault("HUB_MANAGEMENT_PORT", String.valueOf(defaults.get("hub.management.port"))));
            assertThat(image.ports).as("%s's management port", hub).contains(port);
            targets.add(hub + ":" + port);
            assertThat(env.get("HUB_MANAGEMENT_ALLOWED_HOSTS")).as("%s answers to the name Prometheus asks for", hub).contains(hub);
            assertThat(env.get("MANAGEMENT_SERVER_ADDRESS")).as("%s listens beyond its loopback", hub).isEqualTo("0.0.0.0");
            assertThat(scrape.get("scheme")).isEqualTo("true".equals(env.get("MANAGEMENT_SERVER_SSL_ENABLED")) ? "https" : "http");

            // config/, routes/ and data/ where the hub reads them, on the image's volumes
            Map<String, String> volumes = new LinkedHashMap<>();
            for (Object volume : (List<Object>) service.get("volumes")) {
                String[] parts = String.valueOf(volume).split(":");
                volumes.put(parts[1], parts[0]);
            }
            assertThat(volumes.keySet()).as("%s's mounts", hub).containsExactlyInAnyOrder(image.path("config"), image.path("routes"),
                    image.dataDir(env.containsKey("HUB_DATA_DIR") ? Map.of("hub.data-dir", env.get("HUB_DATA_DIR")) : defaults));
            assertThat(image.volumes).containsAll(volumes.keySet());
            assertThat(DOCKER.resolve(volumes.get(image.path("config"))).resolve("application.yaml")).exists();
            assertThat(DOCKER.resolve(volumes.get(image.path("routes")))).isDirectory();
            assertThat(namedVolumes).containsKey(volumes.get(image.dataDir(defaults)));

            assertThat((List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test"))
                    .isEqualTo(Stream.concat(Stream.of("CMD"), image.healthcheck.stream()).toList());
            assertThat(service.get("command")).as("%s runs the image's default command", hub).isNull();

            // the secrets really become the settings: the environment as the hub sees it, with the mounted files
            Path mounted = Files.createDirectories(work.resolve("run-" + hub));
            for (Map.Entry<String, String> m : secretMounts.entrySet()) {
                Files.copy(secrets.resolve(m.getValue()), mounted.resolve(m.getKey()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            StandardEnvironment hubEnvironment = hubEnvironment(env, mounted);
            for (String setting : List.of("hub.ledger.password", "spring.artemis.password")) {
                Path file = Path.of(String.valueOf(declaredSecrets.get(secretMounts.get(setting)).get("file"))).getFileName();
                assertThat(hubEnvironment.getProperty(setting)).as("%s of %s", setting, hub).isEqualTo(Files.readString(secrets.resolve(file)));
            }
            assertThat(hubEnvironment.getProperty("hub.management.port", Integer.class)).isEqualTo(port);
            ManagementProperties management = Binder.get(hubEnvironment).bind("hub.management", ManagementProperties.class).get();
            assertThat(management.getUsers()).containsOnlyKeys("operator", "prometheus");
            assertThat(management.getUsers().get("prometheus").getRole()).isEqualTo(ManagementRole.VIEWER);
            assertThat(management.getUsers().get("operator").getRole()).isEqualTo(ManagementRole.OPERATOR);
            for (ManagementProperties.User user : management.getUsers().values()) {
                assertThat(secretMounts).containsKey(user.getPasswordFile().getFileName().toString());
            }

            // the ledger and the broker are the ones this file runs, with the same user and password
            Map<String, String> ledger = environment(services.get("ledger"));
            assertThat(env.get("HUB_LEDGER_URL")).isEqualTo("jdbc:postgresql://ledger:5432/" + ledger.get("POSTGRES_DB"));
            assertThat(env.get("HUB_LEDGER_USERNAME")).isEqualTo(ledger.get("POSTGRES_USER"));
            assertThat(mounts(services.get("ledger")).get(ledger.get("POSTGRES_PASSWORD_FILE").substring(SECRETS.length())))
                    .isEqualTo(secretMounts.get("hub.ledger.password"));
            Map<String, Object> artemis = services.get("artemis");
            assertThat(env.get("SPRING_ARTEMIS_BROKER_URL")).isEqualTo("tcp://artemis:61616");
            assertThat(env.get("SPRING_ARTEMIS_USER")).isEqualTo(environment(artemis).get("ARTEMIS_USER"));
            assertThat(String.valueOf(artemis.get("entrypoint"))).contains(SECRETS + secretMounts.get("spring.artemis.password"));
            assertThat(mounts(artemis)).containsValue(secretMounts.get("spring.artemis.password"));
            assertThat(String.valueOf(artemis.get("image"))).as("the broker's version is the hub's client's")
                    .isEqualTo("apache/activemq-artemis:" + image.artemisVersion);
        }

        // Prometheus: both hubs, their metrics path, as a viewer whose password file is the hubs' prometheus user's
        Map<String, Object> staticConfigs = ((List<Map<String, Object>>) scrape.get("static_configs")).get(0);
        assertThat((List<String>) staticConfigs.get("targets")).containsExactlyInAnyOrderElementsOf(targets);
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(String.valueOf(defaults.get("management.endpoints.web.exposure.include"))).contains("prometheus");
        Map<String, Object> auth = (Map<String, Object>) scrape.get("basic_auth");
        assertThat(auth.get("username")).isEqualTo("prometheus");
        Map<String, String> prometheusSecrets = mounts(services.get("prometheus"));
        String passwordFile = String.valueOf(auth.get("password_file"));
        assertThat(prometheusSecrets).containsKey(passwordFile.substring(SECRETS.length()));
        assertThat(environment(services.get(hubs.get(0))).get("HUB_MANAGEMENT_USERS_PROMETHEUS_PASSWORD_FILE")).isEqualTo(passwordFile);
        String caFile = String.valueOf(((Map<String, Object>) scrape.get("tls_config")).get("ca_file"));
        assertThat(environment(services.get(hubs.get(0))).get("MANAGEMENT_SERVER_SSL_CERTIFICATE")).isEqualTo("file:" + caFile);
        assertThat(prometheusSecrets).containsKey(caFile.substring(SECRETS.length()));
        String certificate = Files.readString(secrets.resolve("hub-tls-certificate"));
        assertThat(certificate).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(opensslText(secrets.resolve("hub-tls-certificate"))).as("the certificate names every hub Prometheus asks for")
                .contains(hubs.stream().map(h -> "DNS:" + h).toArray(String[]::new));
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesMatchesTheHub() throws Exception {
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(DOCKER.resolve("k8s/migration-hub.yaml"))) {
            for (Object document : new Yaml().loadAll(reader)) {
                Map<String, Object> resource = (Map<String, Object>) document;
                String kind = (String) resource.get("kind");
                String name = (String) ((Map<String, Object>) resource.get("metadata")).get("name");
                byKind.putIfAbsent(kind, resource);
                if (kind.equals("ConfigMap")) {
                    configMaps.put(name, resource);
                }
            }
        }
        assertThat(byKind).containsKeys("Deployment", "Service", "ConfigMap", "Secret");
        Map<String, Object> pod = path(byKind.get("Deployment"), "spec", "template", "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(String.valueOf(container.get("image"))).startsWith(image.name + ":");
        assertThat(path(byKind.get("Deployment"), "spec").get("replicas")).isEqualTo(2);
        assertThat(path(pod, "securityContext").get("runAsUser") + ":" + path(pod, "securityContext").get("runAsGroup")).isEqualTo(image.user);

        // the settings: the ConfigMap's application.yaml and the environment
        Map<String, Object> config = configMaps.get("migration-hub-config");
        Map<String, Object> settings = flatten(new Yaml().load((String) ((Map<String, Object>) config.get("data")).get("application.yaml")));
        settings.keySet().forEach(key -> assertThat(properties.reads(key)).as("ConfigMap setting %s is one the hub reads", key).isTrue());
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        env.keySet().stream().filter(name -> !name.equals("POD_IP")).forEach(name ->
                assertThat(RUNTIME_VARIABLES.contains(name) || properties.readsVariable(name)).as("%s is a setting the hub reads", name).isTrue());

        // the port, in the container, the Service and the probes
        int port = Integer.parseInt(String.valueOf(settings.getOrDefault("hub.management.port", defaults.get("hub.management.port"))));
        assertThat(image.ports).contains(port);
        Map<String, Object> containerPort = ((List<Map<String, Object>>) container.get("ports")).get(0);
        assertThat(containerPort.get("containerPort")).isEqualTo(port);
        Map<String, Object> servicePort = ((List<Map<String, Object>>) path(byKind.get("Service"), "spec").get("ports")).get(0);
        assertThat(servicePort.get("targetPort")).isIn(port, containerPort.get("name"));
        assertThat(env.get("HUB_MANAGEMENT_ALLOWED_HOSTS")).contains((String) ((Map<String, Object>) byKind.get("Service").get("metadata")).get("name"));
        String scheme = Boolean.TRUE.equals(settings.get("management.server.ssl.enabled")) ? "https" : "http";
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            List<String> command = (List<String>) path(container, probe, "exec").get("command");
            assertThat(command).isEqualTo(Stream.concat(image.healthcheck.stream(),
                    Stream.of(scheme + "://127.0.0.1:" + port + ManagementSecurityConfiguration.LIVENESS)).toList());
        }

        // config/, routes/, data/ where the hub reads them; the secrets at /run/secrets for the configtree import
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
            mounts.put((String) mount.get("mountPath"), (String) mount.get("name"));
        }
        assertThat(mounts).containsKeys(image.path("config"), image.path("routes"), image.dataDir(defaults), SECRETS.substring(0, SECRETS.length() - 1));
        assertThat(env.get("SPRING_CONFIG_IMPORT")).isEqualTo("optional:configtree:" + SECRETS);
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        ((List<Map<String, Object>>) pod.get("volumes")).forEach(v -> volumes.put((String) v.get("name"), v));
        assertThat(path(volumes.get(mounts.get(image.path("config"))), "configMap").get("name")).isEqualTo("migration-hub-config");
        assertThat(configMaps).containsKey((String) path(volumes.get(mounts.get(image.path("routes"))), "configMap").get("name"));

        Map<String, Object> secretVolume = path(volumes.get(mounts.get("/run/secrets")), "secret");
        assertThat(secretVolume.get("secretName")).isEqualTo(((Map<String, Object>) byKind.get("Secret").get("metadata")).get("name"));
        Set<String> keys = ((Map<String, Object>) byKind.get("Secret").get("stringData")).keySet();
        assertThat(new TreeSet<>(keys)).as("the Secret's keys are the files docker/secrets.sh makes").isEqualTo(new TreeSet<>(readAll(secrets).keySet()));
        String allSettings = String.valueOf(settings.values()) + env.values();
        for (Map<String, Object> item : (List<Map<String, Object>>) secretVolume.get("items")) {
            assertThat(keys).contains((String) item.get("key"));
            String file = (String) item.get("path");
            assertThat(file.contains(".") ? properties.reads(file) : allSettings.contains(SECRETS + file))
                    .as("secret file %s is a setting the hub reads (configtree) or a file a setting names", file).isTrue();
        }
    }

    @Test
    void theCatalogOfSettingsKnowsRealNamesOnly() {
        assertThat(properties.readsVariable("HUB_MANAGEMENT_USERS_PROMETHEUS_PASSWORD_FILE")).isTrue();
        assertThat(properties.readsVariable("HUB_LEDGER_URL")).isTrue();
        assertThat(properties.readsVariable("MANAGEMENT_SERVER_SSL_CERTIFICATE_PRIVATE_KEY")).isTrue();
        assertThat(properties.readsVariable("HUB_LEDGER_PASSWORD_FILE")).as("the ledger has no password-file").isFalse();
        assertThat(properties.readsVariable("HUB_MANAGEMENT_PORTS")).isFalse();
        assertThat(properties.reads("hub.management.users.siti.password-hash")).isTrue();
        assertThat(properties.reads("hub.management.user.siti.role")).isFalse();
    }

    // ---- the hub's side

    /** What the image is, from the Jib configuration of the `image` profile in pom.xml. */
    record Image(String name, String workdir, String appRoot, String user, List<Integer> ports, List<String> volumes,
                 List<String> args, List<String> healthcheck, String artemisVersion) {

        static Image fromPom(Path pom) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            Element jib = null;
            var plugins = document.getElementsByTagName("plugin");
            for (int i = 0; i < plugins.getLength(); i++) {
                Element plugin = (Element) plugins.item(i);
                if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                    jib = plugin;
                }
            }
            assertThat(jib).as("jib-maven-plugin in pom.xml").isNotNull();
            Element container = (Element) jib.getElementsByTagName("container").item(0);
            String label = text(container, "id.go.pdn.hub.healthcheck");
            String toImage = text((Element) jib.getElementsByTagName("to").item(0), "image");
            return new Image(toImage.substring(0, toImage.indexOf(':')), text(container, "workingDirectory"), text(container, "appRoot"),
                    text(container, "user"), texts(container, "port").stream().map(Integer::valueOf).toList(), texts(container, "volume"),
                    texts((Element) container.getElementsByTagName("args").item(0), "arg"), List.of(label.split(" ")),
                    text(document.getDocumentElement(), "artemis.version"));
        }

        String path(String relative) {
            return Path.of(workdir).resolve(relative).normalize().toString();
        }

        String dataDir(Map<String, ?> settings) {
            return path(String.valueOf(settings.get("hub.data-dir")));
        }

        private static String text(Element parent, String tag) {
            Node node = parent.getElementsByTagName(tag).item(0);
            return node == null ? null : node.getTextContent().strip();
        }

        private static List<String> texts(Element parent, String tag) {
            List<String> values = new ArrayList<>();
            var nodes = parent.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                values.add(nodes.item(i).getTextContent().strip());
            }
            return values;
        }
    }

    /**
     * Every setting name the hub reads: Spring Boot's and Camel's (their configuration metadata), the hub's own
     * {@code @ConfigurationProperties} classes (walked property by property; a map's key is any name) and the names
     * its code asks the environment for.
     */
    static final class Properties {

        private final List<Pattern> names = new ArrayList<>();

        static Properties ofTheHub() throws Exception {
            Properties catalog = new Properties();
            ObjectMapper json = new ObjectMapper();
            Enumeration<URL> metadata = ComposeConsistencyTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            while (metadata.hasMoreElements()) {
                try (InputStream in = metadata.nextElement().openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        boolean map = property.path("type").asText().startsWith("java.util.Map");
                        catalog.add(property.path("name").asText() + (map ? ".*" : ""));
                    }
                }
            }
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
            scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
            var candidates = scanner.findCandidateComponents(HubProperties.class.getPackageName().replace(".core", ""));
            assertThat(candidates).hasSizeGreaterThanOrEqualTo(4);
            for (var candidate : candidates) {
                Class<?> type = Class.forName(candidate.getBeanClassName());
                ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
                catalog.walk(annotation.value().isEmpty() ? annotation.prefix() : annotation.value(), type, 0);
            }
            // names the code reads from the environment itself (ManagementEnvironmentPostProcessor, LedgerPassword, ...)
            Pattern literal = Pattern.compile("\"((?:hub|management|spring|camel)\\.[a-z0-9.-]+[a-z0-9])\"");
            try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(source));
                    while (m.find()) {
                        catalog.add(m.group(1));
                    }
                }
            }
            return catalog;
        }

        private void add(String name) {
            // SPRING_ARTEMIS_BROKERURL (Spring's documented form: dashes dropped) or SPRING_ARTEMIS_BROKER_URL (also bound)
            String canonical = Stream.of(name.split("\\.")).map(s -> s.equals("*") ? "[A-Z0-9]+"
                            : Stream.of(s.split("-")).map(part -> Pattern.quote(part.toUpperCase(java.util.Locale.ROOT))).collect(Collectors.joining("_?")))
                    .collect(Collectors.joining("_"));
            names.add(Pattern.compile(canonical + (name.endsWith(".*") ? "(_[A-Z0-9_]+)?" : "")));
        }

        /** A property of a @ConfigurationProperties class, its nested groups and maps of groups. */
        private void walk(String prefix, Class<?> type, int depth) {
            if (depth > 5) {
                return;
            }
            for (var property : BeanUtils.getPropertyDescriptors(type)) {
                Method getter = property.getReadMethod();
                if (getter == null || property.getName().equals("class")) {
                    continue;
                }
                String name = prefix + "." + kebab(property.getName());
                Class<?> valueType = getter.getReturnType();
                Type generic = getter.getGenericReturnType();
                if (Map.class.isAssignableFrom(valueType) && generic instanceof ParameterizedType p
                        && p.getActualTypeArguments()[1] instanceof Class<?> value && isGroup(value)) {
                    walk(name + ".*", value, depth + 1);
                } else if (Map.class.isAssignableFrom(valueType)) {
                    add(name + ".*");
                } else if (isGroup(valueType)) {
                    walk(name, valueType, depth + 1);
                } else {
                    add(name);
                }
            }
        }

        private static boolean isGroup(Class<?> type) {
            return type.getName().startsWith("id.go.pdn.hub.") && !type.isEnum();
        }

        /** Whether the hub reads this property (kebab-case, dotted; a configtree file name or a YAML key). */
        boolean reads(String property) {
            return readsVariable(Stream.of(property.split("\\.")).map(Properties::canonical).collect(Collectors.joining("_")));
        }

        /** Whether the hub reads the property this environment variable sets (Spring's relaxed binding). */
        boolean readsVariable(String variable) {
            return names.stream().anyMatch(p -> p.matcher(variable).matches());
        }

        private static String canonical(String segment) {
            return segment.replace("-", "").toUpperCase(java.util.Locale.ROOT);
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The environment a hub of the compose file starts with: its variables, then config data (the configtree import). */
    private static StandardEnvironment hubEnvironment(Map<String, String> variables, Path mountedSecrets) {
        Map<String, Object> values = new LinkedHashMap<>();
        variables.forEach((k, v) -> values.put(k, v.replace(SECRETS, mountedSecrets + "/")));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        // under the real name: Spring maps HUB_A_B_C to hub.a.b.c only for a source of that name
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values));
        environment.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("defaults",
                Map.of("spring.config.location", "classpath:application.yaml")));
        ConfigDataEnvironmentPostProcessor.applyTo(environment); // as HubLauncher.environment() loads the settings
        return environment;
    }

    // ---- YAML and files

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>) new Yaml().load(reader);
        }
    }

    /** Nested YAML keys as dotted property names (lists stay values). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> flatten(Map<String, Object> yaml) {
        Map<String, Object> flat = new LinkedHashMap<>();
        yaml.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten((Map<String, Object>) nested).forEach((k, v) -> flat.put(key + "." + k, v));
            } else {
                flat.put(key, value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList()) : value);
            }
        });
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> path(Map<String, Object> map, String... keys) {
        Map<String, Object> node = map;
        for (String key : keys) {
            node = (Map<String, Object>) node.get(key);
            assertThat(node).as(String.join(".", keys)).isNotNull();
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        }
        return env;
    }

    /** A service's secrets: target file name under /run/secrets/ to the secret's name. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object secret : (List<Object>) service.getOrDefault("secrets", List.of())) {
            if (secret instanceof Map<?, ?> long_) {
                Object source = long_.get("source");
                Object target = long_.get("target");
                mounts.put(String.valueOf(target == null ? source : target), String.valueOf(source));
            } else {
                mounts.put(String.valueOf(secret), String.valueOf(secret));
            }
        }
        return mounts;
    }

    private static void generateSecrets() throws Exception {
        Process process = new ProcessBuilder("bash", DOCKER.resolve("secrets.sh").toString(), secrets.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static Map<String, String> readAll(Path dir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static String opensslText(Path certificate) throws Exception {
        Process process = new ProcessBuilder("openssl", "x509", "-in", certificate.toString(), "-noout", "-text")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}

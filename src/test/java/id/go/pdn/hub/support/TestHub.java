package id.go.pdn.hub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.HubApplication;
import id.go.pdn.hub.cli.HubLauncher;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.Ledger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole hub in the test's JVM: its own data folder, datasources and routes, the embedded broker. */
public final class TestHub implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    public final Path dataDir;

    private TestHub(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static final class Builder {
        private final Path dataDir;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> routes = new ArrayList<>(HubLauncher.TEMPLATES);
        private final Map<String, Object> beans = new LinkedHashMap<>();

        Builder(Path dataDir) {
            this.dataDir = dataDir;
            properties.put("hub.data-dir", dataDir.toString());
            properties.put("hub.queue.embedded-port", "0");
            properties.put("hub.retry.initial-delay", "100ms");
            properties.put("hub.retry.max-delay", "1s");
            properties.put("hub.retry.max-retries", "3");
            properties.put("spring.config.location", "classpath:application.yaml");
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder datasource(String name, String url, String username) {
            properties.put("hub.datasources." + name + ".url", url);
            properties.put("hub.datasources." + name + ".username", username);
            return this;
        }

        /** Puts this object in the context in place of the hub's own bean of that name (e.g. {@code hubClock}). */
        public Builder bean(String name, Object bean) {
            beans.put(name, bean);
            return this;
        }

        /**
         * A hub that serves, as `hub run` does: the management port (Actuator, Jolokia) on this port if above 0, and
         * remote JMX if hub.jmx.remote.* are given.
         */
        public Builder serving(int managementPort) {
            properties.put("hub.serving", "true");
            properties.put("hub.management.port", String.valueOf(managementPort));
            return this;
        }

        /** Adds a route file with this YAML text. */
        public Builder route(String fileName, String yaml) throws IOException {
            Path file = dataDir.resolve("routes").resolve(fileName);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            routes.add("file:" + file);
            return this;
        }

        public TestHub start() {
            properties.put("camel.main.routes-include-pattern", String.join(",", routes));
            String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class)
                    .web(WebApplicationType.NONE).logStartupInfo(false)
                    .initializers(ctx -> beans.forEach(ctx.getBeanFactory()::registerSingleton))
                    .run(args);
            return new TestHub(context, dataDir);
        }
    }

    public RunSummary run(String migration) {
        return bean(MigrationRunner.class).run(migration, "test");
    }

    public Ledger ledger() {
        return bean(Ledger.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    /** A TCP port free right now on the loopback (for settings where 0 does not mean "any"). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public <T> java.util.Collection<T> beans(Class<T> type) {
        return context.getBeansOfType(type).values();
    }

    public org.springframework.core.env.Environment environment() {
        return context.getEnvironment();
    }

    /** A database migration route in the short form. */
    public static String dbRoute(String id, String application, String source, String target, Map<String, String> extra) {
        StringBuilder yaml = new StringBuilder("- route:\n    id: " + id + "\n    from:\n      uri: migration:db\n      parameters:\n"
                + "        application: " + application + "\n        source: " + source + "\n        target: " + target + "\n");
        extra.forEach((k, v) -> yaml.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("      steps:\n        - log: \"${body}\"\n");
        return yaml.toString();
    }
}

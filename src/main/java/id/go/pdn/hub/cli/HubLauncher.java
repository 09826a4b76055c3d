package id.go.pdn.hub.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import id.go.pdn.hub.HubApplication;
import id.go.pdn.hub.core.camel.RoutePreflight;
import id.go.pdn.hub.ops.ManagementEnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Starts the hub's Spring context for a command: which routes, which config, and whether workers run. */
public final class HubLauncher {

    /** The hub's route templates, named one by one: Camel's classpath wildcards do not work inside the Boot jar. */
    public static final List<String> TEMPLATES = List.of("classpath:templates/db/db-migration.yaml",
            "classpath:templates/files/files-migration.yaml",
            "classpath:templates/mail/mail-migration.yaml");

    private final Map<String, String> properties = new LinkedHashMap<>();

    HubLauncher(Main.GlobalOptions options) {
        List<String> locations = new ArrayList<>(List.of("optional:file:./config/"));
        options.configFiles.forEach(file -> locations.add("file:" + file.toAbsolutePath()));
        properties.put("spring.config.additional-location", String.join(",", locations));
        if (options.dataDir != null) {
            properties.put("hub.data-dir", options.dataDir.toAbsolutePath().toString());
        }
    }

    public HubLauncher property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Loads the hub's templates plus every .yaml/.yml route file of the given files and folders. */
    public HubLauncher routes(List<String> resourcePatterns, List<Path> paths) {
        List<String> patterns = new ArrayList<>(TEMPLATES);
        patterns.addAll(resourcePatterns);
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("Cannot load routes from " + path + ": no such file or folder");
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                            .forEach(f -> patterns.add("file:" + f.toAbsolutePath()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                patterns.add("file:" + path.toAbsolutePath());
            }
        }
        properties.put("camel.main.routes-include-pattern", String.join(",", patterns));
        properties.merge(RoutePreflight.MODE, "validate", (was, now) -> was.equals("connect") ? was : now); // options and schedules checked before the data folder is touched
        return this;
    }

    /**
     * Before the ledger and the broker start, every migration of the routes reaches its endpoints once (datasources,
     * SFTP, IMAP): a wrong address, password or folder fails the start with one line and creates nothing.
     */
    public HubLauncher preflight() {
        properties.put(RoutePreflight.MODE, "connect");
        return this;
    }

    /**
     * For commands that read the ledger or the queues of a hub that may be running: no routes, no workers. With a
     * port, the broker of the running hub if it answers there, else the embedded one on the data folder; with 0, none.
     */
    public HubLauncher toolMode(int embeddedPort) {
        properties.put("hub.workers.enabled", "false");
        properties.put("hub.schedules.enabled", "false"); // a command that reads never fires (or joins) the schedules
        properties.put("camel.main.routes-include-pattern", String.join(",", TEMPLATES));
        properties.put(RoutePreflight.MODE, "off");
        if (embeddedPort <= 0) {
            // the command reads the ledger only: no broker (the JMS connection factory connects on first use)
            properties.put("spring.artemis.mode", "native");
            properties.put("spring.artemis.embedded.enabled", "false");
        } else if (answers(embeddedPort)) {
            properties.put("spring.artemis.mode", "native");
            properties.put("spring.artemis.broker-url", "tcp://127.0.0.1:" + embeddedPort);
            properties.put("spring.artemis.embedded.enabled", "false");
        }
        return this;
    }

    /**
     * For a command that only reads (the ledger, the routes, the sources): {@code status --ledger}, {@code plan},
     * {@code report} without a running broker. On top of {@link #toolMode(int) toolMode(0)}: a small, lazy context
     * ({@link ReadingAutoConfigurations}: no broker, JMS, Quartz, Actuator, web, security or metrics; beans made only
     * when asked for; no Camel MBeans), so the command starts in about a second instead of several. The ledger's
     * Flyway migrations still run when the ledger is first used.
     */
    public HubLauncher reading() {
        toolMode(0);
        properties.put(ReadingAutoConfigurations.READING, "true");
        properties.put("spring.main.lazy-initialization", "true");
        properties.put("camel.main.jmx-enabled", "false");
        return this;
    }

    /**
     * For a copying command that does not serve: {@code run --once}, {@code cutover}, {@code demo} without --serve.
     * It fires no schedules ({@code hub.schedules.enabled=false}: one run of each, now; the stored schedules stay as
     * they are) and leaves out the auto-configurations of the management port (Actuator, Hawtio, Jolokia, Spring
     * Security, web), metrics and Quartz ({@link ReadingAutoConfigurations}), which such a command never uses. The
     * queue, the embedded broker (with its loopback port for {@code hub dlq}) and the hub's and Camel's MBeans stay.
     */
    public HubLauncher once() {
        properties.put("hub.schedules.enabled", "false");
        properties.put(ReadingAutoConfigurations.ONCE, "true");
        return this;
    }

    /** Whether something listens on this loopback port (a running hub's broker). */
    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * For a hub that keeps running: the web part (management port, if hub.management.port is above 0) and remote
     * JMX (if configured) come up. Without it the context opens no port for HTTP or JMX.
     */
    public HubLauncher serving() {
        properties.remove(ReadingAutoConfigurations.ONCE);
        properties.put(ManagementEnvironmentPostProcessor.SERVING, "true");
        return this;
    }

    /**
     * The hub's settings as this command's start would see them (config files, command-line properties), without
     * starting anything: for a command that first tries to reach a running hub.
     */
    public ConfigurableEnvironment environment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("hub-launcher", new LinkedHashMap<>(properties)));
        ConfigDataEnvironmentPostProcessor.applyTo(environment);
        return environment;
    }

    public ConfigurableApplicationContext start() {
        // NONE unless ManagementEnvironmentPostProcessor finds a serving hub with a management port
        SpringApplication application = new SpringApplicationBuilder(HubApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .build();
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        StartupTrace trace = StartupTrace.fromSystemProperty(application);
        ConfigurableApplicationContext context = application.run(args);
        trace.print();
        return context;
    }
}

package id.go.pdn.hub.core.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.options.OptionBinder;
import id.go.pdn.hub.core.schedule.MigrationSchedules;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Checks the routes before anything is written: loads the route files into a throwaway Camel context of its own, binds
 * each migration's options, checks its schedule, opens its job and (with {@code hub.preflight=connect}) has it reach
 * every endpoint once ({@link MigrationJob#preflight}). It runs while the hub's context is being made and before the
 * ledger's datasource and the embedded broker (see {@link #preflightFirst}), so a configuration error creates no ledger
 * and no queue journal in the data folder. One {@link HubException} lists every problem found, each naming the
 * migration, its route file and line.
 * <p>
 * {@code hub.preflight}: {@code off} (default: tests' contexts, tool commands), {@code validate} (options and schedules)
 * or {@code connect} (also every endpoint; {@code ./hub run}).
 */
@Configuration(proxyBeanMethods = false)
public class RoutePreflight {

    public static final String MODE = "hub.preflight";
    static final String BEAN = "hubRoutePreflight";
    /**
     * Besides the JDBC datasources, the beans that write in the data folder when they start: the embedded broker (its
     * journal) and a serving hub's management users (generated passwords).
     */
    private static final List<String> WRITERS = List.of("org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ",
            "id.go.pdn.hub.ops.ManagementUsers");
    private static final Logger LOG = LoggerFactory.getLogger(RoutePreflight.class);

    /** The check itself, as a bean that the ledger's datasource and the broker wait for. */
    public static final class Check {
        Check(ObjectProvider<Capabilities> capabilities, HubProperties properties, Environment environment) {
            String mode = environment.getProperty(MODE, "off").strip().toLowerCase(Locale.ROOT);
            String patterns = environment.getProperty("camel.main.routes-include-pattern", "");
            if (!mode.equals("off") && !patterns.isBlank()) {
                run(capabilities.getObject(), properties, environment, patterns, mode.equals("connect"));
            }
        }
    }

    /** The capabilities are made only if there is something to check (a lazy context makes them when asked for). */
    @Bean(BEAN)
    Check hubRoutePreflight(ObjectProvider<Capabilities> capabilities, HubProperties properties, Environment environment) {
        return new Check(capabilities, properties, environment);
    }

    /** Makes every JDBC datasource (the ledger, Quartz, Flyway) and the other {@link #WRITERS} wait for the check. */
    @Bean
    static BeanFactoryPostProcessor preflightFirst() {
        return factory -> {
            List<String> names = new ArrayList<>(Arrays.asList(factory.getBeanNamesForType(DataSource.class, true, false)));
            for (String writer : WRITERS) {
                try {
                    names.addAll(Arrays.asList(factory.getBeanNamesForType(Class.forName(writer), true, false)));
                } catch (ClassNotFoundException e) {
                    // not on the class path
                }
            }
            for (String name : names) {
                if (!factory.containsBeanDefinition(name)) {
                    continue;
                }
                BeanDefinition definition = factory.getBeanDefinition(name);
                List<String> dependsOn = new ArrayList<>(definition.getDependsOn() == null ? List.of()
                        : Arrays.asList(definition.getDependsOn()));
                if (!dependsOn.contains(BEAN)) {
                    dependsOn.add(BEAN);
                    definition.setDependsOn(dependsOn.toArray(String[]::new));
                }
            }
        };
    }

    static void run(Capabilities capabilities, HubProperties properties, Environment environment, String patterns,
                    boolean connect) {
        Checker checker = new Checker(properties, connect);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setName("hub-preflight");
            camel.disableJMX();
            camel.setSourceLocationEnabled(true);
            camel.setStreamCaching(false);
            camel.getPropertiesComponent().addPropertiesSource(new SpringProperties(environment));
            camel.addComponent("migration", new MigrationComponent(capabilities, checker));
            List<Resource> resources = new ArrayList<>();
            for (String pattern : patterns.split(",")) {
                if (!pattern.isBlank()) {
                    resources.addAll(PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern.strip()));
                }
            }
            loadEach(camel, resources);
            startQuietly(camel);
            camel.stop();
        } catch (HubException e) {
            throw e;
        } catch (Exception e) {
            Optional<HubException> hub = Errors.find(e, HubException.class);
            if (hub.isPresent()) {
                throw hub.get();
            }
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load the routes: " + Errors.oneLine(e), e);
        }
        if (!checker.problems.isEmpty()) {
            throw new HubException(checker.problems.size() == 1 ? checker.codes.get(0) : HubException.ErrorCode.CONFIGURATION,
                    String.join("\n     ", checker.problems));
        }
        if (!checker.loaded.isEmpty()) {
            LOG.info("Pre-flight: {} migrations checked{}", checker.loaded.size(), connect ? ", every endpoint reached" : "");
        }
    }

    /**
     * Loads the route files one by one, so that a route id given twice names both files (Camel names neither).
     */
    private static void loadEach(DefaultCamelContext camel, List<Resource> resources) throws Exception {
        Map<String, String> loadedFrom = new LinkedHashMap<>();
        for (Resource resource : resources) {
            try {
                PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
            } catch (Exception e) {
                java.util.regex.Matcher duplicate = java.util.regex.Pattern.compile("Duplicate route ids detected: ([^.\\s]+)")
                        .matcher(Errors.oneLine(e));
                if (duplicate.find()) {
                    String id = duplicate.group(1);
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + id + " ("
                            + MigrationConsumer.readable(resource.getLocation()) + "): a route of that id is already loaded from "
                            + loadedFrom.getOrDefault(id, "another file") + "; give each route its own id", e);
                }
                throw e;
            }
            for (org.apache.camel.model.RouteDefinition route : camel.getRouteDefinitions()) {
                String where = MigrationConsumer.readable(route.getLocation()) + (route.getLineNumber() > 0 ? ":" + route.getLineNumber() : "");
                String before = loadedFrom.putIfAbsent(route.getRouteId(), where);
                if (before != null && !before.equals(where)) { // Camel's model keeps the last route of an id
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + route.getRouteId()
                            + " (" + where + "): a route of that id is already loaded from " + before
                            + "; give each route its own id");
                }
            }
        }
    }

    /**
     * Starts the throwaway context with Camel's own "Error starting CamelContext" log (a stack trace) off: its error is
     * thrown to the caller, which explains it in one line.
     */
    private static void startQuietly(DefaultCamelContext camel) {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "org.apache.camel.impl.engine.AbstractCamelContext");
        ch.qos.logback.classic.Level level = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.OFF);
        try {
            camel.start();
        } finally {
            log.setLevel(level);
        }
    }

    /** Receives the migrations of the throwaway context's routes in place of the runner. */
    private static final class Checker implements MigrationComponent.Loader {
        private final HubProperties properties;
        private final boolean connect;
        private final Map<String, Migration> loaded = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private final List<HubException.ErrorCode> codes = new ArrayList<>();

        Checker(HubProperties properties, boolean connect) {
            this.properties = properties;
            this.connect = connect;
        }

        @Override
        public void register(String name, MigrationCapability capability, OptionBinder.Bound options, String location,
                             Consumer<RunSummary> onRunFinished) {
            Migration migration;
            MigrationJob job;
            try {
                migration = Migration.declared(name, capability.kind(), options, location);
                Migration previous = loaded.putIfAbsent(migration.name(), migration);
                if (previous != null) {
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe()
                            + ": a migration of that name is already loaded from " + previous.describe()
                            + "; give each route its own routeId");
                }
                MigrationSchedules.validate(migration, properties.getSchedules().getMisfire());
                job = capability.open(migration);
            } catch (HubException e) {
                problems.add(e.getMessage());
                codes.add(e.code());
                return;
            }
            try {
                if (connect) {
                    job.preflight();
                }
            } catch (HubException e) {
                problems.add(e.getMessage().contains(migration.describe()) ? e.getMessage()
                        : "Cannot start migration " + migration.describe() + ": " + e.getMessage());
                codes.add(e.code());
            } catch (RuntimeException e) {
                problems.add("Cannot start migration " + migration.describe() + ": " + Errors.oneLine(e));
                codes.add(HubException.ErrorCode.CONNECTION);
            } finally {
                job.close();
            }
        }

        @Override
        public void unregister(String name) {
            // nothing was registered anywhere
        }
    }

    /** Camel's {@code {{name}}} placeholders from Spring's environment, as in the hub's own context. */
    private record SpringProperties(Environment environment) implements PropertiesSource {
        @Override
        public String getName() {
            return "spring-environment";
        }

        @Override
        public String getProperty(String name) {
            return environment.getProperty(name);
        }
    }
}

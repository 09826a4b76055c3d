package id.go.pdn.hub.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides whether this start of the hub listens for HTTP at all. Only a serving hub ({@code hub.serving=true}, set
 * by {@code hub run} without --once and {@code hub demo --serve}) with {@code hub.management.port > 0} gets a web
 * context, and even then the main server stays off ({@code server.port=-1}): the Actuator endpoints, Jolokia and
 * Hawtio live on the management server alone. Every other command is a plain, portless context.
 */
public class ManagementEnvironmentPostProcessor implements EnvironmentPostProcessor {

    public static final String SERVING = "hub.serving";
    public static final String MANAGEMENT_PORT = "hub.management.port";
    public static final int DEFAULT_MANAGEMENT_PORT = 9090;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean serving = environment.getProperty(SERVING, Boolean.class, false);
        int port = managementPort(environment);
        Map<String, Object> decided = new LinkedHashMap<>();
        if (serving && port > 0) {
            decided.put("spring.main.web-application-type", "servlet");
            decided.put("server.port", "-1");
            decided.put("management.server.port", String.valueOf(port));
        } else {
            decided.put("spring.main.web-application-type", "none");
            decided.put("management.server.port", "-1");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("hub-management", decided));
    }

    /** The configured management port; 0 or below means off (Boot's 0 would be a random port). */
    public static int managementPort(org.springframework.core.env.PropertyResolver environment) {
        return environment.getProperty(MANAGEMENT_PORT, Integer.class, DEFAULT_MANAGEMENT_PORT);
    }
}

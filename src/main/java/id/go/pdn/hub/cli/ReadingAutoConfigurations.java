package id.go.pdn.hub.cli;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out, before their classes are even loaded, the auto-configurations a short command never uses:
 * <ul>
 * <li>a copying command that does not serve ({@link HubLauncher#once()}: {@code run --once}, {@code cutover},
 * {@code demo} without --serve) leaves out the management port (Actuator, Hawtio, Jolokia, Spring Security, the web
 * server), metrics and the schedules (Quartz): it opens no HTTP port and fires no schedule anyway. It keeps the queue
 * (JMS, the embedded Artemis broker), JMX (the hub's and Camel's MBeans) and Camel's component settings;</li>
 * <li>a reading command ({@link HubLauncher#reading()}: {@code status --ledger}, {@code plan}, {@code report}) also
 * leaves out the queue and Camel's component, language and data format settings, so its start costs about a third of
 * a full one.</li>
 * </ul>
 * A serving hub ({@code run} without --once, {@code demo --serve}) and the tools ({@code dlq}, {@code reset}) keep them all.
 */
public class ReadingAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    /** Set by {@link HubLauncher#reading()}. */
    public static final String READING = "hub.reading";

    /** Set by {@link HubLauncher#once()}: a copying command that neither serves nor fires schedules. */
    public static final String ONCE = "hub.once";

    /** Auto-configurations (by package) a command that does not serve leaves out. */
    static final List<String> NOT_SERVING = List.of(
            "org.springframework.boot.actuate.autoconfigure.",
            "org.springframework.boot.autoconfigure.quartz.",
            "org.springframework.boot.autoconfigure.security.",
            "org.springframework.boot.autoconfigure.web.",
            "org.springframework.boot.autoconfigure.websocket.",
            "org.springframework.boot.autoconfigure.http.",
            "org.springframework.boot.autoconfigure.jmx.", // spring.jmx.enabled is false: the hub and Camel register their own MBeans
            "org.springframework.boot.autoconfigure.mail.",
            "io.hawt.",
            "org.jolokia.",
            // Camel's meters want the MeterRegistry of the Actuator's metrics
            "org.apache.camel.component.micrometer.",
            "org.apache.camel.spring.boot.actuate.",
            "org.apache.camel.spring.boot.security.");

    /** Auto-configurations (by package) a reading command leaves out. */
    static final List<String> LEFT_OUT = Stream.concat(NOT_SERVING.stream(), Stream.of(
            "org.springframework.boot.autoconfigure.jms.",
            // Camel's component, language and data format starters only bind camel.component.* settings; a reading
            // command's routes use the hub's own migration: component (Camel still finds the others by itself)
            "org.apache.camel.component.",
            "org.apache.camel.language.",
            "org.apache.camel.dataformat.",
            "org.apache.camel.spring.boot.cloud.",
            "org.apache.camel.spring.boot.vault.")).toList();

    private List<String> leftOut = List.of();

    @Override
    public void setEnvironment(Environment environment) {
        if (environment.getProperty(READING, Boolean.class, false)) {
            leftOut = LEFT_OUT;
        } else if (environment.getProperty(ONCE, Boolean.class, false)
                && !environment.getProperty(id.go.pdn.hub.ops.ManagementEnvironmentPostProcessor.SERVING, Boolean.class, false)) {
            leftOut = NOT_SERVING;
        }
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = !leftOut(autoConfigurationClasses[i], leftOut);
        }
        return matches;
    }

    private static boolean leftOut(String autoConfiguration, List<String> packages) {
        return autoConfiguration != null && packages.stream().anyMatch(autoConfiguration::startsWith);
    }
}

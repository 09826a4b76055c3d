package id.go.pdn.hub.cli;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * For a reading command ({@link HubLauncher#reading()}: {@code status --ledger}, {@code plan}, {@code report}) leaves
 * out the auto-configurations it never uses, before their classes are even loaded: the queue (JMS, the embedded
 * Artemis broker), the schedules (Quartz), the management port (Actuator, Hawtio, Jolokia, Spring Security, the web
 * server), metrics and Camel's JMS, Quartz, metrics, health and vault parts. Such a command reads the ledger (and, for
 * {@code plan}, the sources), so its start costs about a third of a full one. Every other command keeps them all.
 */
public class ReadingAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    /** Set by {@link HubLauncher#reading()}. */
    public static final String READING = "hub.reading";

    /** Auto-configurations (by package) a reading command leaves out. */
    static final List<String> LEFT_OUT = List.of(
            "org.springframework.boot.actuate.autoconfigure.",
            "org.springframework.boot.autoconfigure.jms.",
            "org.springframework.boot.autoconfigure.quartz.",
            "org.springframework.boot.autoconfigure.security.",
            "org.springframework.boot.autoconfigure.web.",
            "org.springframework.boot.autoconfigure.websocket.",
            "org.springframework.boot.autoconfigure.http.",
            "org.springframework.boot.autoconfigure.jmx.",
            "org.springframework.boot.autoconfigure.mail.",
            "io.hawt.",
            "org.jolokia.",
            // Camel's component, language and data format starters only bind camel.component.* settings; a reading
            // command's routes use the hub's own migration: component (Camel still finds the others by itself)
            "org.apache.camel.component.",
            "org.apache.camel.language.",
            "org.apache.camel.dataformat.",
            "org.apache.camel.spring.boot.actuate.",
            "org.apache.camel.spring.boot.cloud.",
            "org.apache.camel.spring.boot.vault.",
            "org.apache.camel.spring.boot.security.");

    private boolean reading;

    @Override
    public void setEnvironment(Environment environment) {
        reading = environment.getProperty(READING, Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = !reading || !leftOut(autoConfigurationClasses[i]);
        }
        return matches;
    }

    static boolean leftOut(String autoConfiguration) {
        return autoConfiguration != null && LEFT_OUT.stream().anyMatch(autoConfiguration::startsWith);
    }
}

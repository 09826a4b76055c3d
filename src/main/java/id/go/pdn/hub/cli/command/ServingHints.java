package id.go.pdn.hub.cli.command;

import java.util.ArrayList;
import java.util.List;
import id.go.pdn.hub.ops.RemoteJmxServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** How an operator looks at a serving hub: the lines `hub run` and `hub demo --serve` print once it is up. */
final class ServingHints {

    private ServingHints() {
    }

    /** The management server's base URL, or null when it is off. */
    static String managementUrl(Environment environment) {
        Integer port = environment.getProperty("local.management.port", Integer.class);
        return port == null ? null : StatusCommand.urlFor(environment, port);
    }

    static List<String> lines(ConfigurableApplicationContext context, String configOptions) {
        List<String> lines = new ArrayList<>();
        String url = managementUrl(context.getEnvironment());
        if (url == null) {
            lines.add("management port: off (hub.management.port); JMX in this JVM only");
        } else {
            lines.add("live progress:   ./hub " + configOptions + "status --url " + url);
            lines.add("Jolokia:         curl -s " + url + "/actuator/jolokia/read/hub:type=hub");
            lines.add("                 curl -s '" + url + "/actuator/jolokia/read/hub:type=migration,*'");
            lines.add("Hawtio console:  " + url + "/actuator/hawtio");
            lines.add("Prometheus:      " + url + "/actuator/prometheus   health: " + url + "/actuator/health");
        }
        context.getBeanProvider(RemoteJmxServer.class).ifAvailable(jmx ->
                lines.add("jconsole:        jconsole " + jmx.url() + "   (user hub.jmx.remote.username)"));
        if (context.getBeanProvider(RemoteJmxServer.class).getIfAvailable() == null) {
            lines.add("jconsole:        local process " + ProcessHandle.current().pid()
                    + " (remote JMX: set hub.jmx.remote.port and credentials)");
        }
        return lines;
    }

    static String of(ConfigurableApplicationContext context) {
        return "\n  " + String.join("\n  ", lines(context, ""));
    }
}

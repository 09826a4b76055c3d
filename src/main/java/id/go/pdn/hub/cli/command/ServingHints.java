package id.go.pdn.hub.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import id.go.pdn.hub.ops.ManagementUsers;
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
            ManagementUsers users = context.getBean(ManagementUsers.class);
            Map<String, Path> generated = users.generatedFiles();
            String curlUser = generated.isEmpty() ? "-u USER" : "-u viewer:$(cat " + generated.get("viewer") + ")";
            lines.add("live progress:   ./hub " + configOptions + "status --url " + url);
            lines.add("Jolokia:         curl -s " + curlUser + " " + url + "/actuator/jolokia/read/hub:type=hub");
            lines.add("                 curl -s " + curlUser + " '" + url + "/actuator/jolokia/read/hub:type=migration,*'");
            lines.add("Hawtio console:  " + url + "/actuator/hawtio   (log in as viewer, or as operator to act)");
            lines.add("Prometheus:      " + url + "/actuator/prometheus   liveness: " + url + "/actuator/health/liveness");
            if (!generated.isEmpty()) {
                generated.forEach((user, file) -> lines.add(String.format("%-17s%s (owner-only)", "login " + user + ":", file)));
            } else {
                lines.add("logins:          hub.management.users");
            }
        }
        context.getBeanProvider(RemoteJmxServer.class).ifAvailable(jmx ->
                lines.add("jconsole:        jconsole " + jmx.url() + "   (a management user" + (jmx.tls() ? "; TLS)" : ")")));
        if (context.getBeanProvider(RemoteJmxServer.class).getIfAvailable() == null) {
            lines.add("jconsole:        local process " + ProcessHandle.current().pid()
                    + " (remote JMX: set hub.jmx.remote.port)");
        }
        return lines;
    }

    static String of(ConfigurableApplicationContext context) {
        return "\n  " + String.join("\n  ", lines(context, ""));
    }
}

package id.go.pdn.hub.cli.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.ledger.AuditEntry;
import id.go.pdn.hub.core.ledger.Freshness;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.ops.ManagementEnvironmentPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the migrations of the running hub live (its management port, through Jolokia): a progress bar "
                + "per migration with items, rows or bytes, rate and ETA, refreshed every second until Ctrl-C.",
                "If no hub answers, shows the ledger instead: items verified, failed and dead, rows, and each migration's last run."})
public class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Option(names = "--url", paramLabel = "URL",
            description = "Management URL of the running hub (default: http://<management.server.address>:<hub.management.port>, i.e. http://127.0.0.1:9090).")
    String url;

    @Option(names = "--json", description = "Print one JSON document (the hub's and every migration's attributes) and exit: for scripts.")
    boolean json;

    @Option(names = "--once", description = "Print the table once and exit.")
    boolean once;

    @Option(names = "--ledger", description = "Show the ledger only (no running hub asked): every migration ever recorded in this "
            + "data folder, and the latest operations called on the hub (audit trail).")
    boolean ledgerOnly;

    @Option(names = "--user", paramLabel = "NAME", description = "User on the management port (default: "
            + ManagementLogin.USER_ENV + ", hub.management.client.user, or the viewer a serving hub on this data folder made).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is that user's password "
            + "(default: " + ManagementLogin.PASSWORD_ENV + " or " + ManagementLogin.PASSWORD_FILE_ENV + ").")
    java.nio.file.Path passwordFile;

    /** Operations of the audit trail the ledger view shows. */
    private static final int AUDIT_LINES = 20;

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (ledgerOnly) {
            return ledgerView(null);
        }
        String managementUrl = url != null ? url : defaultUrl(hub.global.launcher().environment());
        if (managementUrl == null) {
            return ledgerView("hub: no management port configured (hub.management.port); showing the ledger");
        }
        ManagementLogin login = ManagementLogin.find(user, passwordFile, hub.global.launcher().environment(), false);
        JolokiaClient client = new JolokiaClient(managementUrl, mapper, login);
        JolokiaClient.Snapshot first;
        try {
            first = client.read();
        } catch (JolokiaClient.LoginRefused e) {
            System.err.println("hub: the hub at " + managementUrl + " refused " + (login == null ? "to answer without a login"
                    : "the " + login) + " (" + oneLine(e) + "); " + ManagementLogin.howToLogIn());
            return Main.BAD_CONFIGURATION;
        } catch (IOException e) {
            return ledgerView("hub: no hub answers at " + managementUrl + " (" + oneLine(e) + "); showing the ledger");
        }
        if (json) {
            ObjectNode document = mapper.createObjectNode().put("source", "hub").put("url", managementUrl);
            document.set("hub", first.hub());
            document.putArray("migrations").addAll(first.migrations());
            System.out.println(mapper.writeValueAsString(document));
            return Main.OK;
        }
        LiveStatusView view = new LiveStatusView(managementUrl);
        PrintStream out = System.out;
        int printed = view.print(out, first, 0);
        if (once) {
            return Main.OK;
        }
        while (true) {
            Thread.sleep(1000);
            JolokiaClient.Snapshot next;
            try {
                next = client.read();
            } catch (IOException e) {
                out.println("hub: the hub at " + managementUrl + " stopped answering (" + oneLine(e) + ")");
                return Main.OK;
            }
            printed = view.print(out, next, printed);
        }
    }

    /** The management port from the same settings the hub reads (config/application.yaml, -c files). */
    static String defaultUrl(Environment environment) {
        int port = ManagementEnvironmentPostProcessor.managementPort(environment);
        if (port <= 0) {
            return null;
        }
        return urlFor(environment, port);
    }

    /** The URL a client on this machine uses for the management server on this port (a wildcard bind: loopback). */
    static String urlFor(Environment environment, int port) {
        String address = environment.getProperty("management.server.address", "127.0.0.1");
        String host = "0.0.0.0".equals(address) || "::".equals(address) || address.isBlank() ? "127.0.0.1" : address;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String oneLine(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The ledger's view, as this command printed before the live view existed: works with or without a running hub. */
    private int ledgerView(String reason) throws IOException {
        if (reason != null) {
            (json ? System.err : System.out).println(reason);
        }
        try (ConfigurableApplicationContext context = hub.global.launcher().reading().start()) {
            Ledger ledger = context.getBean(Ledger.class);
            java.time.ZoneId zone = context.getBean(HubProperties.class).getTimeZone(); // times as operators read them
            if (json) {
                ObjectNode document = mapper.createObjectNode().put("source", "ledger")
                        .put("dataDir", context.getBean(HubProperties.class).getDataDir().toString());
                ArrayNode migrations = document.putArray("migrations");
                for (String name : ledger.migrationNames()) {
                    ItemCounts c = ledger.counts(name);
                    ObjectNode m = migrations.addObject().put("Name", name).put("Application", ledger.applicationOf(name).orElse(null))
                            .put("ItemsTotal", c.total()).put("ItemsDone", c.get(ItemStatus.VERIFIED))
                            .put("ItemsFailed", c.get(ItemStatus.FAILED)).put("ItemsDead", c.get(ItemStatus.DEAD))
                            .put("Rows", c.rows()).put("Bytes", c.bytes());
                    Freshness f = ledger.freshness(name);
                    m.put("ItemsComparedInLastRun", f.comparedInLatestRun())
                            .put("EqualToSourceAsOf", f.items() == 0 || f.equalAsOf() == null ? "" : f.equalAsOfText(zone));
                    ledger.lastRun(name).ifPresent(r -> m.put("Kind", r.kind()).put("LastRun", r.runId())
                            .put("LastRunState", String.valueOf(r.state())).put("LastRunStartedAt", String.valueOf(r.startedAt().atZoneSameInstant(zone).toOffsetDateTime())));
                }
                ArrayNode operations = document.putArray("operations");
                for (AuditEntry entry : ledger.auditTrail(null, AUDIT_LINES)) {
                    operations.addObject().put("at", entry.at().atZoneSameInstant(zone).toOffsetDateTime().toString())
                            .put("who", entry.who()).put("address", entry.address()).put("channel", entry.channel())
                            .put("migration", entry.migration()).put("operation", entry.operation()).put("outcome", entry.outcome());
                }
                System.out.println(mapper.writeValueAsString(document));
                return Main.OK;
            }
            System.out.println("Ledger of " + context.getBean(HubProperties.class).getDataDir());
            System.out.printf("%-24s %-12s %-6s %9s %7s %6s %14s  %s%n", "MIGRATION", "APPLICATION", "KIND", "VERIFIED", "FAILED",
                    "DEAD", "ROWS", "LAST RUN");
            for (String name : ledger.migrationNames()) {
                ItemCounts c = ledger.counts(name);
                String lastRun = ledger.lastRun(name).map(r -> "#" + r.runId() + " " + r.state() + " at " + r.startedAt().atZoneSameInstant(zone).toOffsetDateTime()
                        + (r.message() == null ? "" : " (" + r.message() + ")")).orElse("never");
                System.out.printf("%-24s %-12s %-6s %4d/%-4d %7d %6d %,14d  %s%n", name, ledger.applicationOf(name).orElse("?"),
                        ledger.lastRun(name).map(r -> r.kind()).orElse("?"), c.get(ItemStatus.VERIFIED), c.total(),
                        c.get(ItemStatus.FAILED), c.get(ItemStatus.DEAD), c.rows(), lastRun);
                Freshness f = ledger.freshness(name);
                if (f.items() > 0) {
                    System.out.printf("%-24s equal to the source as of %s; compared with the source in the last run: %d of %d%s%n", "",
                            f.equalAsOfText(zone), f.comparedInLatestRun(), f.items(), f.fresh() ? "" : " (the others: stale proof)");
                }
            }
            List<AuditEntry> trail = ledger.auditTrail(null, AUDIT_LINES);
            if (!trail.isEmpty()) {
                System.out.println();
                System.out.println("Operations called on the hub (latest " + trail.size() + "):");
                System.out.printf("%-25s %-16s %-18s %-9s %-24s %-17s %s%n", "WHEN", "WHO", "FROM", "VIA", "MIGRATION", "OPERATION", "OUTCOME");
                for (AuditEntry e : trail) {
                    System.out.printf("%-25s %-16s %-18s %-9s %-24s %-17s %s%n",
                            e.at().atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                            e.who(), e.address(), e.channel(), e.migration() == null ? "(hub)" : e.migration(), e.operation(),
                            e.outcome() == null ? "" : e.outcome());
                }
            }
            return Main.OK;
        }
    }
}

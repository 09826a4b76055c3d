package id.go.pdn.hub.cli.command;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.HubLauncher;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.queue.DeadLetters;
import id.go.pdn.hub.report.ApplicationReport;
import id.go.pdn.hub.report.ReportBuilder;
import id.go.pdn.hub.report.ReportWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes one report per application from the ledger, as report.json and a self-contained report.html "
                + "(charts, the verification of every table, file set and mailbox, rejects, dead letters, runs), and prints its verdict.",
                "Exit code 0 only if every application is COMPLETE AND VERIFIED (every item compared with the source in its "
                        + "migration's latest run or cut-over); 3 if one is STALE (complete, but its proof is older than the "
                        + "latest run), 1 if one is NOT VERIFIED, 2 for an unknown application."})
public class ReportCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

    @ParentCommand
    Main hub;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "APPLICATION", description = "Application (default: all in the ledger).")
    String application;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Folder for report.json and report.html (one subfolder per application when reporting all); "
                    + "default: <data-dir>/reports/<application>/.")
    Path output;

    @Option(names = {"-r", "--routes"}, paramLabel = "PATH", split = ",",
            description = "Route files or folders that declare the migrations: those never run are named as missing, and "
                    + "each migration's source and target are shown (never a user or password).")
    List<Path> routes = new ArrayList<>();

    @Option(names = "--port", description = "Loopback port of a running hub's broker (hub.queue.embedded-port), for its dead "
            + "letters; when none answers, the ledger's DEAD items are reported.", defaultValue = "61617")
    int port;

    @Override
    public Integer call() throws Exception {
        boolean brokerRunning = port > 0 && HubLauncher.answers(port);
        // the routes are read by Camel, as a run reads them: placeholders resolved, options checked, nothing started
        // without a running broker the report reads the ledger only (its DEAD items): a small reading context
        HubLauncher launcher = brokerRunning ? hub.global.launcher().toolMode(port) : hub.global.launcher().reading();
        try (ConfigurableApplicationContext context = launcher.routes(List.of(), routes).start()) {
            List<ReportBuilder.Declared> declared = context.getBean(MigrationRegistry.class).all().stream()
                    .map(ReportBuilder.Declared::of).toList();
            Ledger ledger = context.getBean(Ledger.class);
            ReportBuilder builder = context.getBean(ReportBuilder.class);
            ReportWriter writer = context.getBean(ReportWriter.class);
            RunReports runReports = context.getBean(RunReports.class);
            List<ApplicationReport.DeadLetter> deadLetters = brokerRunning ? brokerDeadLetters(context.getBean(DeadLetters.class)) : null;
            List<String> applications = new ArrayList<>(application != null ? List.of(application) : ledger.applications());
            if (application != null && !ledger.applications().contains(application)
                    && declared.stream().noneMatch(d -> application.equals(d.application()))) {
                List<String> known = new ArrayList<>(ledger.applications());
                System.err.println("hub: no application '" + application + "' in the ledger of " + context.getBean(
                        id.go.pdn.hub.core.HubProperties.class).getDataDir() + (routes.isEmpty() ? "" : " nor in " + routes)
                        + (known.isEmpty() ? ": nothing was run there yet" : "; known: " + String.join(", ", known)));
                return Main.BAD_CONFIGURATION;
            }
            if (application == null) {
                declared.stream().map(ReportBuilder.Declared::application)
                        .filter(a -> a != null && !applications.contains(a)).distinct().forEach(applications::add);
            }
            String version = spec.root().version().length > 0 ? spec.root().version()[0] : "Migration Hub";
            boolean allVerified = !applications.isEmpty();
            boolean anyNotVerified = false;
            if (applications.isEmpty()) {
                System.out.println("No application in the ledger: nothing was run yet.");
            }
            for (String app : applications) {
                ApplicationReport report = builder.build(app, version, declared, deadLetters);
                Path folder = output == null ? runReports.applicationDir(app) : application != null ? output : output.resolve(app);
                ReportWriter.Written files = writer.write(report, folder);
                allVerified &= report.verdict().verified();
                anyNotVerified |= !report.verdict().verified() && !report.verdict().isStale();
                System.out.printf("%s: %s (%d migrations, %d runs)%n", app, report.verdict().text(), report.migrations().size(),
                        report.runs().size());
                if (report.verdict().equalAsOf() != null) {
                    System.out.printf("  equal to the source as of %s (%s)%s%n", report.verdict().equalAsOf(), report.verdict().proofAge(),
                            report.verdict().verified() ? "; every item compared with the source in its migration's latest run" : "");
                }
                report.verdict().missing().forEach(m -> System.out.println("  missing: " + m));
                report.verdict().staleProof().forEach(m -> System.out.println("  stale proof: " + m));
                for (ApplicationReport.MigrationReport m : report.migrations()) {
                    System.out.printf("  %-24s %-6s %s/%s items verified, %,d %s%n", m.name(), m.kind(), m.itemsVerified(),
                            m.itemsTotal(), m.units(), m.unit());
                }
                System.out.println("  -> " + files.json());
                System.out.println("  -> " + files.html());
            }
            return allVerified ? Main.OK : anyNotVerified || applications.isEmpty() ? Main.NOT_VERIFIED : Main.STALE;
        }
    }

    /** The running hub's dead letters, or null (then the ledger's) if its broker cannot be read after all. */
    private static List<ApplicationReport.DeadLetter> brokerDeadLetters(DeadLetters deadLetters) {
        try {
            return deadLetters.list(null).stream()
                    .map(l -> new ApplicationReport.DeadLetter(l.migration(), l.itemKey(), id.go.pdn.hub.core.Redaction.text(l.error())))
                    .toList();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the dead-letter queue of the running hub ({}); reporting the ledger's DEAD items", e.getMessage());
            return null;
        }
    }

}

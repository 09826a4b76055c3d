package id.go.pdn.hub.cli.command;

import java.util.List;
import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.jmx.AuditTrail;
import id.go.pdn.hub.core.jmx.Caller;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.queue.DeadLetters;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Dead letters: items that failed after every retry.",
                "list: shows them with their errors; replay: sends them back to the work queue (the running hub, or the next run, copies them); "
                        + "a tracked route's letters stay (the route's next poll takes its DEAD items again)."})
public class DlqCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Parameters(index = "0", paramLabel = "list|replay")
    String action;

    @Option(names = {"-m", "--migration"}, description = "Only this migration's dead letters.")
    String migration;

    @Option(names = "--port", description = "Loopback port of a running hub's broker (hub.queue.embedded-port).", defaultValue = "61617")
    int port;

    @Override
    public Integer call() {
        if (!action.equals("list") && !action.equals("replay")) {
            System.err.println("hub dlq: say list or replay, not '" + action + "'");
            return Main.BAD_CONFIGURATION;
        }
        try (ConfigurableApplicationContext context = hub.global.launcher().toolMode(port).start()) {
            DeadLetters deadLetters = context.getBean(DeadLetters.class);
            if (action.equals("list")) {
                List<DeadLetters.DeadLetter> letters = deadLetters.list(migration);
                System.out.println(letters.size() + " dead letters" + (migration == null ? "" : " of " + migration));
                letters.forEach(l -> System.out.printf("  %s  %s%n      %s%n", l.migration(), l.itemKey(), l.error()));
            } else {
                Ledger ledger = context.getBean(Ledger.class);
                String application = migration == null ? null : ledger.applicationOf(migration).orElse(null);
                List<String> trackedRoutes = ledger.migrationNamesOfKind(id.go.pdn.hub.core.tracked.TrackedRoutes.KIND);
                System.out.println(AuditTrail.record(ledger, Caller.local("cli"), migration, application, "replayDeadLetters",
                        () -> deadLetters.replayExceptTracked(migration, trackedRoutes).text()));
            }
            return Main.OK;
        }
    }
}

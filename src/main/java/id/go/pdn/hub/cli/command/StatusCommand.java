package id.go.pdn.hub.cli.command;

import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows every migration in the ledger: items verified, failed and dead, rows, and its last run.")
public class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = hub.global.launcher().toolMode(0).start()) {
            Ledger ledger = context.getBean(Ledger.class);
            System.out.println("Ledger of " + context.getBean(HubProperties.class).getDataDir());
            System.out.printf("%-24s %-12s %-6s %9s %7s %6s %14s  %s%n", "MIGRATION", "APPLICATION", "KIND", "VERIFIED", "FAILED",
                    "DEAD", "ROWS", "LAST RUN");
            for (String name : ledger.migrationNames()) {
                ItemCounts c = ledger.counts(name);
                String lastRun = ledger.lastRun(name).map(r -> "#" + r.runId() + " " + r.state() + " at " + r.startedAt()
                        + (r.message() == null ? "" : " (" + r.message() + ")")).orElse("never");
                System.out.printf("%-24s %-12s %-6s %4d/%-4d %7d %6d %,14d  %s%n", name, ledger.applicationOf(name).orElse("?"),
                        ledger.lastRun(name).map(r -> r.kind()).orElse("?"), c.get(ItemStatus.VERIFIED), c.total(),
                        c.get(ItemStatus.FAILED), c.get(ItemStatus.DEAD), c.rows(), lastRun);
            }
            return Main.OK;
        }
    }
}

package id.go.pdn.hub.cli.command;

import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.jmx.AuditTrail;
import id.go.pdn.hub.core.jmx.Caller;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.schedule.MigrationSchedules;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Forgets a migration's plan and items in the ledger (its run history stays): its next run plans and copies everything again.")
public class ResetCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Parameters(paramLabel = "MIGRATION")
    String migration;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = hub.global.launcher().toolMode(0).start()) {
            Ledger ledger = context.getBean(Ledger.class);
            String application = ledger.applicationOf(migration).orElse(null);
            System.out.println(AuditTrail.record(ledger, Caller.local("cli"), migration, application, "reset", () -> {
                ledger.forget(migration);
                // a route that still declares a cron stores its schedule again when a hub loads it
                context.getBean(MigrationSchedules.class).unschedule(migration);
                return "Forgot the plan and the schedule of " + migration + "; its next run starts from the beginning";
            }));
            return Main.OK;
        }
    }
}

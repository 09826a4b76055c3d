package id.go.pdn.hub.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import id.go.pdn.hub.cli.HubLauncher;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.ledger.Ledger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Loads migration routes (YAML files or folders of them) and runs them.",
                "Without --once the hub keeps serving: migrations without cron run at once, the others on schedule; JMX stays open until Ctrl-C."})
public class RunCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Option(names = "--once", description = "Run every migration once, wait; exit 0 only if every item was copied and verified, or compared with "
            + "the source, in this run; 3 if some were verified only by an earlier run (stale proof); 2 if no migration was loaded.")
    boolean once;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Route files or folders.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        HubLauncher launcher = hub.global.launcher().routes(List.of(), paths).preflight();
        if (once) {
            launcher.once(); // one run of each, now; the schedules stay as stored; no management port
        } else {
            launcher.serving();
        }
        try (ConfigurableApplicationContext context = launcher.start()) {
            MigrationRunner runner = context.getBean(MigrationRunner.class);
            if (once && context.getBean(id.go.pdn.hub.core.MigrationRegistry.class).all().isEmpty()) {
                System.err.println("hub: no migration loaded from " + paths + ": nothing to run (a route declares one with "
                        + "`uri: migration:db`, `migration:files` or `migration:mail`)");
                return Main.BAD_CONFIGURATION;
            }
            if (once) {
                List<RunSummary> summaries = runner.runAll("once");
                Summaries.print(System.out, summaries, context.getBean(Ledger.class), context.getBean(Capabilities.class),
                        context.getBean(id.go.pdn.hub.core.HubProperties.class).getTimeZone());
                return Summaries.exitCode(summaries);
            }
            runner.startUnscheduled("start");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.println("hub: serving; Ctrl-C stops. " + ServingHints.of(context));
            stopped.await();
            return Main.OK;
        }
    }
}

package id.go.pdn.hub.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import id.go.pdn.hub.cli.command.CutoverCommand;
import id.go.pdn.hub.cli.command.DemoCommand;
import id.go.pdn.hub.cli.command.DlqCommand;
import id.go.pdn.hub.cli.command.PlanCommand;
import id.go.pdn.hub.cli.command.ReportCommand;
import id.go.pdn.hub.cli.command.ResetCommand;
import id.go.pdn.hub.cli.command.RunCommand;
import id.go.pdn.hub.cli.command.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./hub}: the hub's command line. Each command starts the hub's context with what it needs. */
@Command(name = "hub", mixinStandardHelpOptions = true, version = "Migration Hub 0.1.0",
        description = "Migrates an application's database, files and mail into the national data center, and proves it.",
        subcommands = {DemoCommand.class, RunCommand.class, PlanCommand.class, StatusCommand.class, ReportCommand.class, CutoverCommand.class,
                DlqCommand.class,
                ResetCommand.class, CommandLine.HelpCommand.class})
public class Main {

    /*
     * Exit codes, the same for every command (the README's table lists what each command returns).
     */
    /** Everything verified and, where a command speaks of it, compared with the source now (in this run or cut-over). */
    public static final int OK = 0;
    /** Something is not verified, not equal to the source, or could not be done. */
    public static final int NOT_VERIFIED = 1;
    /** Bad command line or configuration, unknown application, no migration loaded: one line on stderr. */
    public static final int BAD_CONFIGURATION = 2;
    /** Everything was verified once, but not every item was compared with the source in the latest run: stale proof. */
    public static final int STALE = 3;
    /** {@code cutover}: the target was equal, but a source changed during the cut-over (the application was not frozen). */
    public static final int SOURCE_CHANGED = 4;

    @CommandLine.Mixin
    public GlobalOptions global = new GlobalOptions();

    /** Options every command takes. */
    public static class GlobalOptions {
        @Option(names = {"-c", "--config"}, scope = CommandLine.ScopeType.INHERIT, description = "Extra config file (Spring application.yaml style); config/application.yaml is always read if present.")
        public List<Path> configFiles = new ArrayList<>();

        @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, description = "Folder of the ledger, the queue journal and the reports (default: ./data, or hub.data-dir).")
        public Path dataDir;

        @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "On an error, print its stack trace too.")
        public boolean debug;

        public HubLauncher launcher() {
            return new HubLauncher(this);
        }
    }

    public static void main(String[] args) {
        id.go.pdn.hub.core.ledger.LedgerPassword.loopbackOnly(); // before any H2 database opens (the demo's open early)
        // until Spring Boot sets up logging (application.yaml), libraries started before it (the demo's embedded SFTP
        // servers) would log at logback's default DEBUG/INFO
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String training = System.getProperty(CdsTraining.PROPERTY);
        if (training != null) {
            try {
                System.exit(CdsTraining.run(Path.of(training)));
            } catch (java.io.IOException e) {
                System.err.println("hub: cannot train the class-data-sharing archive in " + training + ": " + e.getMessage());
                System.exit(BAD_CONFIGURATION);
            }
        }
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /**
     * The command line with the hub's error handling: a failed command prints one explained error (no stack trace
     * unless {@code --debug}) and exits {@value #BAD_CONFIGURATION}.
     */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine commandLine = new CommandLine(main);
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println(StartupErrors.explain(error));
            if (main.global.debug) {
                error.printStackTrace(cmd.getErr());
            }
            return BAD_CONFIGURATION;
        });
        return commandLine;
    }
}

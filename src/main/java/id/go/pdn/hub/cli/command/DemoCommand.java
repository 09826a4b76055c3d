package id.go.pdn.hub.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.db.DataSources;
import id.go.pdn.hub.files.EmbeddedSftpServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Migrates a seeded demo application end to end on embedded servers, verifies it and prints the summary.")
public class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Override
    public Integer call() throws Exception {
        Path dir = (hub.global.dataDir != null ? hub.global.dataDir : Path.of("data")).resolve("demo").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dir); // the demo starts from nothing every time
        Main.GlobalOptions demo = new Main.GlobalOptions();
        demo.dataDir = dir;
        demo.configFiles = hub.global.configFiles;
        System.out.println("Migration Hub demo: application 'simpeg' from its local servers into PDN (embedded), data in " + dir);
        String password = UUID.randomUUID().toString(); // both demo SFTP servers; reaches the route as ${demo.files.password}
        DemoFiles.uploads(dir.resolve("simpeg-sftp/uploads"));
        try (EmbeddedSftpServer source = EmbeddedSftpServer.start(dir.resolve("simpeg-sftp"), "simpeg", password);
             EmbeddedSftpServer target = EmbeddedSftpServer.start(dir.resolve("pdn-sftp"), "pdn", password);
             MailDemoServers mail = new MailDemoServers(dir.resolve("mail"));
             ConfigurableApplicationContext context = demo.launcher()
                .property("demo.files.source-port", String.valueOf(source.port()))
                .property("demo.files.target-port", String.valueOf(target.port()))
                .property("demo.files.password", password)
                .property("demo.files.known-hosts", target.appendKnownHost(source.appendKnownHost(dir.resolve("known_hosts"))).toString())
                .property("hub.datasources.demo-simpeg-local.url", "jdbc:h2:file:" + dir.resolve("simpeg-local") + ";MODE=Regular")
                .property("hub.datasources.demo-simpeg-local.username", "sa")
                .property("hub.datasources.demo-pdn.url", "jdbc:h2:file:" + dir.resolve("pdn"))
                .property("hub.datasources.demo-pdn.username", "sa")
                .property("hub.queue.embedded-port", "0")
                .property("hub.schedules.enabled", "false")
                .property("hub.demo.mail.source", mail.sourceUrl())
                .property("hub.demo.mail.target", mail.targetUrl())
                .property("hub.demo.mail.accounts", mail.accounts.toString())
                .routes(List.of("classpath:demo/demo-db.yaml", "classpath:demo/demo-files.yaml", "classpath:demo/demo-mail.yaml"), List.of())
                .start()) {
            DataSource local = context.getBean(DataSources.class).get("demo-simpeg-local");
            try (var connection = local.getConnection()) {
                ScriptUtils.executeSqlScript(connection, new ClassPathResource("demo/simpeg-source.sql"));
            }
            System.out.println("Seeded the local database of 'simpeg', its uploads on an SFTP server and " + mail.messages
                    + " messages of its mail server (nested and empty folders, flags, keywords, no Message-ID, broken headers); migrating ...");
            List<RunSummary> summaries = context.getBean(MigrationRunner.class).runAll("demo");
            Summaries.print(System.out, summaries, context.getBean(Ledger.class));
            System.out.println("Ledger: " + dir.resolve("ledger") + "   reports: " + dir.resolve("reports")
                    + "   files: " + dir.resolve("pdn-sftp/simpeg/uploads"));
            return summaries.stream().allMatch(RunSummary::succeeded) ? Main.OK : Main.NOT_VERIFIED;
        }
    }
}

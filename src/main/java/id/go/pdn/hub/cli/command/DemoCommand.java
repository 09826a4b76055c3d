package id.go.pdn.hub.cli.command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import id.go.pdn.hub.cli.HubLauncher;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.Secrets;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.db.DataSources;
import id.go.pdn.hub.files.EmbeddedSftpServer;
import id.go.pdn.hub.ops.ManagementEnvironmentPostProcessor;
import id.go.pdn.hub.ops.ManagementRole;
import id.go.pdn.hub.ops.ManagementUsers;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Migrates a seeded demo application end to end on embedded servers, verifies it and prints the summary.",
                "It also writes the demo's settings (hub-demo.yaml, secrets in owner-only files) and its three route files "
                        + "(routes/) into the demo folder, for other commands to use while the demo serves."})
public class DemoCommand implements Callable<Integer> {

    /** The demo's route files, copied into the demo folder. */
    static final List<String> ROUTES = List.of("demo/demo-db.yaml", "demo/demo-files.yaml", "demo/demo-mail.yaml");
    static final String CONFIG_FILE = "hub-demo.yaml";

    @ParentCommand
    Main hub;

    @Option(names = "--serve", description = "After the summary keep the hub and its embedded servers running, with the "
            + "management port (Actuator, Jolokia, Hawtio) and JMX, until Ctrl-C.")
    boolean serve;

    @Override
    public Integer call() throws Exception {
        Path dir = (hub.global.dataDir != null ? hub.global.dataDir : Path.of("data")).resolve("demo").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dir); // the demo starts from nothing every time
        Main.GlobalOptions demo = new Main.GlobalOptions();
        demo.dataDir = dir;
        demo.configFiles = hub.global.configFiles;
        System.out.println("Migration Hub demo: application 'simpeg' from its local servers into PDN (embedded), data in " + dir);
        // both demo SFTP servers; the route reads it from this owner-only file (demo.files.password-file)
        Path passwordFile = ownerOnly(dir.resolve("sftp.password"), UUID.randomUUID().toString());
        String password = Files.readString(passwordFile).strip();
        DemoFiles.uploads(dir.resolve("simpeg-sftp/uploads"));
        try (EmbeddedSftpServer source = EmbeddedSftpServer.start(dir.resolve("simpeg-sftp"), "simpeg", password);
             EmbeddedSftpServer target = EmbeddedSftpServer.start(dir.resolve("pdn-sftp"), "pdn", password);
             MailDemoServers mail = new MailDemoServers(dir.resolve("mail"))) {
            // AUTO_SERVER: other commands (e.g. `hub plan` with hub-demo.yaml) can open the databases while the demo runs
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("demo.files.source-port", String.valueOf(source.port()));
            settings.put("demo.files.target-port", String.valueOf(target.port()));
            settings.put("demo.files.password-file", passwordFile.toString());
            settings.put("demo.files.known-hosts", target.appendKnownHost(source.appendKnownHost(dir.resolve("known_hosts"))).toString());
            settings.put("hub.datasources.demo-simpeg-local.url", "jdbc:h2:file:" + dir.resolve("simpeg-local") + ";MODE=Regular;AUTO_SERVER=TRUE");
            settings.put("hub.datasources.demo-simpeg-local.username", "sa");
            // H2 creates each database with the password of its first session: a random one, in an owner-only file
            settings.put("hub.datasources.demo-simpeg-local.password-file", passwordFile(dir.resolve("simpeg-local.db.password")));
            settings.put("hub.datasources.demo-pdn.url", "jdbc:h2:file:" + dir.resolve("pdn") + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=15000"); // parallel index builds: H2's 1 s lock wait is short on a busy machine
            settings.put("hub.datasources.demo-pdn.username", "sa");
            settings.put("hub.datasources.demo-pdn.password-file", passwordFile(dir.resolve("pdn.db.password")));
            settings.put("hub.queue.embedded-port", "0");
            settings.put("hub.schedules.enabled", "false");
            settings.put("hub.demo.mail.source", mail.sourceUrl());
            settings.put("hub.demo.mail.target", mail.targetUrl());
            settings.put("hub.demo.mail.accounts", mail.accounts.toString());
            HubLauncher launcher = demo.launcher();
            if (serve) {
                launcher.serving();
                int port = ManagementEnvironmentPostProcessor.managementPort(launcher.environment());
                if (port > 0 && !free(port)) {
                    int other = anyFreePort();
                    System.out.println("Port " + port + " is in use; the demo's management port is " + other);
                    settings.put(ManagementEnvironmentPostProcessor.MANAGEMENT_PORT, String.valueOf(other));
                }
            } else {
                launcher.once(); // runs each migration once and ends: no management port
            }
            settings.forEach(launcher::property);
            try (ConfigurableApplicationContext context = launcher
                    .routes(ROUTES.stream().map(r -> "classpath:" + r).toList(), List.of()).start()) {
                DataSource local = context.getBean(DataSources.class).get("demo-simpeg-local");
                try (var connection = local.getConnection()) {
                    ScriptUtils.executeSqlScript(connection, new ClassPathResource("demo/simpeg-source.sql"));
                }
                Path config = writeConfig(dir, settings, context.getEnvironment());
                System.out.println("Seeded the local database of 'simpeg', its uploads on an SFTP server and " + mail.messages
                        + " messages of its mail server (nested and empty folders, flags, keywords, no Message-ID, broken headers); migrating ...");
                List<RunSummary> summaries = context.getBean(MigrationRunner.class).runAll("demo");
                Summaries.print(System.out, summaries, context.getBean(Ledger.class), context.getBean(Capabilities.class),
                        context.getBean(id.go.pdn.hub.core.HubProperties.class).getTimeZone());
                System.out.println("Ledger: " + dir.resolve("ledger") + "   reports: " + dir.resolve("reports")
                        + "   files: " + dir.resolve("pdn-sftp/simpeg/uploads"));
                System.out.println("The demo's settings: " + config + " (secrets in owner-only files beside it), routes: "
                        + dir.resolve("routes"));
                int exit = Summaries.exitCode(summaries);
                if (!serve) {
                    return exit;
                }
                System.out.println();
                System.out.println("The demo keeps serving (its databases, SFTP and IMAP servers too); Ctrl-C stops it.");
                ServingHints.lines(context, "").forEach(line -> System.out.println("  " + line));
                System.out.println("  its sources:     ./hub -c " + config + " plan " + dir.resolve("routes"));
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "hub-demo-stop"));
                stopped.await();
                return exit;
            }
        }
    }

    /**
     * Writes hub-demo.yaml (the settings another command needs to reach the demo's servers: datasources, ports,
     * known hosts; passwords only as files) and copies the demo's route files to routes/.
     */
    private static Path writeConfig(Path dir, Map<String, String> settings, Environment environment) throws IOException {
        Map<String, Object> tree = new LinkedHashMap<>();
        settings.forEach((key, value) -> put(tree, key, value));
        Integer managementPort = environment.getProperty("local.management.port", Integer.class);
        if (managementPort != null) {
            put(tree, ManagementEnvironmentPostProcessor.MANAGEMENT_PORT, managementPort);
            // `hub -c hub-demo.yaml status` logs in as the demo's viewer (its password in an owner-only file)
            put(tree, "hub.management.client.user", "viewer");
            put(tree, "hub.management.client.password-file",
                    ManagementUsers.generatedFile(dir, ManagementRole.VIEWER).toString());
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String header = "# Settings of the demo written by `hub demo` at " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                + ". Its embedded servers (H2, SFTP, IMAP)\n"
                + "# answer only while `hub demo --serve` runs. Use them from another command, e.g.\n"
                + "#   ./hub -c " + dir.resolve(CONFIG_FILE) + " plan " + dir.resolve("routes") + "\n"
                + "#   ./hub -c " + dir.resolve(CONFIG_FILE) + " status\n"
                + "# No secret is written here: the SFTP password is in sftp.password, the mail passwords in mail/*.password,\n"
                + "# the databases' in *.db.password, the management port's logins in management/*.password (owner-only\n"
                + "# files), referenced by demo.files.password-file, the accounts file and the settings below.\n";
        Path config = dir.resolve(CONFIG_FILE);
        Files.writeString(config, header + new Yaml(options).dump(tree), StandardCharsets.UTF_8);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        for (String route : ROUTES) {
            try (var in = new ClassPathResource(route).getInputStream()) {
                Files.copy(in, routes.resolve(Path.of(route).getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return config;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String dottedKey, Object value) {
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        // ports as numbers, as one writes them by hand
        node.put(parts[parts.length - 1], value instanceof String text && text.matches("\\d{1,9}") ? Integer.valueOf(text) : value);
    }

    private static String passwordFile(Path file) {
        Secrets.randomInFile(file);
        return file.toString();
    }

    /** Writes a secret into a file only its owner can read (where the file system knows POSIX modes). */
    static Path ownerOnly(Path file, String secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

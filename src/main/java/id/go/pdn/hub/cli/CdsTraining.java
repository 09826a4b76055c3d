package id.go.pdn.hub.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher's training start for the class-data-sharing archive ({@code ./hub} runs it once after a build, with
 * {@code -XX:ArchiveClassesAtExit}): in one JVM, a copying command that copies two local files (its whole path: the
 * routes, the ledger, the broker, the workers, the verification, the summary, the stop), then the reading commands
 * on its ledger ({@code status --ledger}, {@code plan}, {@code report}). Every class they load goes into the archive,
 * so the next starts of these commands load nearly none from the jars. Everything happens in the given folder; the broker's
 * loopback port is a free one.
 */
final class CdsTraining {

    /** {@code -Dhub.cds-training=DIR}: run the training in DIR (an empty temporary folder) instead of a command. */
    static final String PROPERTY = "hub.cds-training";

    private CdsTraining() {
    }

    static int run(Path dir) throws IOException {
        Path source = dir.resolve("source");
        Files.createDirectories(source.resolve("d"));
        Files.writeString(source.resolve("a.txt"), "a\n");
        Files.writeString(source.resolve("d/b.txt"), "b\n");
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("training.yaml"), """
                - route:
                    id: hub-training
                    from:
                      uri: migration:files
                      parameters:
                        application: "training"
                        source: "file:%s"
                        target: "file:%s"
                      steps:
                        - log: "${body}"
                """.formatted(source, dir.resolve("target")));
        String data = dir.resolve("data").toString();
        // the broker's loopback port as a copying command opens it, on a free port: another hub on this machine may
        // hold the default one
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("hub.queue.embedded-port", String.valueOf(free.getLocalPort()));
        }
        int code = Main.commandLine().execute("--data-dir", data, "run", "--once", routes.toString());
        Main.commandLine().execute("--data-dir", data, "status", "--ledger");
        Main.commandLine().execute("--data-dir", data, "plan", routes.toString());
        Main.commandLine().execute("--data-dir", data, "report", "--port", "0", "-r", routes.toString());
        return code;
    }
}

package id.go.pdn.hub.ops.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every port the hub or its demo opens listens on the loopback (issue 17): the packaged hub runs as its own process
 * (`demo --serve` with its H2, SFTP and IMAP servers and remote JMX; `run` serving routes with its ledger's H2 server, its
 * broker port, the management port), and its listening sockets are read from /proc/net/tcp and tcp6. A management port
 * asked for beyond the loopback without TLS stops the start with exit code 2 and one line.
 */
class ListeningSocketsIT {

    @TempDir
    Path dir;

    @Test
    void theDemoAndAServingHubListenOnTheLoopbackOnly() throws Exception {
        Path demoLog = dir.resolve("demo.log");
        Process demo = hub(demoLog, List.of("-Dhub.management.port=" + TestHub.freePort(), "-Dhub.jmx.remote.port=" + TestHub.freePort()),
                "--data-dir", dir.toString(), "demo", "--serve");
        Process run = null;
        try {
            await().atMost(Duration.ofMinutes(7)).until(() -> !demo.isAlive() || Files.readString(demoLog).contains("keeps serving"));
            assertThat(demo.isAlive()).as(Files.readString(demoLog)).isTrue();
            List<String> demoSockets = listening(demo.pid());
            // management port, remote JMX, two SFTP servers, two IMAP servers, H2 servers of the ledger and two databases
            assertThat(demoSockets).as("listening sockets of the demo").hasSizeGreaterThanOrEqualTo(7).allSatisfy(ListeningSocketsIT::loopback);

            // a serving hub on the demo's sources, with its own ledger and broker port
            Path runLog = dir.resolve("run.log");
            run = hub(runLog, List.of("-Dhub.management.port=" + TestHub.freePort(), "-Dhub.queue.embedded-port=" + TestHub.freePort()),
                    "-c", dir.resolve("demo/hub-demo.yaml").toString(), "--data-dir", dir.resolve("run").toString(), "run",
                    dir.resolve("demo/routes").toString());
            Process serving = run;
            await().atMost(Duration.ofMinutes(7)).until(() -> !serving.isAlive() || Files.readString(runLog).contains("serving"));
            assertThat(run.isAlive()).as(Files.readString(runLog)).isTrue();
            List<String> runSockets = listening(run.pid());
            // management port, broker, ledger's H2 server
            assertThat(runSockets).as("listening sockets of the serving hub").hasSizeGreaterThanOrEqualTo(3).allSatisfy(ListeningSocketsIT::loopback);
        } finally {
            stop(run);
            stop(demo);
        }
    }

    @Test
    void aManagementPortBeyondTheLoopbackWithoutTlsStopsTheStart() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("none.yaml"), "[]\n");
        int port = TestHub.freePort();
        Path log = dir.resolve("refused.log");
        Process refused = hub(log, List.of("-Dhub.management.port=" + port, "-Dmanagement.server.address=0.0.0.0"),
                "--data-dir", dir.toString(), "run", routes.toString());
        assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(refused.exitValue()).as(String.join("\n", lines)).isEqualTo(2);
        assertThat(lines).containsExactly("hub: Cannot open the management port on 0.0.0.0:" + port + " without TLS: set "
                + "management.server.ssl.enabled: true with management.server.ssl.bundle (or key-store), or "
                + "management.server.address: 127.0.0.1 and an SSH tunnel (docs/operations-web.md)");
    }

    private static void loopback(String address) {
        try {
            assertThat(InetAddress.getByName(address).isLoopbackAddress()).as(address + " is not a loopback address").isTrue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The local addresses of the TCP sockets the process listens on (/proc/net/tcp and tcp6, state 0A). */
    static List<String> listening(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    addresses.add(address(f[1].split(":")[0]));
                }
            }
        }
        return addresses;
    }

    /** /proc's hex address (little-endian 32-bit words) as text. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    private static Process hub(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String jar() {
        File jar = new File("target/migration-hub.jar");
        assertThat(jar).as("the packaged hub (mvn package runs before the integration tests)").exists();
        return jar.getAbsolutePath();
    }
}

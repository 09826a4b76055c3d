package id.go.pdn.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged hub ({@code target/migration-hub.jar}, as `./hub` runs it) in a process of its own, with its heap limited
 * and its output in a log file: for the tests that `kill -9` a hub mid-run or run several hubs side by side.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private HubProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -Xmx256m -jar target/migration-hub.jar ARGS}, its output (both streams) into {@code log}. */
    public static HubProcess start(String name, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-jar", jar()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new HubProcess(name, process, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no rollback, no goodbye to the ledger or the broker. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ends after kill -9", name).isTrue();
        assertThat(process.exitValue()).as("%s killed by SIGKILL", name).isEqualTo(137);
    }

    /** Waits for the hub to end by itself; its exit code. Fails with its log if it does not end in time. */
    public int waitFor(Duration limit) throws InterruptedException {
        assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).as("%s ends within %s: %s", name, limit, log()).isTrue();
        return process.exitValue();
    }

    /** The hub's threads as `jcmd PID Thread.print` shows them (for a hub that seems stuck), or why there are none. */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid()),
                    "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the test with the hub's log if it ended although it should still run. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " ended (exit " + process.exitValue() + "): " + log());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The packaged hub; `mvn verify` packages it before the integration tests. */
    public static String jar() {
        File jar = new File("target/migration-hub.jar");
        assertThat(jar).as("the packaged hub (mvn verify packages it before the integration tests)").exists();
        return jar.getAbsolutePath();
    }
}

package id.go.pdn.hub.support;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The real servers the interoperability tests need (PostgreSQL, MariaDB, OpenSSH, Dovecot, vsftpd, Chromium), brought by the
 * project's own scripts in {@code .ci/}, so that {@code mvn -B verify} on a fresh checkout runs every test.
 *
 * <p>For each server a test class declares ({@link Needs}) or a support class asks for ({@link #require}): if it is
 * not there, its script runs (once per JVM: {@code .ci/sshd.sh start}, {@code .ci/dovecot.sh start}, {@code .ci/ftpd.sh start},
 * {@code .ci/chromium.sh}, {@code .ci/start-databases.sh}, {@code .ci/postgis.sh}; they install Debian packages when missing). If the server
 * still cannot be had, the test fails with CI=true, saying what to install or run; without CI it is aborted (reported
 * as skipped) with the same message printed loudly on stderr.
 *
 * <p>Settings are read from a system property of the same name, then the environment, and handed to the scripts:
 * {@code HUB_SSHD_DIR}, {@code HUB_SSHD_PORT}, {@code HUB_SSHD_USER}, {@code DOVECOT_ROOT},
 * {@code DOVECOT_SRC_PORT}, {@code DOVECOT_TGT_PORT}, {@code HUB_ARTEMIS_DIR}, {@code HUB_ARTEMIS_PORT} (a private instance on other ports), {@code HUB_TEST_SCRIPTS}
 * (another folder of scripts), {@code HUB_TEST_SCRIPT_TIMEOUT} (seconds a script may take, default 900) and
 * {@code CI}.
 */
public final class ExternalServers implements ExecutionCondition, BeforeAllCallback {

    /** Settings the scripts read from their environment: passed on when given as system properties. */
    private static final List<String> SCRIPT_SETTINGS = List.of("HUB_SSHD_DIR", "HUB_SSHD_PORT", "HUB_SSHD_USER", "DOVECOT_ROOT",
            "DOVECOT_SRC_PORT", "DOVECOT_TGT_PORT", "HUB_FTPD_DIR", "HUB_FTPD_PORT", "HUB_FTPD_IMPLICIT_PORT", "HUB_FTPD_USER",
            "HUB_ARTEMIS_DIR", "HUB_ARTEMIS_PORT", "HUB_ARTEMIS_PAIR_PORT");

    public static final Path CHROMIUM_BINARY = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER_BINARY = Path.of("/usr/bin/chromedriver");

    /** What the tests can ask for. */
    public enum Server {
        POSTGRESQL, MARIADB, OPENSSH, DOVECOT, DOVECOT_POP3, VSFTPD, CHROMIUM, POSTGIS, ARTEMIS, ARTEMIS_PAIR;

        Requirement requirement() {
            return switch (this) {
                case POSTGRESQL -> new Requirement("PostgreSQL", () -> listening(TestDatabases.PG_HOST), List.of("start-databases.sh"),
                        "PostgreSQL (Debian's postgresql) must let user postgres in without a password (trust) on " + TestDatabases.PG_HOST
                                + " and hold a database 'test'; start it with `sudo .ci/start-databases.sh`");
                case MARIADB -> new Requirement("MariaDB", () -> listening(TestDatabases.MARIADB_HOST), List.of("start-databases.sh"),
                        "MariaDB (Debian's mariadb-server) must let root in without a password on " + TestDatabases.MARIADB_HOST
                                + "; start it with `sudo .ci/start-databases.sh`");
                case OPENSSH -> new Requirement("OpenSSH sshd", ExternalServers::sshdMissing, List.of("sshd.sh", "start"),
                        "run `sudo .ci/sshd.sh start` once (it installs Debian's openssh-server if missing and starts sshd on 127.0.0.1:"
                                + setting("HUB_SSHD_PORT", "2223") + "), then the tests again");
                case DOVECOT -> new Requirement("Dovecot IMAP", ExternalServers::dovecotMissing, List.of("dovecot.sh", "start"),
                        "run `sudo .ci/dovecot.sh start` once (it installs Debian's dovecot-imapd if missing and starts two servers on 127.0.0.1:"
                                + dovecotSourcePort() + " and :" + dovecotTargetPort() + "), then the tests again");
                case DOVECOT_POP3 -> new Requirement("Dovecot POP3", ExternalServers::dovecotPop3Missing, List.of("dovecot.sh", "start"),
                        "run `sudo .ci/dovecot.sh start` once (it installs Debian's dovecot-imapd and dovecot-pop3d if missing and "
                                + "starts POP3 and POP3S on free loopback ports written to " + dovecotRoot().resolve("pop/env")
                                + "), then the tests again");
                case VSFTPD -> new Requirement("vsftpd", ExternalServers::vsftpdMissing, List.of("ftpd.sh", "start"),
                        "run `sudo .ci/ftpd.sh start` once (it installs Debian's vsftpd if missing and starts it on free loopback ports,"
                                + " FTP with explicit FTPS and implicit FTPS), then the tests again");
                case CHROMIUM -> new Requirement("Chromium and chromedriver", ExternalServers::chromiumMissing, List.of("chromium.sh"),
                        "run `sudo .ci/chromium.sh` once (it installs Debian's chromium and chromium-driver), then the tests again");
                case POSTGIS -> new Requirement("PostGIS", ExternalServers::postgisMissing, List.of("postgis.sh"),
                        "run `sudo .ci/postgis.sh` once (it installs Debian's postgresql-<major>-postgis-3 for the running PostgreSQL on "
                                + TestDatabases.PG_HOST + "), then the tests again");
                case ARTEMIS -> new Requirement("ActiveMQ Artemis broker", () -> listening("127.0.0.1:" + artemisPort()), List.of("artemis.sh", "start"),
                        "run `.ci/artemis.sh start` once (it fetches Apache Artemis 2.40.0 from Maven Central with mvn, needs a JDK 17+, "
                                + "and starts a broker on 127.0.0.1:" + artemisPort() + "), then the tests again");
                case ARTEMIS_PAIR -> new Requirement("ActiveMQ Artemis live/backup pair", ExternalServers::artemisPairMissing,
                        List.of("artemis.sh", "start-pair"), "run `.ci/artemis.sh start-pair` once (it fetches Apache Artemis 2.40.0 from Maven "
                                + "Central with mvn and starts a live and a backup broker with a shared store on 127.0.0.1), then the tests again");
            };
        }
    }

    /**
     * Something a test needs: {@code missing} says what is not there (null when all is), {@code script} brings it (a
     * file name in the scripts folder, or an absolute path, then its arguments), {@code fix} tells a person what to do.
     */
    public record Requirement(String name, Supplier<String> missing, List<String> script, String fix) {
    }

    /** What a script run did: its exit code (null if it could not run or was stopped) and what it printed. */
    record ScriptRun(String command, Integer exit, String problem, String output) {
    }

    /** Whether a requirement is met: what was missing first, the script run if one was needed, what is missing still. */
    record Outcome(Requirement requirement, String missingBefore, ScriptRun script, String missingAfter) {

        boolean ready() {
            return missingAfter == null;
        }
    }

    enum Action { RUN, FAIL, ABORT }

    record Decision(Action action, String message) {
    }

    private static final Map<String, ScriptRun> SCRIPT_RUNS = new HashMap<>();
    private static final Set<String> READY = new HashSet<>();

    /**
     * Without CI, a class whose server cannot be had is disabled: reported as skipped with the reason, each of its tests
     * counted (an abort in {@code beforeAll} would count none).
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && context.getTestClass().isPresent()) {
            for (Decision decision : decisions(context.getRequiredTestClass())) {
                if (decision.action() == Action.ABORT) {
                    shout(decision.message());
                    return ConditionEvaluationResult.disabled(decision.message());
                }
            }
        }
        return ConditionEvaluationResult.enabled("the servers it needs are there");
    }

    /** With CI=true, a class whose server cannot be had fails. */
    @Override
    public void beforeAll(ExtensionContext context) {
        for (Decision decision : decisions(context.getRequiredTestClass())) {
            if (decision.action() == Action.FAIL) {
                throw new AssertionFailedError(decision.message());
            }
        }
    }

    private static List<Decision> decisions(Class<?> testClass) {
        Set<Server> servers = new LinkedHashSet<>();
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            Needs needs = c.getDeclaredAnnotation(Needs.class);
            if (needs != null) {
                servers.addAll(List.of(needs.value()));
            }
        }
        boolean ci = ci();
        return servers.stream().map(s -> decide(ensure(s.requirement(), scriptTimeout()), ci, testClass.getSimpleName())).toList();
    }

    private static void shout(String message) {
        String bar = "!".repeat(100);
        System.err.println(bar + "\n" + message + "\n" + bar);
    }

    /** For support code (e.g. {@link TestDatabases}): makes sure the servers are there, or fails/aborts the test. */
    public static void require(Server... servers) {
        String caller = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> !name.startsWith(ExternalServers.class.getPackageName() + ".")).findFirst()).orElse("this test");
        for (Server server : servers) {
            require(server.requirement(), caller.substring(caller.lastIndexOf('.') + 1));
        }
    }

    static void require(Requirement requirement, String who) {
        Decision decision = decide(ensure(requirement, scriptTimeout()), ci(), who);
        switch (decision.action()) {
            case RUN -> {
            }
            case FAIL -> throw new AssertionFailedError(decision.message());
            case ABORT -> {
                shout(decision.message());
                throw new TestAbortedException(decision.message());
            }
        }
    }

    /** The requirement met, or its script run once per JVM (per script and settings) and the requirement probed again. */
    static synchronized Outcome ensure(Requirement requirement, Duration timeout) {
        List<String> command = command(requirement.script());
        String key = requirement.name() + " " + command;
        if (READY.contains(key)) {
            return new Outcome(requirement, null, null, null);
        }
        String before = requirement.missing().get();
        if (before == null) {
            READY.add(key);
            return new Outcome(requirement, null, null, null);
        }
        String runKey = command + " " + scriptEnvironment();
        ScriptRun run = SCRIPT_RUNS.get(runKey);
        if (run == null) {
            System.out.println("ExternalServers: " + requirement.name() + " is not there (" + before + "): running " + String.join(" ", command));
            run = run(command, timeout);
            SCRIPT_RUNS.put(runKey, run);
        }
        String after = requirement.missing().get();
        if (after == null) {
            READY.add(key);
        }
        return new Outcome(requirement, before, run, after);
    }

    /** Run when the requirement is met; otherwise fail with CI=true, abort (skip) without; the message says why and what to do. */
    static Decision decide(Outcome outcome, boolean ci, String who) {
        if (outcome.ready()) {
            return new Decision(Action.RUN, null);
        }
        Requirement r = outcome.requirement();
        ScriptRun run = outcome.script();
        String what;
        if (run == null) {
            what = outcome.missingAfter();
        } else if (run.problem() != null) {
            what = outcome.missingBefore() + ", and `" + run.command() + "` " + run.problem() + tail(run.output());
        } else if (run.exit() != 0) {
            what = outcome.missingBefore() + ", and `" + run.command() + "` failed (exit " + run.exit() + ")" + tail(run.output());
        } else {
            what = outcome.missingAfter() + ", even after `" + run.command() + "` (exit 0)" + tail(run.output());
        }
        String message = "Cannot start " + r.name() + " for " + who + ": " + what + (what.contains("\n") ? "\n  fix: " : "; ") + r.fix();
        return ci ? new Decision(Action.FAIL, message)
                : new Decision(Action.ABORT, "SKIPPED (CI is not true; with CI=true this fails): " + message);
    }

    private static String tail(String output) {
        if (output == null || output.isBlank()) {
            return "";
        }
        List<String> lines = output.strip().lines().toList();
        return ":\n    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static List<String> command(List<String> script) {
        List<String> command = new ArrayList<>(script);
        Path file = Path.of(script.get(0));
        if (!file.isAbsolute()) {
            command.set(0, scriptsFolder().resolve(file).toString());
        }
        return command;
    }

    private static Path scriptsFolder() {
        String folder = setting("HUB_TEST_SCRIPTS", null);
        return folder != null ? Path.of(folder).toAbsolutePath() : Path.of(System.getProperty("basedir", "."), ".ci").toAbsolutePath().normalize();
    }

    private static Map<String, String> scriptEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (String name : SCRIPT_SETTINGS) {
            String value = setting(name, null);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /**
     * Runs a script with no input (nothing may wait for a password), its output in a file (daemons it starts may keep
     * the descriptors open), and a time limit after which it and its children are killed.
     */
    static ScriptRun run(List<String> command, Duration timeout) {
        String shown = String.join(" ", command);
        if (!Files.isRegularFile(Path.of(command.get(0)))) {
            return new ScriptRun(shown, null, "cannot be run: there is no such file", null);
        }
        Path log = null;
        try {
            log = Files.createTempFile("hub-external-server-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(new File("/dev/null"));
            builder.environment().putAll(scriptEnvironment());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.print(output.lines().map(l -> "  | " + l + "\n").reduce("", String::concat));
            return ended ? new ScriptRun(shown, process.exitValue(), null, output)
                    : new ScriptRun(shown, null, "did not finish within " + timeout.toSeconds() + " s and was stopped (an apt-get waiting for a lock "
                            + "or the network? HUB_TEST_SCRIPT_TIMEOUT sets the limit)", output);
        } catch (IOException e) {
            return new ScriptRun(shown, null, "cannot be run: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ScriptRun(shown, null, "was interrupted", null);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    // --- settings and probes ------------------------------------------------------------------------------------

    /** A system property of this name, else the environment variable, else the default. */
    public static String setting(String name, String defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(setting("CI", "false"));
    }

    private static Duration scriptTimeout() {
        return Duration.ofSeconds(Long.parseLong(setting("HUB_TEST_SCRIPT_TIMEOUT", "900")));
    }

    /** Null if something accepts connections on host:port, else why not. */
    static String listening(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = hostAndPort.substring(0, colon);
        int port = Integer.parseInt(hostAndPort.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return null;
        } catch (IOException e) {
            return "nothing answers on " + hostAndPort + " (" + e.getMessage() + ")";
        }
    }

    private static Path sshdDir() {
        return Path.of(setting("HUB_SSHD_DIR", "/tmp/hub-sshd"));
    }

    /** The private sshd of .ci/sshd.sh as its env file describes it: port, user, key, knownHosts, data. */
    public static Properties sshd() {
        Properties env = new Properties();
        try (Reader in = Files.newBufferedReader(sshdDir().resolve("env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + sshdDir().resolve("env") + " (written by .ci/sshd.sh start): " + e.getMessage(), e);
        }
        return env;
    }

    private static String sshdMissing() {
        Path env = sshdDir().resolve("env");
        if (!Files.isReadable(env)) {
            return "no " + env + " (written by .ci/sshd.sh start)";
        }
        return listening("127.0.0.1:" + sshd().getProperty("port"));
    }

    private static Path ftpdDir() {
        return Path.of(setting("HUB_FTPD_DIR", "/tmp/hub-ftpd"));
    }

    /**
     * The private vsftpd of .ci/ftpd.sh as its env file describes it: port (FTP and explicit FTPS), implicitPort, user,
     * passwordFile, certificate (PEM), data, log, pidFile.
     */
    public static Properties vsftpd() {
        Properties env = new Properties();
        try (Reader in = Files.newBufferedReader(ftpdDir().resolve("env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ftpdDir().resolve("env") + " (written by .ci/ftpd.sh start): " + e.getMessage(), e);
        }
        return env;
    }

    private static String vsftpdMissing() {
        Path env = ftpdDir().resolve("env");
        if (!Files.isReadable(env)) {
            return "no " + env + " (written by .ci/ftpd.sh start)";
        }
        String plain = listening("127.0.0.1:" + vsftpd().getProperty("port"));
        return plain != null ? plain : listening("127.0.0.1:" + vsftpd().getProperty("implicitPort"));
    }

    public static int dovecotSourcePort() {
        return Integer.parseInt(setting("DOVECOT_SRC_PORT", "14143"));
    }

    public static int dovecotTargetPort() {
        return Integer.parseInt(setting("DOVECOT_TGT_PORT", "14144"));
    }

    private static String dovecotMissing() {
        Path root = Path.of(setting("DOVECOT_ROOT", "/tmp/hub-dovecot"));
        for (String side : List.of("src", "tgt")) {
            Path pid = root.resolve(side).resolve("run/master.pid");
            if (!Files.exists(pid)) {
                return "no " + pid + " (Dovecot " + side + " of .ci/dovecot.sh is not running)";
            }
        }
        String source = listening("127.0.0.1:" + dovecotSourcePort());
        return source != null ? source : listening("127.0.0.1:" + dovecotTargetPort());
    }

    /** Runs {@code .ci/dovecot.sh ARGS} (e.g. adduser) with the same settings; fails with its output. */
    public static void dovecot(String... args) {
        List<String> script = new ArrayList<>(List.of("dovecot.sh"));
        script.addAll(List.of(args));
        ScriptRun run = run(command(script), scriptTimeout());
        if (run.exit() == null || run.exit() != 0) {
            throw new IllegalStateException("Cannot run " + run.command() + ": " + (run.problem() != null ? run.problem() : "exit " + run.exit())
                    + tail(run.output()));
        }
    }

    /** Null when the PostgreSQL of the tests offers the postgis extension, else why not. */
    private static String postgisMissing() {
        String down = listening(TestDatabases.PG_HOST);
        if (down != null) {
            return down;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + TestDatabases.PG_HOST + "/test", "postgres", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")) {
            return rs.next() ? null : "the PostgreSQL on " + TestDatabases.PG_HOST + " offers no postgis extension";
        } catch (java.sql.SQLException e) {
            return "cannot ask PostgreSQL on " + TestDatabases.PG_HOST + " for PostGIS: " + e.getMessage();
        }
    }

    public static int artemisPort() {
        return Integer.parseInt(setting("HUB_ARTEMIS_PORT", "61636"));
    }

    /** The URL of the broker of .ci/artemis.sh (core protocol, loopback). */
    public static String artemisUrl() {
        return "tcp://127.0.0.1:" + artemisPort();
    }

    /** The live/backup pair of .ci/artemis.sh start-pair as its env file describes it: url, live_pid, backup_pid. */
    public static Properties artemisPair() {
        Properties env = new Properties();
        Path file = Path.of(setting("HUB_ARTEMIS_DIR", "/tmp/hub-artemis"), "pair", "env");
        try (Reader in = Files.newBufferedReader(file)) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " (written by .ci/artemis.sh start-pair): " + e.getMessage(), e);
        }
        return env;
    }

    private static Path dovecotRoot() {
        return Path.of(setting("DOVECOT_ROOT", "/tmp/hub-dovecot"));
    }

    /** The POP3 instance of .ci/dovecot.sh as its env file describes it: pop3Port, pop3sPort, certificate. */
    public static Properties dovecotPop3() {
        Properties env = new Properties();
        Path file = dovecotRoot().resolve("pop/env");
        try (Reader in = Files.newBufferedReader(file)) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " (written by .ci/dovecot.sh start): " + e.getMessage(), e);
        }
        return env;
    }

    private static String artemisPairMissing() {
        Path file = Path.of(setting("HUB_ARTEMIS_DIR", "/tmp/hub-artemis"), "pair", "env");
        if (!Files.isReadable(file)) {
            return "no " + file + " (written by .ci/artemis.sh start-pair)";
        }
        Properties env = artemisPair();
        for (String broker : List.of("live_pid", "backup_pid")) {
            if (ProcessHandle.of(Long.parseLong(env.getProperty(broker, "0"))).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                return "the " + broker.replace("_pid", "") + " broker (pid " + env.getProperty(broker) + ") is not running";
            }
        }
        return listening("127.0.0.1:" + setting("HUB_ARTEMIS_PAIR_PORT", "61637"));
    }

    private static String dovecotPop3Missing() {
        String imap = dovecotMissing(); // the POP3 instance serves the IMAP source's users: both are needed
        if (imap != null) {
            return imap;
        }
        Path env = dovecotRoot().resolve("pop/env");
        Path pid = dovecotRoot().resolve("pop/run/master.pid");
        if (!Files.isReadable(env) || !Files.exists(pid)) {
            return "no " + env + " or " + pid + " (the POP3 Dovecot of .ci/dovecot.sh is not running)";
        }
        Properties ports = dovecotPop3();
        String pop3 = listening("127.0.0.1:" + ports.getProperty("pop3Port"));
        return pop3 != null ? pop3 : listening("127.0.0.1:" + ports.getProperty("pop3sPort"));
    }

    private static String chromiumMissing() {
        for (Path binary : List.of(CHROMIUM_BINARY, CHROMEDRIVER_BINARY)) {
            if (!Files.isExecutable(binary)) {
                return "no " + binary;
            }
        }
        return null;
    }
}

package id.go.pdn.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import id.go.pdn.hub.cli.Main;
import picocli.CommandLine;

/** `./hub ARGS` in the test's JVM, with what it prints captured (and echoed to the test log afterwards). */
public final class HubCli {

    /** The exit code and what the command printed on stdout and stderr. */
    public record Result(int exit, String out, String err) {
    }

    private HubCli() {
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        Result result = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.print(result.out());
        System.err.print(result.err());
        return result;
    }

    /** Runs the command, checks that it exits 0 and returns what it printed on stdout. */
    public static String ok(String... args) {
        Result result = run(args);
        assertThat(result.exit()).as("hub %s: %s%s", String.join(" ", args), result.out(), result.err()).isZero();
        return result.out();
    }
}

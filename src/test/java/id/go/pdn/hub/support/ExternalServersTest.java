package id.go.pdn.hub.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import id.go.pdn.hub.support.ExternalServers.Action;
import id.go.pdn.hub.support.ExternalServers.Decision;
import id.go.pdn.hub.support.ExternalServers.Outcome;
import id.go.pdn.hub.support.ExternalServers.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What {@link ExternalServers} decides, with real scripts standing in for {@code .ci/}: a "server" here is a file that
 * the script creates, so the whole path (probe, script run once, probe again, fail or abort) runs as for sshd.
 */
class ExternalServersTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Requirement server(String name, String upFile, Path script) {
        Path up = dir.resolve(upFile);
        return new Requirement(name, () -> Files.exists(up) ? null : "no " + up, List.of(script.toString()),
                "run `sudo .ci/" + name + ".sh start`");
    }

    private Path script(String body) throws IOException {
        Path script = dir.resolve("script-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\ncd '" + dir + "'\necho ran >> runs\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private long runs() throws IOException {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void aServerAlreadyThereRunsNoScriptAndTheTestRuns() throws Exception {
        Files.writeString(dir.resolve("up"), "");
        Outcome outcome = ExternalServers.ensure(server("fake-sshd", "up", script("touch up")), LIMIT);

        assertThat(outcome.ready()).isTrue();
        assertThat(runs()).isZero();
        assertThat(ExternalServers.decide(outcome, true, "FakeIT").action()).isEqualTo(Action.RUN);
        assertThat(ExternalServers.decide(outcome, false, "FakeIT").action()).isEqualTo(Action.RUN);
    }

    @Test
    void aServerNotThereIsStartedByItsScriptOncePerJvmAlsoForTwoServersOfOneScript() throws Exception {
        Path script = script("touch pg-up maria-up");
        Outcome postgres = ExternalServers.ensure(server("fake-postgres", "pg-up", script), LIMIT);
        Outcome mariaDb = ExternalServers.ensure(server("fake-mariadb", "maria-up", script), LIMIT);
        Outcome again = ExternalServers.ensure(server("fake-postgres", "pg-up", script), LIMIT);

        assertThat(List.of(postgres, mariaDb, again)).allMatch(Outcome::ready);
        assertThat(runs()).as("one script run for all three").isEqualTo(1);
        assertThat(ExternalServers.decide(postgres, true, "FakeIT").action()).isEqualTo(Action.RUN);
    }

    @Test
    void aFailingScriptFailsTheTestWithCiAndSaysWhyAndWhatToDo() throws Exception {
        Outcome outcome = ExternalServers.ensure(server("fake-sshd", "up",
                script("echo 'sshd.sh: openssh-server is not installed, and installing it needs root' >&2; exit 1")), LIMIT);

        assertThat(outcome.ready()).isFalse();
        Decision ci = ExternalServers.decide(outcome, true, "FakeIT");
        assertThat(ci.action()).isEqualTo(Action.FAIL);
        assertThat(ci.message()).startsWith("Cannot start fake-sshd for FakeIT: no " + dir.resolve("up"))
                .contains("failed (exit 1)", "sshd.sh: openssh-server is not installed, and installing it needs root")
                .endsWith("run `sudo .ci/fake-sshd.sh start`");

        Decision local = ExternalServers.decide(outcome, false, "FakeIT");
        assertThat(local.action()).isEqualTo(Action.ABORT);
        assertThat(local.message()).startsWith("SKIPPED (CI is not true; with CI=true this fails): ").endsWith(ci.message());
    }

    @Test
    void aScriptThatEndsWellWithoutTheServerIsNamed() throws Exception {
        Outcome outcome = ExternalServers.ensure(server("fake-dovecot", "up", script("echo started, or so it says")), LIMIT);

        assertThat(ExternalServers.decide(outcome, true, "FakeIT").message())
                .contains("no " + dir.resolve("up") + ", even after `", "` (exit 0)", "started, or so it says");
    }

    @Test
    void aMissingScriptIsNamed() {
        Requirement requirement = server("fake-chromium", "up", dir.resolve("no-such-script.sh"));

        assertThat(ExternalServers.decide(ExternalServers.ensure(requirement, LIMIT), true, "FakeIT").message())
                .contains(dir.resolve("no-such-script.sh") + "` cannot be run: there is no such file");
    }

    @Test
    void aScriptThatHangsIsStoppedAndSaidSo() throws Exception {
        Outcome outcome = ExternalServers.ensure(server("fake-apt", "up", script("echo waiting for the dpkg lock; sleep 600")),
                Duration.ofSeconds(1));

        assertThat(ExternalServers.decide(outcome, true, "FakeIT").message())
                .contains("did not finish within 1 s and was stopped", "waiting for the dpkg lock");
    }

    @Test
    void requireThrowsAFailureWithCiAndAnAbortWithout() throws Exception {
        Requirement requirement = server("fake-sshd", "up", script("exit 3"));
        String before = System.getProperty("CI");
        try {
            System.setProperty("CI", "true");
            assertThatThrownBy(() -> ExternalServers.require(requirement, "FakeIT")).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("Cannot start fake-sshd for FakeIT");
            System.setProperty("CI", "false");
            assertThatThrownBy(() -> ExternalServers.require(requirement, "FakeIT")).isInstanceOf(TestAbortedException.class)
                    .hasMessageStartingWith("SKIPPED");
            assertThat(runs()).as("the failed script is not run again").isEqualTo(1);
        } finally {
            if (before == null) {
                System.clearProperty("CI");
            } else {
                System.setProperty("CI", before);
            }
        }
    }
}

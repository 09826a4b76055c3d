package id.go.pdn.hub.files.integration;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.files.FilesTestSupport;
import id.go.pdn.hub.support.CuttingProxy;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File migrations against a real OpenSSH sshd (started, and installed if missing, by {@code .ci/sshd.sh start} through
 * {@link Needs}): SFTP to SFTP on the same server, hostile names, a connection cut mid-transfer, an unknown host key.
 */
@Needs(ExternalServers.Server.OPENSSH)
class OpenSshIT {

    static Properties sshd;

    @TempDir
    Path dir;
    Path source;
    Path target;

    @BeforeAll
    static void sshd() {
        sshd = ExternalServers.sshd();
    }

    @BeforeEach
    void folders() throws IOException {
        String unique = "it-" + System.nanoTime();
        source = Path.of(sshd.getProperty("data"), unique, "src");
        target = Path.of(sshd.getProperty("data"), unique, "dst");
        Files.createDirectories(source);
    }

    @AfterEach
    void clean() throws IOException {
        run("rm", "-rf", source.getParent().toString());
    }

    /** The tree belongs to the SFTP user, as on a real server. */
    private void ownedBySftpUser() throws IOException {
        run("chown", "-R", sshd.getProperty("user") + ":", source.getParent().toString());
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Map<String, String> parameters(int targetPort, String knownHosts) {
        String user = sshd.getProperty("user");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", "sftp://" + user + "@127.0.0.1:" + sshd.getProperty("port") + source);
        p.put("target", "sftp://" + user + "@127.0.0.1:" + targetPort + target);
        p.put("privateKeyFile", sshd.getProperty("key"));
        p.put("knownHostsFile", knownHosts);
        return p;
    }

    private TestHub start(Map<String, String> parameters) throws Exception {
        return TestHub.builder(dir.resolve("hub")).route("files.yaml", route("arsip-files", parameters)).start();
    }

    @Test
    void hostileTreeSftpToSftpThenNothingThenTheChangedFile() throws Exception {
        FilesTestSupport.hostileTree(source);
        ownedBySftpUser();
        try (TestHub hub = start(parameters(Integer.parseInt(sshd.getProperty("port")), sshd.getProperty("knownHosts")))) {
            RunSummary first = hub.run("arsip-files");
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(tree(target, true)).isEqualTo(tree(source, true));
            assertThat(Files.getLastModifiedTime(target.resolve("plain.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
            FilesTestSupport.assertNoPartFiles(target);

            RunSummary again = hub.run("arsip-files");
            assertThat(again.bytes()).as("nothing new, nothing copied").isZero();

            FilesTestSupport.write(source.resolve("plain.txt"), "edited");
            ownedBySftpUser();
            RunSummary third = hub.run("arsip-files");
            assertThat(third.state()).as(third.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(third.bytes()).isEqualTo(6);
            assertThat(Files.readString(target.resolve("plain.txt"))).isEqualTo("edited");
        }
    }

    @Test
    void aConnectionCutMidTransferIsRetriedAndTheFileVerified() throws Exception {
        FilesTestSupport.bigFile(source.resolve("scan/big.bin"), 24 << 20);
        ownedBySftpUser();
        try (CuttingProxy proxy = new CuttingProxy("127.0.0.1", Integer.parseInt(sshd.getProperty("port")))) {
            Path knownHosts = dir.resolve("known_hosts");
            String known = Files.readString(Path.of(sshd.getProperty("knownHosts")));
            Files.writeString(knownHosts, known + known.replace("]:" + sshd.getProperty("port") + " ", "]:" + proxy.port() + " "));
            proxy.cutLargeTransfers(8 << 20, 1);
            Map<String, String> p = parameters(proxy.port(), knownHosts.toString());
            try (TestHub hub = start(p)) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(proxy.cutsDone()).isEqualTo(1);
            }
            assertThat(tree(target, false)).isEqualTo(tree(source, false));
        }
    }

    @Test
    void anUnknownHostKeyIsAClearError() throws Exception {
        FilesTestSupport.write(source.resolve("a.txt"), "a");
        ownedBySftpUser();
        Path empty = Files.writeString(dir.resolve("known_hosts"), "");
        try (TestHub hub = start(parameters(Integer.parseInt(sshd.getProperty("port")), empty.toString()))) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.message()).contains("is not in the known hosts file " + empty,
                    "ssh-keyscan -p " + sshd.getProperty("port") + " 127.0.0.1 >> " + empty);
        }
    }

    /**
     * Issue 12 on a real sshd: an mtime of 2100 (past the signed 32-bit range) lands exactly; setuid, setgid and sticky
     * bits are carried (OpenSSH's setstat applies mode & 07777); a name that is not UTF-8 fails its item naming its bytes;
     * a fifo is SKIPPED; folder modes are set although the run failed; no file is left at its final name before its mode.
     */
    @Test
    void mtimesPast2038SpecialBitsAndANameThatIsNotUtf8() throws Exception {
        long y2100 = 4_102_444_800_000L;
        FilesTestSupport.write(source.resolve("future.txt"), "2100");
        FilesTestSupport.write(source.resolve("bin/suid"), "#!/bin/sh\n");
        FilesTestSupport.write(source.resolve("docs/ok.txt"), "ok");
        Files.createDirectories(source.resolve("shared"));
        run("sh", "-c", "cd '" + source + "' && printf 'latin-1' > \"$(printf 'docs/caf\\351.txt')\" && mkfifo pipe");
        ownedBySftpUser();
        Files.setLastModifiedTime(source.resolve("future.txt"), java.nio.file.attribute.FileTime.fromMillis(y2100));
        Files.setAttribute(source.resolve("bin/suid"), "unix:mode", 06755);
        Files.setAttribute(source.resolve("shared"), "unix:mode", 01777);
        Files.setAttribute(source.resolve("docs"), "unix:mode", 0750);
        try (TestHub hub = start(parameters(Integer.parseInt(sshd.getProperty("port")), sshd.getProperty("knownHosts")))) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsSkipped()).isEqualTo(1);
            assertThat(run.failures()).anyMatch(f -> f.contains("docs/caf\\xe9.txt") && f.contains("not valid UTF-8"));
            assertThat(hub.ledger().items("arsip-files", id.go.pdn.hub.core.ledger.ItemStatus.SKIPPED))
                    .extracting(i -> i.key() + ": " + i.lastError()).containsExactly("pipe: a named pipe (fifo): not a regular file, not copied");
            assertThat(Files.getLastModifiedTime(target.resolve("future.txt")).toMillis()).isEqualTo(y2100);
            assertThat(mode(target.resolve("bin/suid"))).isEqualTo(06755);
            assertThat(mode(target.resolve("shared"))).isEqualTo(01777);
            assertThat(mode(target.resolve("docs"))).as("folder modes on a failed run").isEqualTo(0750);
            assertThat(target.resolve("pipe")).doesNotExist();
            FilesTestSupport.assertNoPartFiles(target);

            RunSummary again = hub.run("arsip-files");
            assertThat(again.bytes()).as("2100 read back unsigned: unchanged, nothing copied").isZero();
        }
    }

    /** A read-only folder (0555 at the source, so on the target too) still takes the next night's new file. */
    @Test
    void aReadOnlyFolderTakesNewFilesOnTheNextRun() throws Exception {
        FilesTestSupport.write(source.resolve("ro/a.txt"), "a");
        ownedBySftpUser();
        Files.setAttribute(source.resolve("ro"), "unix:mode", 0555);
        try (TestHub hub = start(parameters(Integer.parseInt(sshd.getProperty("port")), sshd.getProperty("knownHosts")))) {
            assertThat(hub.run("arsip-files").state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(mode(target.resolve("ro"))).isEqualTo(0555);
            Files.setAttribute(source.resolve("ro"), "unix:mode", 0755);
            FilesTestSupport.write(source.resolve("ro/b.txt"), "b");
            ownedBySftpUser();
            Files.setAttribute(source.resolve("ro"), "unix:mode", 0555);
            RunSummary next = hub.run("arsip-files");
            assertThat(next.state()).as(next.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(target.resolve("ro/b.txt")).hasContent("b");
            assertThat(mode(target.resolve("ro"))).as("its mode back at the end of the run").isEqualTo(0555);
        }
    }

    private static int mode(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}

package id.go.pdn.hub.files;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.CuttingProxy;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File migrations end to end in one JVM: a local tree or an embedded SFTP server into another embedded SFTP server. */
class FilesMigrationTest {

    @TempDir
    Path dir;
    EmbeddedSftpServer target;
    Path knownHosts;

    @BeforeEach
    void servers() throws Exception {
        target = EmbeddedSftpServer.start(dir.resolve("target-server"), "pdn", "secret-target");
        knownHosts = target.appendKnownHost(dir.resolve("known_hosts"));
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    private Map<String, String> toTarget(String source, int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", source);
        p.put("target", "sftp://pdn@127.0.0.1:" + port + "/arsip");
        p.put("password", "${test.sftp.password}");
        p.put("knownHostsFile", knownHosts.toString());
        return p;
    }

    private TestHub.Builder hub(String yaml) throws Exception {
        return TestHub.builder(dir.resolve("hub")).property("test.sftp.password", "secret-target").route("files.yaml", yaml);
    }

    @Test
    void hostileTreeIsCopiedVerifiedAndPreservedThenOnlyChangesAreCopiedAgain() throws Exception {
        Path source = dir.resolve("uploads");
        FilesTestSupport.hostileTree(source);
        Path copied = target.root().resolve("arsip");
        try (TestHub hub = hub(route("arsip-files", toTarget("file:" + source, target.port()))).start()) {
            RunSummary first = hub.run("arsip-files");
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(first.itemsVerified()).isEqualTo(11);
            assertThat(tree(copied, true)).isEqualTo(tree(source, true));
            assertThat(Files.getLastModifiedTime(copied.resolve("plain.txt"))).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
            assertThat(Files.exists(copied.resolve("link-out"))).as("links are skipped").isFalse();
            assertThat(first.itemsSkipped()).as("links are SKIPPED items, counted").isEqualTo(2);
            assertThat(hub.ledger().items("arsip-files", ItemStatus.SKIPPED)).extracting(i -> i.key() + ": " + i.lastError())
                    .containsExactlyInAnyOrder("link-out: a symbolic link: links are neither followed nor copied",
                            "link-in.txt: a symbolic link: links are neither followed nor copied");
            assertThat(Files.isDirectory(copied.resolve("empty folder/inner empty"))).isTrue();
            FilesTestSupport.assertNoPartFiles(copied);
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED))
                    .allMatch(i -> i.sourceChecksum().length() == 64 && i.sourceChecksum().equals(i.targetChecksum()));

            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).as("a re-run with nothing new copies nothing").isZero();

            FilesTestSupport.write(source.resolve("plain.txt"), "plain, edited");
            FilesTestSupport.write(source.resolve("new folder/new.txt"), "new");
            RunSummary third = hub.run("arsip-files");
            assertThat(third.state()).as(third.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(third.bytes()).isEqualTo("plain, edited".length() + "new".length());
            assertThat(third.itemsTotal()).isEqualTo(14);
            assertThat(tree(copied, true)).isEqualTo(tree(source, true));
        }
    }

    @Test
    void sftpToSftpWithAConnectionCutMidTransferResumesAndVerifies() throws Exception {
        try (EmbeddedSftpServer origin = EmbeddedSftpServer.start(dir.resolve("origin-server"), "app", "secret-target");
             CuttingProxy proxy = new CuttingProxy("127.0.0.1", target.port())) {
            FilesTestSupport.bigFile(origin.root().resolve("scans/big.bin"), 8 << 20);
            FilesTestSupport.write(origin.root().resolve("scans/small.txt"), "small");
            origin.appendKnownHost(knownHosts);
            // the relay answers on its own port with the target's key
            Files.writeString(knownHosts, Files.readString(knownHosts).replace("[127.0.0.1]:" + target.port() + " ",
                    "[127.0.0.1]:" + proxy.port() + " "));
            proxy.cutLargeTransfers(3 << 20, 1);
            Map<String, String> p = toTarget("sftp://app@127.0.0.1:" + origin.port() + "/scans", proxy.port());
            p.put("parallelism", "1");
            try (TestHub hub = hub(route("scans-files", p)).start()) {
                RunSummary run = hub.run("scans-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(proxy.cutsDone()).isEqualTo(1);
            }
            assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(origin.root().resolve("scans"), false));
        }
    }

    @Test
    void anUnknownHostKeyFailsTheRunAndSaysHowToAddIt() throws Exception {
        Files.writeString(knownHosts, "");
        Path source = dir.resolve("uploads");
        FilesTestSupport.write(source.resolve("a.txt"), "a");
        try (TestHub hub = hub(route("arsip-files", toTarget("file:" + source, target.port()))).start()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.message()).contains("Cannot connect to sftp://pdn@127.0.0.1:" + target.port() + "/arsip",
                    "is not in the known hosts file", "ssh-keyscan -p " + target.port() + " 127.0.0.1 >> " + knownHosts)
                    .doesNotContain("secret-target");
        }
    }

    @Test
    void aPartialTemporaryFileIsResumedWhenItMatchesAndReplacedWhenItDoesNot() throws Exception {
        Path source = dir.resolve("uploads");
        FilesTestSupport.bigFile(source.resolve("a.bin"), 3 << 20);
        FilesTestSupport.bigFile(source.resolve("b.bin"), 3 << 20);
        Path copied = Files.createDirectories(target.root().resolve("arsip"));
        byte[] a = Files.readAllBytes(source.resolve("a.bin"));
        Files.write(copied.resolve(".a.bin.hub-part"), java.util.Arrays.copyOf(a, 1 << 20)); // a true prefix
        Files.writeString(copied.resolve(".b.bin.hub-part"), "garbage left by someone else");
        try (TestHub hub = hub(route("arsip-files", toTarget("file:" + source, target.port()))).start()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
        }
        assertThat(tree(copied, false)).isEqualTo(tree(source, false));
        FilesTestSupport.assertNoPartFiles(copied);
    }

    /** Many files over few sessions (the pool), a race on new folders, and a no-op re-run that lists but copies nothing. */
    @Test
    void manySmallFilesSftpToSftp() throws Exception {
        try (EmbeddedSftpServer origin = EmbeddedSftpServer.start(dir.resolve("origin-server"), "app", "secret-target")) {
            for (int i = 0; i < 500; i++) {
                FilesTestSupport.write(origin.root().resolve("letters/" + (i % 7) + "/letter " + i + ".txt"), "letter " + i);
            }
            origin.appendKnownHost(knownHosts);
            Map<String, String> p = toTarget("sftp://app@127.0.0.1:" + origin.port() + "/letters", target.port());
            try (TestHub hub = hub(route("letters-files", p)).start()) {
                RunSummary run = hub.run("letters-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.itemsVerified()).isEqualTo(500);
                RunSummary again = hub.run("letters-files");
                assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(again.bytes()).isZero();
            }
            assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(origin.root().resolve("letters"), false));
        }
    }
}

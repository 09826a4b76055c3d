package id.go.pdn.hub.files;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static id.go.pdn.hub.files.FilesTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a file tree does between runs (issue 12): a rewrite that keeps size and mtime, deletions and renames, special
 * files, a name that is not UTF-8, mtimes outside 1970-2038, setuid/setgid/sticky bits, folder modes on a failed run.
 */
class FilesChangesTest {

    static final long Y1960 = -315_619_200_000L; // 1960-01-01T00:00:00Z
    static final long Y2100 = 4_102_444_800_000L; // 2100-01-01T00:00:00Z
    static final long Y2020 = 1_577_836_800_000L;

    @TempDir
    Path dir;

    private static Map<String, String> local(Path source, Path target, String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", "file:" + source);
        p.put("target", "file:" + target);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static void sh(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor()).as(script).isZero();
    }

    private static int mode(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static LedgerItem item(TestHub hub, String migration, String key) {
        return java.util.Arrays.stream(ItemStatus.values()).flatMap(s -> hub.ledger().items(migration, s).stream())
                .filter(i -> i.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no item " + key));
    }

    /** Same size, old mtime put back: a local source shows it by its ctime; an SFTP source needs compare: checksum. */
    @Test
    void aRewriteWithItsOldMtimeRestoredIsCopiedAgain() throws Exception {
        Path source = dir.resolve("uploads");
        write(source.resolve("surat/a.txt"), "version 1");
        Files.setLastModifiedTime(source.resolve("surat/a.txt"), FileTime.fromMillis(Y2020));
        try (EmbeddedSftpServer origin = EmbeddedSftpServer.start(dir.resolve("origin"), "app", "secret")) {
            write(origin.root().resolve("scans/b.txt"), "version 1");
            Files.setLastModifiedTime(origin.root().resolve("scans/b.txt"), FileTime.fromMillis(Y2020));
            Path knownHosts = origin.appendKnownHost(dir.resolve("known_hosts"));
            Map<String, String> sftp = local(source, dir.resolve("copy-b"), "compare", "checksum", "password", "secret",
                    "knownHostsFile", knownHosts.toString());
            sftp.put("source", "sftp://app@127.0.0.1:" + origin.port() + "/scans");
            try (TestHub hub = TestHub.builder(dir.resolve("hub"))
                    .route("a.yaml", route("local-files", local(source, dir.resolve("copy-a"))))
                    .route("b.yaml", route("sftp-files", sftp)).start()) {
                assertThat(hub.run("local-files").state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(hub.run("sftp-files").state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(item(hub, "sftp-files", "b.txt").payload()).contains("\"sha256\":\"");

                Thread.sleep(20); // another ctime
                write(source.resolve("surat/a.txt"), "version 2");
                Files.setLastModifiedTime(source.resolve("surat/a.txt"), FileTime.fromMillis(Y2020));
                write(origin.root().resolve("scans/b.txt"), "version 2");
                Files.setLastModifiedTime(origin.root().resolve("scans/b.txt"), FileTime.fromMillis(Y2020));

                MigrationJob job = hub.bean(MigrationRegistry.class).require("local-files").job();
                PlanSurvey survey = job.survey(hub.ledger().items("local-files", ItemStatus.VERIFIED));
                assertThat(survey.totalVerified().units()).as("./hub plan: not verified any more").isZero();
                assertThat(survey.totalToCopy().units()).isEqualTo(1);
                assertThat(String.join("\n", survey.notes())).contains("compare: attributes", "same ctime and inode",
                        "contents were not read now");

                RunSummary local = hub.run("local-files");
                assertThat(local.state()).as(local.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(local.bytes()).isEqualTo(9);
                RunSummary remote = hub.run("sftp-files");
                assertThat(remote.state()).as(remote.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(remote.bytes()).isEqualTo(9);
                assertThat(Files.readString(dir.resolve("copy-a/surat/a.txt"))).isEqualTo("version 2");
                assertThat(Files.readString(dir.resolve("copy-b/b.txt"))).isEqualTo("version 2");
                assertThat(Files.getLastModifiedTime(dir.resolve("copy-b/b.txt")).toMillis()).isEqualTo(Y2020);

                RunSummary quiet = hub.run("sftp-files");
                assertThat(quiet.bytes()).as("unchanged content: nothing copied").isZero();
                assertThat(item(hub, "sftp-files", "b.txt").status()).isEqualTo(ItemStatus.VERIFIED);
            }
        }
    }

    /** deletions: report leaves them, GONE and counted; deletions: mirror removes the hub's copies (REMOVED). */
    @Test
    void deletedAndRenamedFilesAreReportedThenMirrored() throws Exception {
        Path source = dir.resolve("uploads");
        Path target = dir.resolve("pdn");
        write(source.resolve("keep.txt"), "keep");
        write(source.resolve("old.txt"), "renamed later");
        write(source.resolve("gone/only.txt"), "deleted later, with its folder");
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("f.yaml", route("arsip-files", local(source, target))).start()) {
            assertThat(hub.run("arsip-files").itemsVerified()).isEqualTo(3);
            Files.move(source.resolve("old.txt"), source.resolve("new.txt"));
            Files.delete(source.resolve("gone/only.txt"));
            Files.delete(source.resolve("gone"));
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsGone()).isEqualTo(2);
            assertThat(run.itemsVerified()).as("keep.txt and new.txt").isEqualTo(2);
            assertThat(run.message()).contains("2 items deleted at the source are still on the target");
            assertThat(hub.ledger().items("arsip-files", ItemStatus.GONE)).extracting(LedgerItem::key)
                    .containsExactlyInAnyOrder("old.txt", "gone/only.txt");
            assertThat(target.resolve("old.txt")).exists();
            assertThat(target.resolve("new.txt")).hasContent("renamed later");
        }
        try (TestHub hub = TestHub.builder(dir.resolve("hub"))
                .route("f.yaml", route("arsip-files", local(source, target, "deletions", "mirror"))).start()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsGone()).isZero();
            assertThat(run.itemsRemoved()).isEqualTo(2);
            assertThat(hub.ledger().items("arsip-files", ItemStatus.REMOVED)).extracting(LedgerItem::key)
                    .containsExactlyInAnyOrder("old.txt", "gone/only.txt");
            assertThat(tree(target, true)).isEqualTo(tree(source, true));
            assertThat(target.resolve("gone")).as("its folder, empty and gone at the source").doesNotExist();
        }
    }

    /**
     * A fifo, a socket, a link (and a device, as root) are SKIPPED with the reason; a name that is not UTF-8 fails its item
     * naming its bytes; mtimes of 1960 and 2100 and setuid/setgid/sticky bits are kept; the folders get their modes and
     * mtimes although the run failed.
     */
    @Test
    void oddShapesAreSkippedOrRefusedByNameAndFoldersAreSetEvenWhenTheRunFails() throws Exception {
        Path source = dir.resolve("uploads");
        Path target = dir.resolve("pdn");
        write(source.resolve("docs/ok.txt"), "ok");
        sh(source, "printf 'latin-1 name' > \"$(printf 'docs/caf\\351.txt')\"");
        sh(source, "mkfifo pipe");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(source.resolve("app.sock")));
        }
        Files.createSymbolicLink(source.resolve("link"), Path.of("docs/ok.txt"));
        boolean device = new ProcessBuilder("mknod", source.resolve("null-device").toString(), "c", "1", "3").start().waitFor() == 0;
        write(source.resolve("old.txt"), "1960");
        Files.setLastModifiedTime(source.resolve("old.txt"), FileTime.fromMillis(Y1960));
        write(source.resolve("future.txt"), "2100");
        Files.setLastModifiedTime(source.resolve("future.txt"), FileTime.fromMillis(Y2100));
        write(source.resolve("bin/suid"), "#!/bin/sh\n");
        Files.setAttribute(source.resolve("bin/suid"), "unix:mode", 06755);
        Files.createDirectories(source.resolve("shared"));
        Files.setAttribute(source.resolve("shared"), "unix:mode", 01777);
        Files.setAttribute(source.resolve("docs"), "unix:mode", 0750);
        Files.setLastModifiedTime(source.resolve("docs"), FileTime.fromMillis(Y2020));
        Files.setLastModifiedTime(source.resolve("bin"), FileTime.fromMillis(Y1960));

        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("f.yaml", route("arsip-files", local(source, target))).start()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).as("ok, old, future, suid").isEqualTo(4);
            assertThat(run.itemsSkipped()).isEqualTo(device ? 4 : 3);
            assertThat(run.itemsFailed() + run.itemsDead()).isEqualTo(1);
            List<String> skipped = hub.ledger().items("arsip-files", ItemStatus.SKIPPED).stream()
                    .map(i -> i.key() + ": " + i.lastError()).toList();
            assertThat(skipped).contains("pipe: a named pipe (fifo): not a regular file, not copied",
                    "app.sock: a socket: not a regular file, not copied",
                    "link: a symbolic link: links are neither followed nor copied");
            if (device) {
                assertThat(skipped).contains("null-device: a character device: not a regular file, not copied");
            }
            LedgerItem latin = item(hub, "arsip-files", "docs/caf\\xe9.txt");
            assertThat(latin.status()).isEqualTo(ItemStatus.FAILED);
            assertThat(latin.lastError()).contains("its name is not valid UTF-8 (bytes: docs/caf\\xe9.txt)", "convmv")
                    .doesNotContain("vanished");
            assertThat(run.failures()).anyMatch(f -> f.contains("docs/caf\\xe9.txt"));

            assertThat(Files.getLastModifiedTime(target.resolve("old.txt")).toMillis()).isEqualTo(Y1960);
            assertThat(Files.getLastModifiedTime(target.resolve("future.txt")).toMillis()).isEqualTo(Y2100);
            assertThat(mode(target.resolve("bin/suid"))).isEqualTo(06755);
            assertThat(mode(target.resolve("shared"))).isEqualTo(01777);
            assertThat(mode(target.resolve("docs"))).as("folder modes on a failed run").isEqualTo(0750);
            assertThat(Files.getLastModifiedTime(target.resolve("docs")).toMillis()).isEqualTo(Y2020);
            assertThat(Files.getLastModifiedTime(target.resolve("bin")).toMillis()).isEqualTo(Y1960);
            assertThat(target.resolve("pipe")).doesNotExist();
            assertThat(target.resolve("app.sock")).doesNotExist();
            FilesTestSupport.assertNoPartFiles(target);

            RunSummary again = hub.run("arsip-files");
            assertThat(again.bytes()).as("nothing new").isZero();
            assertThat(again.itemsVerified()).isEqualTo(4);
        }
    }

    /** SFTP v3 cannot carry a time before 1970: the item fails saying so before any byte is written. */
    @Test
    void anSftpTargetRefusesAnMtimeBefore1970BeforeWritingAByte() throws Exception {
        Path source = dir.resolve("uploads");
        write(source.resolve("old.txt"), "1960");
        Files.setLastModifiedTime(source.resolve("old.txt"), FileTime.fromMillis(Y1960));
        write(source.resolve("new.txt"), "2020");
        Files.setLastModifiedTime(source.resolve("new.txt"), FileTime.fromMillis(Y2020));
        try (EmbeddedSftpServer target = EmbeddedSftpServer.start(dir.resolve("target"), "pdn", "secret")) {
            Path knownHosts = target.appendKnownHost(dir.resolve("known_hosts"));
            Map<String, String> p = local(source, dir, "password", "secret", "knownHostsFile", knownHosts.toString());
            p.put("target", "sftp://pdn@127.0.0.1:" + target.port() + "/arsip");
            try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("f.yaml", route("arsip-files", p)).start()) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).isEqualTo(RunState.FAILED);
                assertThat(item(hub, "arsip-files", "old.txt").lastError()).contains("its mtime 1960-01-01T00:00:00Z is outside "
                        + "what SFTP (protocol 3: unsigned 32-bit seconds) can set", "nothing was written");
                assertThat(item(hub, "arsip-files", "new.txt").status()).isEqualTo(ItemStatus.VERIFIED);
            }
            Path copied = target.root().resolve("arsip");
            assertThat(copied.resolve("old.txt")).doesNotExist();
            FilesTestSupport.assertNoPartFiles(copied);
            assertThat(Files.getLastModifiedTime(copied.resolve("new.txt")).toMillis()).isEqualTo(Y2020);
        }
    }

    /**
     * MINA's SFTP server cannot even list a folder holding a name that is not UTF-8 (it decodes names itself and cannot
     * stat what it decoded): the run fails naming the folder, not "vanished". (OpenSSH sends the bytes: OpenSshIT.)
     */
    @Test
    void aFolderAnSftpServerCannotListFailsTheRunNamingIt() throws Exception {
        try (EmbeddedSftpServer origin = EmbeddedSftpServer.start(dir.resolve("origin"), "app", "secret")) {
            write(origin.root().resolve("scans/letters/ok.txt"), "ok");
            sh(origin.root().resolve("scans/letters"), "printf 'latin-1' > \"$(printf 'caf\\351.txt')\"");
            Path knownHosts = origin.appendKnownHost(dir.resolve("known_hosts"));
            Map<String, String> p = local(dir, dir.resolve("pdn"), "password", "secret", "knownHostsFile", knownHosts.toString());
            p.put("source", "sftp://app@127.0.0.1:" + origin.port() + "/scans");
            try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("f.yaml", route("scans-files", p)).start()) {
                RunSummary run = hub.run("scans-files");
                assertThat(run.state()).isEqualTo(RunState.FAILED);
                assertThat(run.message()).contains("cannot list the folder /scans/letters on sftp://app@127.0.0.1:" + origin.port()
                        + "/scans", "a name that is not UTF-8").doesNotContain("vanished");
            }
        }
    }
}

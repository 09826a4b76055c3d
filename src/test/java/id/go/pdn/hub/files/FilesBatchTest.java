package id.go.pdn.hub.files;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files travel in batches (batchFiles / batchBytes) between two embedded SFTP servers; the ledger keeps a row per file. */
class FilesBatchTest {

    @TempDir
    Path dir;
    EmbeddedSftpServer origin;
    EmbeddedSftpServer target;
    Path knownHosts;

    @BeforeEach
    void servers() throws Exception {
        origin = EmbeddedSftpServer.start(dir.resolve("origin-server"), "app", "secret");
        target = EmbeddedSftpServer.start(dir.resolve("target-server"), "pdn", "secret");
        knownHosts = origin.appendKnownHost(dir.resolve("known_hosts"));
        target.appendKnownHost(knownHosts);
    }

    @AfterEach
    void stop() throws Exception {
        origin.close();
        target.close();
    }

    private TestHub hub() throws Exception {
        return hub("sftp://app@127.0.0.1:" + origin.port() + "/uploads");
    }

    private TestHub hub(String source) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", source);
        p.put("target", "sftp://pdn@127.0.0.1:" + target.port() + "/arsip");
        p.put("password", "${test.sftp.password}");
        p.put("knownHostsFile", knownHosts.toString());
        return TestHub.builder(dir.resolve("hub")).property("test.sftp.password", "secret")
                .route("files.yaml", route("arsip-files", p)).start();
    }

    private static void smallFiles(Path root, int count) throws Exception {
        byte[] data = new byte[1024];
        for (int i = 0; i < count; i++) {
            data[0] = (byte) i;
            data[1] = (byte) (i >> 8);
            Path file = root.resolve("dir" + (i % 10) + "/file " + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        }
    }

    @Test
    void thousandSmallFilesAndSomeLargeOnesAreVerifiedInBatchesWithOneRowPerFileAndARerunCopiesNothing() throws Exception {
        Path source = origin.root().resolve("uploads");
        smallFiles(source, 1000);
        for (int i = 0; i < 3; i++) {
            FilesTestSupport.bigFile(source.resolve("large/big" + i + ".bin"), 2 << 20); // above the 1 MiB batch threshold
        }
        try (TestHub hub = hub()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsVerified()).isEqualTo(1003);
            List<LedgerItem> verified = hub.ledger().items("arsip-files", ItemStatus.VERIFIED);
            assertThat(verified).hasSize(1003);
            assertThat(verified).extracting(LedgerItem::key).doesNotHaveDuplicates();
            assertThat(verified).allMatch(i -> i.sourceChecksum().length() == 64 && i.sourceChecksum().equals(i.targetChecksum())
                    && i.attempts() == 1);
            // a batch is claimed in one statement with one start time: 1,000 small files in batches of at most 100
            long claims = verified.stream().filter(i -> i.byteCount() == 1024).map(LedgerItem::startedAt).distinct().count();
            assertThat(claims).as("claims of the small files").isBetween(10L, 40L);
            assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(source, false));
            FilesTestSupport.assertNoPartFiles(target.root().resolve("arsip"));

            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).as("a quiet re-run copies nothing").isZero();
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED)).hasSize(1003);
        }
    }

    @Test
    void aBatchGoesTogetherEachPartOpenedOnceAndReadBackThroughItsHandleAndAQuietRerunSetsNoFolder() throws Exception {
        Path source = origin.root().resolve("uploads");
        smallFiles(source, 300);
        Files.setPosixFilePermissions(source.resolve("dir1/file 1.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        Files.setLastModifiedTime(source.resolve("dir2/file 2.txt"), FileTime.fromMillis(1_500_000_000_000L));
        Map<String, Integer> opened = new java.util.concurrent.ConcurrentHashMap<>();
        target.addListener(new org.apache.sshd.sftp.server.SftpEventListener() {
            @Override
            public void open(org.apache.sshd.server.session.ServerSession session, String remoteHandle,
                             org.apache.sshd.sftp.server.Handle localHandle) {
                opened.merge(localHandle.getFile().getFileName().toString(), 1, Integer::sum);
            }
        });
        try (TestHub hub = hub()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            List<LedgerItem> verified = hub.ledger().items("arsip-files", ItemStatus.VERIFIED);
            assertThat(verified).hasSize(300).allMatch(i -> i.sourceChecksum().length() == 64
                    && i.sourceChecksum().equals(i.targetChecksum()) && i.attempts() == 1);
            // mode and mtime arrive (set on the part's handle, read back, then renamed)
            assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(source, false));
            Path readOnly = target.root().resolve("arsip/dir1/file 1.txt");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(readOnly))).isEqualTo("r--------");
            assertThat(Files.getLastModifiedTime(target.root().resolve("arsip/dir2/file 2.txt")).toMillis()).isEqualTo(1_500_000_000_000L);
            FilesTestSupport.assertNoPartFiles(target.root().resolve("arsip"));
            // each part opened once: written, read back (SHA-256) and given its attributes through the same handle
            Map<String, Integer> parts = new java.util.TreeMap<>();
            opened.forEach((name, n) -> {
                if (name.endsWith(".hub-part")) {
                    parts.put(name, n);
                }
            });
            assertThat(parts).hasSize(300);
            assertThat(parts.values()).allMatch(n -> n == 1);

            // a quiet re-run: nothing copied; every file compared as of that listing
            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).isZero();
            var freshness = hub.ledger().freshness("arsip-files");
            assertThat(freshness.fresh()).isTrue();
            assertThat(freshness.equalAsOf()).isEqualTo(hub.ledger().verifiedComparedAt("arsip-files").orElseThrow());
        }
    }

    @Test
    void aBadFileInsideABatchFailsAloneWithItsErrorAndTheOthersAreVerified() throws Exception {
        // a local source: an SFTP server cannot even list a file of 1960
        Path source = dir.resolve("uploads");
        smallFiles(source, 200);
        Path bad = source.resolve("dir3/file 53.txt");
        Files.setLastModifiedTime(bad, FileTime.fromMillis(-86_400_000L * 365 * 10)); // 1960: SFTP v3 cannot set it
        try (TestHub hub = hub("file:" + source)) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).isEqualTo(199);
            List<LedgerItem> failed = hub.ledger().items("arsip-files", ItemStatus.FAILED);
            assertThat(failed).extracting(LedgerItem::key).containsExactly("dir3/file 53.txt");
            assertThat(failed.get(0).lastError()).contains("Cannot copy dir3/file 53.txt of migration", "is outside what SFTP",
                    "nothing was written");
            assertThat(Files.exists(target.root().resolve("arsip/dir3/file 53.txt"))).isFalse();
            assertThat(Files.exists(target.root().resolve("arsip/dir3/file 63.txt"))).isTrue();
            // the same batch's other files: claimed with it, verified
            LedgerItem neighbour = hub.ledger().items("arsip-files", ItemStatus.VERIFIED).stream()
                    .filter(i -> i.key().equals("dir3/file 63.txt")).findFirst().orElseThrow();
            assertThat(neighbour.sourceChecksum()).isEqualTo(neighbour.targetChecksum());

            Files.setLastModifiedTime(bad, FileTime.fromMillis(1_600_000_000_000L)); // fixed at the source
            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).as("only the fixed file is copied again").isEqualTo(1024);
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED)).hasSize(200);
        }
    }

    @Test
    void smallFilesBetweenSftpServersKeepBytesMtimeAndModeAndAFileThatCannotBePlacedFailsAloneNamingIt() throws Exception {
        Path source = origin.root().resolve("uploads");
        smallFiles(source, 200);
        for (int i = 0; i < 200; i++) {
            Path file = source.resolve("dir" + (i % 10) + "/file " + i + ".txt");
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(i % 2 == 0 ? "rw-r-----" : "rwxr-xr-x"));
        }
        // the target holds a folder where one file of a batch goes: that file cannot be renamed into place
        Path blocker = target.root().resolve("arsip/dir3/file 53.txt");
        Files.createDirectories(blocker.resolve("inside"));
        try (TestHub hub = hub()) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).isEqualTo(199);
            // a rename the server refuses looks transient: tried again alone, then a dead letter naming the file
            assertThat(hub.ledger().items("arsip-files", ItemStatus.FAILED)).isEmpty();
            List<LedgerItem> failed = hub.ledger().items("arsip-files", ItemStatus.DEAD);
            assertThat(failed).extracting(LedgerItem::key).containsExactly("dir3/file 53.txt");
            assertThat(failed.get(0).lastError()).contains("dir3/file 53.txt");
            assertThat(Files.isDirectory(blocker.resolve("inside"))).as("the target's folder is left as it was").isTrue();
            // VERIFIED means the bytes now at the target are the source's: recomputed here, not taken from the hub
            List<LedgerItem> verified = hub.ledger().items("arsip-files", ItemStatus.VERIFIED);
            assertThat(verified).hasSize(199);
            for (LedgerItem item : verified) {
                Path copied = target.root().resolve("arsip").resolve(item.key());
                Path original = source.resolve(item.key());
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(copied)));
                assertThat(item.targetChecksum()).as(item.key()).isEqualTo(sha).isEqualTo(item.sourceChecksum());
                assertThat(Files.readAllBytes(copied)).as(item.key()).isEqualTo(Files.readAllBytes(original));
                assertThat(Files.getLastModifiedTime(copied).toMillis() / 1000).as(item.key())
                        .isEqualTo(Files.getLastModifiedTime(original).toMillis() / 1000);
                assertThat(Files.getPosixFilePermissions(copied)).as(item.key()).isEqualTo(Files.getPosixFilePermissions(original));
            }

            Files.delete(blocker.resolve("inside"));
            Files.delete(blocker);
            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).as(again.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).as("only the blocked file is copied").isEqualTo(1024);
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED)).hasSize(200);
            assertThat(tree(target.root().resolve("arsip"), true)).isEqualTo(tree(source, true));
            FilesTestSupport.assertNoPartFiles(target.root().resolve("arsip"));
        }
    }
}

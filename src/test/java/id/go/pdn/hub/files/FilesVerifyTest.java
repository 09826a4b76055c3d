package id.go.pdn.hub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FilesCapability.verify}: SHA-256 of the source and of the target file again; a changed byte or a missing file shows. */
class FilesVerifyTest {

    @TempDir
    Path dir;

    @Test
    void anIntactFileVerifiesAChangedByteOrAMissingFileDoesNot() throws Exception {
        Path source = dir.resolve("uploads");
        Path target = dir.resolve("pdn");
        FilesTestSupport.write(source.resolve("surat/a.txt"), "surat a");
        FilesTestSupport.bigFile(source.resolve("scan/b.bin"), 100_000);
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("files.yaml", FilesTestSupport.route("arsip-files",
                Map.of("application", "arsip", "source", "file:" + source, "target", "file:" + target))).start()) {
            assertThat(hub.run("arsip-files").state()).isEqualTo(RunState.SUCCEEDED);
            MigrationJob job = hub.bean(MigrationRegistry.class).require("arsip-files").job();
            List<LedgerItem> items = hub.ledger().items("arsip-files", ItemStatus.VERIFIED);
            assertThat(items).hasSize(2);
            for (LedgerItem item : items) {
                ItemOutcome again = job.verify(item);
                assertThat(again.verified()).as(item.key()).isTrue();
                assertThat(again.sourceChecksum()).isEqualTo(item.sourceChecksum()).isEqualTo(FilesTestSupport.sha256(source.resolve(item.key())));
                assertThat(again.targetChecksum()).isEqualTo(item.targetChecksum());
                assertThat(again.bytes()).isEqualTo(item.byteCount());
            }
            LedgerItem scan = items.stream().filter(i -> i.key().equals("scan/b.bin")).findFirst().orElseThrow();
            LedgerItem letter = items.stream().filter(i -> i.key().equals("surat/a.txt")).findFirst().orElseThrow();

            byte[] bytes = Files.readAllBytes(target.resolve("scan/b.bin"));
            bytes[50_000] ^= 1;
            Files.write(target.resolve("scan/b.bin"), bytes);
            ItemOutcome flipped = job.verify(scan);
            assertThat(flipped.verified()).isFalse();
            assertThat(flipped.sourceChecksum()).isEqualTo(scan.sourceChecksum());
            assertThat(flipped.targetChecksum()).isEqualTo(FilesTestSupport.sha256(target.resolve("scan/b.bin")));

            Files.delete(target.resolve("surat/a.txt"));
            ItemOutcome missing = job.verify(letter);
            assertThat(missing.verified()).isFalse();
            assertThat(missing.targetChecksum()).isNull();
            assertThat(Files.exists(target.resolve("surat/a.txt"))).as("verify copies nothing").isFalse();
        }
    }

    /**
     * The cut-over check reads the source whatever {@code compare} says: a same-size rewrite with its old mtime put back
     * (invisible to an SFTP source's attributes) is found and the item is no longer VERIFIED.
     */
    @Test
    void theFullCheckReadsTheSourceAndFindsASameSizeRewriteWithItsOldMtime() throws Exception {
        Path source = dir.resolve("uploads");
        Path target = dir.resolve("pdn");
        FilesTestSupport.write(source.resolve("a.txt"), "version 1");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(source.resolve("a.txt"));
        try (TestHub hub = TestHub.builder(dir.resolve("hub")).route("files.yaml", FilesTestSupport.route("arsip-files",
                Map.of("application", "arsip", "source", "file:" + source, "target", "file:" + target))).start()) {
            assertThat(hub.run("arsip-files").state()).isEqualTo(RunState.SUCCEEDED);
            FilesTestSupport.write(source.resolve("a.txt"), "version 2");
            Files.setLastModifiedTime(source.resolve("a.txt"), mtime);
            var check = hub.bean(id.go.pdn.hub.core.MigrationRunner.class).verify("arsip-files", "test");
            assertThat(check.state()).isEqualTo(RunState.FAILED);
            assertThat(check.message()).contains("a.txt of migration arsip-files", "changed on the source since its copy");
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED)).isEmpty();
            assertThat(hub.run("arsip-files").state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(target.resolve("a.txt")).hasContent("version 2");
        }
    }
}

package id.go.pdn.hub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.support.Declarations;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

/** The capability alone, between two local folders: what happens to a file that changes or vanishes after the listing. */
class FilesCapabilityTest {

    @TempDir
    Path dir;
    final FilesCapability files = new FilesCapability(new ObjectMapper(), new StandardEnvironment());
    MigrationJob job;

    @AfterEach
    void close() {
        if (job != null) {
            job.close();
        }
    }

    private MigrationJob job() {
        job = files.open(Declarations.declare(files, "docs", null, "source", "file:" + dir.resolve("src"), "target",
                "file:" + dir.resolve("dst"), "exclude", "tmp"));
        return job;
    }

    private static LedgerItem item(PlannedItem planned) {
        return new LedgerItem(1, "docs", "files", planned.key(), planned.payload(), ItemStatus.RUNNING, 1, 1L, null, null,
                null, null, null, null, null);
    }

    private PlannedItem planned(List<PlannedItem> items, String key) {
        return items.stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void copiesVerifiesAndRefusesChangedOrVanishedFiles() throws Exception {
        FilesTestSupport.write(dir.resolve("src/a.txt"), "a");
        FilesTestSupport.write(dir.resolve("src/b.txt"), "b");
        FilesTestSupport.write(dir.resolve("src/c.txt"), "c");
        FilesTestSupport.write(dir.resolve("src/tmp/skip.txt"), "excluded");
        MigrationJob m = job();
        List<PlannedItem> items = m.plan();
        assertThat(items).extracting(PlannedItem::key).containsExactlyInAnyOrder("a.txt", "b.txt", "c.txt");

        ItemOutcome ok = m.copy(item(planned(items, "a.txt")));
        assertThat(ok.verified()).isTrue();
        assertThat(ok.sourceChecksum()).isEqualTo("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");

        FilesTestSupport.write(dir.resolve("src/b.txt"), "b, longer now");
        Files.setLastModifiedTime(dir.resolve("src/b.txt"), FileTime.fromMillis(1_000_000L));
        assertThatThrownBy(() -> m.copy(item(planned(items, "b.txt"))))
                .isInstanceOf(ItemFailure.Final.class)
                .hasMessageContaining("Cannot copy b.txt of migration docs: it was 1 bytes when listed and 13 bytes were read");
        assertThat(dir.resolve("dst/b.txt")).doesNotExist();

        Files.delete(dir.resolve("src/c.txt"));
        assertThatThrownBy(() -> m.copy(item(planned(items, "c.txt"))))
                .isInstanceOf(ItemFailure.Final.class)
                .hasMessageContaining("Cannot copy c.txt of migration docs: the source file vanished after it was listed");
        FilesTestSupport.assertNoPartFiles(dir.resolve("dst"));

        m.finish();
        assertThat(dir.resolve("dst/tmp")).as("excluded folders are not created").doesNotExist();
    }

    @Test
    void anEntryRefusedByThePlannerFailsItsItemWithTheReason() throws Exception {
        PlannedItem refused = new PlannedItem("../../etc/passwd", new ObjectMapper().writeValueAsString(
                FileEntry.refused("../../etc/passwd", "the server listed a name with '/' (or NUL) in it, which could escape the target folder; refused")));
        Files.createDirectories(dir.resolve("src"));
        assertThatThrownBy(() -> job().copy(item(refused)))
                .isInstanceOf(ItemFailure.Final.class)
                .hasMessageContaining("Cannot copy ../../etc/passwd of migration docs: the server listed a name with '/'");
    }
}

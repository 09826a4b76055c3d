package id.go.pdn.hub.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.files.FilesCapability;
import id.go.pdn.hub.support.Declarations;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.env.StandardEnvironment;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Re-planning on each run (files, mail): only new or changed items go back in line. */
class LedgerMergePlanTest {

    private final Migration migration = Declarations.declare(new FilesCapability(new ObjectMapper(), new StandardEnvironment()),
            "docs", null, "source", "file:/srv/docs", "target", "file:/srv/pdn");
    private Ledger ledger;
    private JdbcTemplate jdbc;

    @BeforeEach
    void ledger() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:merge" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/ledger").table("hub_schema_history").load().migrate();
        jdbc = new JdbcTemplate(ds);
        ledger = new Ledger(jdbc);
    }

    @Test
    void addsNewKeysAndRequeuesChangedPayloadsOnly() {
        ledger.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":2}")));
        for (LedgerItem item : ledger.items("docs", ItemStatus.PENDING)) {
            ledger.claim(item.itemId()); // a worker's verdict only counts on its own claim
            ledger.markVerified(item.itemId(), new ItemOutcome(0, 1, "x", "x"));
        }
        ledger.markPlanFinished("docs");

        Ledger.MergeResult same = ledger.mergePlan(migration, List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":2}")));
        assertThat(same.anyChange()).isFalse();
        assertThat(ledger.plan("docs").orElseThrow().finished()).isTrue();

        Ledger.MergeResult merged = ledger.mergePlan(migration, List.of(new PlannedItem("a.txt", "{\"size\":1}"),
                new PlannedItem("b.txt", "{\"size\":3}"), new PlannedItem("c.txt", "{\"size\":4}")));
        assertThat(merged).isEqualTo(new Ledger.MergeResult(1, 1, 0, 0, 2));
        assertThat(ledger.items("docs", ItemStatus.PENDING)).extracting(LedgerItem::key, LedgerItem::payload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b.txt", "{\"size\":3}"), org.assertj.core.groups.Tuple.tuple("c.txt", "{\"size\":4}"));
        assertThat(ledger.items("docs", ItemStatus.VERIFIED)).extracting(LedgerItem::key).containsExactly("a.txt");
        assertThat(ledger.plan("docs").orElseThrow().finished()).as("the finishing step runs again").isFalse();

        // c.txt vanishes before its copy: it leaves the plan; a.txt, verified, stays as the record: GONE, a difference
        Ledger.MergeResult vanished = ledger.mergePlan(migration, List.of(new PlannedItem("b.txt", "{\"size\":3}")));
        assertThat(vanished.dropped()).isEqualTo(1);
        assertThat(vanished.deleted()).isEqualTo(1);
        assertThat(ledger.plannedItems("docs")).extracting(PlannedItem::key).containsExactly("a.txt", "b.txt");
        assertThat(ledger.items("docs", ItemStatus.GONE)).extracting(LedgerItem::key).containsExactly("a.txt");
        assertThat(ledger.counts("docs").allVerified()).as("the target holds what the source deleted").isFalse();

        // a mirror removes it; a.txt back at the source is copied again; a fifo is listed as skipped, with its reason
        ledger.markRemoved(ledger.items("docs", ItemStatus.GONE).stream().map(LedgerItem::itemId).toList());
        assertThat(ledger.items("docs", ItemStatus.REMOVED)).extracting(LedgerItem::key).containsExactly("a.txt");
        Ledger.MergeResult back = ledger.mergePlan(migration, List.of(new PlannedItem("a.txt", "{\"size\":1}"),
                new PlannedItem("b.txt", "{\"size\":3}"), PlannedItem.skipped("pipe", "{}", "a fifo: not a file")));
        assertThat(back.changed()).isEqualTo(1);
        assertThat(back.added()).isEqualTo(1);
        assertThat(ledger.items("docs", ItemStatus.PENDING)).extracting(LedgerItem::key).containsExactly("a.txt", "b.txt");
        assertThat(ledger.items("docs", ItemStatus.SKIPPED)).extracting(LedgerItem::key, LedgerItem::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pipe", "a fifo: not a file"));
    }

    @Test
    void aVerifiedItemListedAgainUnchangedIsStampedAsComparedNow() throws Exception {
        ledger.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{\"size\":1}")));
        LedgerItem a = ledger.items("docs", ItemStatus.PENDING).get(0);
        ledger.claim(a.itemId());
        ledger.markVerified(a.itemId(), new ItemOutcome(0, 1, "x", "x"));
        var copiedAt = jdbc.queryForObject("SELECT checked_at FROM hub_item WHERE item_id = ?", java.time.OffsetDateTime.class, a.itemId());
        assertThat(ledger.freshness("docs").equalAsOf()).isEqualTo(copiedAt);
        Thread.sleep(20);
        ledger.mergePlan(migration, List.of(new PlannedItem("a.txt", "{\"size\":1}")));
        assertThat(ledger.freshness("docs").equalAsOf()).as("compared at the re-listing").isAfter(copiedAt);
    }

    @Test
    void aQuietListingStampsTheMigrationOnceAndOnlyTheItemsItFoundUnchangedAreComparedAsOfIt() throws Exception {
        ledger.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":2}"),
                new PlannedItem("c.txt", "{\"size\":3}")));
        for (LedgerItem item : ledger.items("docs", ItemStatus.PENDING)) {
            ledger.claim(item.itemId());
            ledger.markVerified(item.itemId(), new ItemOutcome(0, 1, "x", "x"));
        }
        var copiedAt = jdbc.queryForObject("SELECT MAX(checked_at) FROM hub_item", java.time.OffsetDateTime.class);
        long run = ledger.startRun(migration, "test");
        Thread.sleep(20);
        // b.txt changed, c.txt deleted: only a.txt stays VERIFIED, compared as of this listing; no item row is stamped
        ledger.mergePlan(migration, List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":5}")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hub_item WHERE status = 'VERIFIED' AND checked_at > ?",
                Integer.class, copiedAt)).as("verified item rows stamped by the merge").isZero();
        var listedAt = ledger.verifiedComparedAt("docs").orElseThrow();
        assertThat(listedAt).isAfter(copiedAt);
        assertThat(ledger.items("docs", ItemStatus.VERIFIED)).extracting(LedgerItem::key).containsExactly("a.txt");
        Freshness f = ledger.freshness("docs");
        assertThat(f.items()).isEqualTo(1);
        assertThat(f.fresh()).as("a.txt compared in the latest run, by the listing").isTrue();
        assertThat(f.equalAsOf()).isEqualTo(listedAt);

        // b.txt copied again after the listing: compared at its own copy, later than the stamp
        Thread.sleep(20);
        LedgerItem b = ledger.items("docs", ItemStatus.PENDING).get(0);
        ledger.claim(b.itemId());
        ledger.markVerified(b.itemId(), new ItemOutcome(0, 5, "y", "y"));
        f = ledger.freshness("docs");
        assertThat(f.items()).isEqualTo(2);
        assertThat(f.comparedInLatestRun()).isEqualTo(2);
        assertThat(f.equalAsOf()).as("the oldest comparison: a.txt's, at the listing").isEqualTo(listedAt);

        // a new run that lists nothing (its source was down): the stamp is older than the run, both items are stale
        jdbc.update("UPDATE hub_run SET state = 'SUCCEEDED' WHERE run_id = ?", run);
        Thread.sleep(20);
        ledger.startRun(migration, "test");
        assertThat(ledger.freshness("docs").stale()).isEqualTo(2);
    }

    @Test
    void aCopiedFileNowALinkIsADifferenceUntilMirroredWhileAPlainSkipIsSettled() {
        ledger.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":2}")));
        for (LedgerItem item : ledger.items("docs", ItemStatus.PENDING)) {
            ledger.claim(item.itemId());
            ledger.markVerified(item.itemId(), new ItemOutcome(0, 1, "x", "x"));
        }
        List<PlannedItem> listing = List.of(PlannedItem.skippedAtSource("a.txt", "{\"link\":true}", "a link: not copied"),
                PlannedItem.skipped("b.txt", "{\"superseded\":true}", "superseded"));
        ledger.mergePlan(migration, listing);
        assertThat(ledger.items("docs", ItemStatus.GONE)).as("the target still holds the file the link replaced")
                .extracting(LedgerItem::key).containsExactly("a.txt");
        assertThat(ledger.items("docs", ItemStatus.SKIPPED)).extracting(LedgerItem::key).containsExactly("b.txt");

        ledger.mergePlan(migration, listing); // the next night: still a difference, not settled by being listed again
        assertThat(ledger.items("docs", ItemStatus.GONE)).extracting(LedgerItem::key).containsExactly("a.txt");

        ledger.markRemoved(ledger.items("docs", ItemStatus.GONE).stream().map(LedgerItem::itemId).toList()); // mirrored
        ledger.mergePlan(migration, listing);
        assertThat(ledger.items("docs", ItemStatus.SKIPPED)).extracting(LedgerItem::key).containsExactlyInAnyOrder("a.txt", "b.txt");
    }
}

package id.go.pdn.hub.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.files.FilesCapability;
import id.go.pdn.hub.support.Declarations;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

/** How fresh a migration's proof is: items compared with the source since its latest run (or the pass it finished). */
class LedgerFreshnessTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-01T15:00:00Z");

    private final Migration migration = Declarations.declare(new FilesCapability(new ObjectMapper(), new StandardEnvironment()),
            "docs", null, "source", "file:/srv/docs", "target", "file:/srv/pdn");
    private Ledger ledger;
    private JdbcTemplate jdbc;

    @BeforeEach
    void ledger() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:freshness" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/ledger").table("hub_schema_history").load().migrate();
        jdbc = new JdbcTemplate(ds);
        ledger = new Ledger(jdbc);
        ledger.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{\"size\":1}"), new PlannedItem("b.txt", "{\"size\":2}")));
        for (LedgerItem item : ledger.items("docs", ItemStatus.PENDING)) {
            ledger.claim(item.itemId());
            ledger.markVerified(item.itemId(), new ItemOutcome(1, 1, "x", "x"));
        }
    }

    private void run(String state, int hoursAfterT0) {
        long id = ledger.startRun(migration, "test");
        jdbc.update("UPDATE hub_run SET state = ?, started_at = ?, finished_at = ? WHERE run_id = ?", state, T0.plusHours(hoursAfterT0),
                T0.plusHours(hoursAfterT0).plusMinutes(30), id);
    }

    private void checked(String key, int hoursAfterT0) {
        jdbc.update("UPDATE hub_item SET checked_at = ? WHERE item_key = ?", T0.plusHours(hoursAfterT0).plusMinutes(10), key);
    }

    @Test
    void itemsNotComparedInTheLatestRunAreStaleProof() {
        assertThat(ledger.freshness("docs").fresh()).as("copied, never run: nothing compared since a run").isFalse();
        run("SUCCEEDED", 0);
        checked("a.txt", 0);
        checked("b.txt", 0);
        assertThat(ledger.freshness("docs")).isEqualTo(new Freshness(2, 2, T0.plusMinutes(10), T0));

        run("SUCCEEDED", 24); // the next night compared a.txt only (b.txt's server did not answer, say)
        checked("a.txt", 24);
        Freshness stale = ledger.freshness("docs");
        assertThat(stale.fresh()).isFalse();
        assertThat(stale.stale()).isEqualTo(1);
        assertThat(stale.equalAsOfText(ZoneId.of("Asia/Jakarta"))).isEqualTo("2026-12-01T22:10+07:00");
        assertThat(stale.age(T0.plusHours(48))).isEqualTo("1 days 23 h old");
    }

    @Test
    void aRunThatResumesUnsuccessfulRunsCountsFromTheFirstOfThem() {
        run("SUCCEEDED", 0);
        run("FAILED", 24); // killed after comparing b.txt
        checked("b.txt", 24);
        run("SUCCEEDED", 25); // resumed: compared only what was left
        checked("a.txt", 25);
        Freshness pass = ledger.freshness("docs");
        assertThat(pass.fresh()).as("one pass over the items: the crashed run and the run that finished it").isTrue();
        assertThat(pass.latestRunStartedAt()).isEqualTo(T0.plusHours(24));

        run("SUCCEEDED", 48); // a run that compared nothing: both stale again
        assertThat(ledger.freshness("docs").stale()).isEqualTo(2);
    }

    @Test
    void aLatestRunThatFailedCompletesNoPass() {
        run("SUCCEEDED", 0);
        run("FAILED", 24); // compared both, then failed (folder attributes refused, say)
        checked("a.txt", 24);
        checked("b.txt", 24);
        run("FAILED", 48); // the source was down: it compared nothing
        Freshness f = ledger.freshness("docs");
        assertThat(f.latestRunStartedAt()).as("a failed latest run counts from its own start").isEqualTo(T0.plusHours(48));
        assertThat(f.stale()).isEqualTo(2);
    }

    @Test
    void aListingAtTheCutOverCountsWhatCameBackOrBecameALinkAsChanged() {
        jdbc.update("UPDATE hub_item SET status = 'REMOVED' WHERE item_key = 'a.txt'");
        Ledger.ListingChanges back = ledger.compareListing("docs", List.of(new PlannedItem("a.txt", "{\"size\":1}"),
                new PlannedItem("b.txt", "{\"size\":2}")));
        assertThat(back.changed()).as("a file removed as deleted is at the source again").isEqualTo(1);
        Ledger.ListingChanges link = ledger.compareListing("docs", List.of(PlannedItem.skipped("b.txt", "{}", "a link")));
        assertThat(link.changed()).as("a copied file that is now a link").isEqualTo(1);
        assertThat(link.quiet()).isFalse();
    }
}

package id.go.pdn.hub.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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

/**
 * Two hubs on one ledger (hub_node): the workers of the live ones count, the claims of a silent one are freed (and only
 * its), a run whose hub went silent and whose lease ran out is the other hub's to take over, a claim names its migration.
 */
class LedgerNodesTest {

    private static final Duration ALIVE = Duration.ofSeconds(15);
    private final Migration migration = Declarations.declare(new FilesCapability(new ObjectMapper(), new StandardEnvironment()),
            "docs", null, "source", "file:/srv/docs", "target", "file:/srv/pdn");
    private JdbcTemplate jdbc;
    private Ledger hubA;
    private Ledger hubB;

    @BeforeEach
    void ledger() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:nodes" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/ledger").table("hub_schema_history").load().migrate();
        jdbc = new JdbcTemplate(ds);
        hubA = new Ledger(jdbc);
        hubB = new Ledger(jdbc);
        hubA.heartbeat(4);
        hubB.heartbeat(8);
        hubA.savePlan(migration, "h", List.of(new PlannedItem("a.txt", "{}"), new PlannedItem("b.txt", "{}"), new PlannedItem("c.txt", "{}")));
    }

    private void silence(Ledger hub) {
        jdbc.update("UPDATE hub_node SET last_seen = CURRENT_TIMESTAMP - INTERVAL '60' SECOND WHERE node_id = ?", hub.hubInstance());
    }

    private long id(String key) {
        return hubA.items("docs", ItemStatus.PENDING).stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow().itemId();
    }

    private String status(long itemId) {
        return hubA.item(itemId).orElseThrow().status().name();
    }

    @Test
    void theWorkersOfLiveHubsCount() {
        assertThat(hubA.liveWorkers(ALIVE)).isEqualTo(12);
        assertThat(hubA.liveNodes(ALIVE)).extracting(Ledger.Node::nodeId).containsExactlyInAnyOrder(hubA.hubInstance(), hubB.hubInstance());
        silence(hubB);
        assertThat(hubA.liveWorkers(ALIVE)).isEqualTo(4);
        assertThat(hubA.isAlive(hubB.hubInstance(), ALIVE)).isFalse();
        hubB.heartbeat(8); // back
        assertThat(hubA.isAlive(hubB.hubInstance(), ALIVE)).isTrue();
        assertThat(hubA.liveWorkers(ALIVE)).isEqualTo(12);
    }

    @Test
    void onlyTheClaimsOfASilentHubAreFreed() {
        long a = id("a.txt");
        long b = id("b.txt");
        assertThat(hubA.claim(a, "docs")).isPresent();
        assertThat(hubB.claim(b, "docs")).isPresent();
        assertThat(hubA.releaseStaleClaims("docs", ALIVE)).as("both hubs alive").isZero();
        silence(hubB);
        assertThat(hubA.releaseStaleClaims("docs", ALIVE)).isOne();
        assertThat(status(b)).isEqualTo("PENDING");
        assertThat(hubA.item(b).orElseThrow().lastError()).contains(hubB.hubInstance()).contains("stopped answering");
        assertThat(status(a)).as("the live hub's claim").isEqualTo("RUNNING");
    }

    @Test
    void aRunStartedAfterATakeoverLeavesTheItemsOfLiveHubsAlone() {
        long b = id("b.txt");
        long c = id("c.txt");
        Ledger hubC = new Ledger(jdbc);
        hubC.heartbeat(2);
        assertThat(hubB.claim(b, "docs")).isPresent();
        assertThat(hubC.claim(c, "docs")).isPresent();
        silence(hubC);
        hubA.resetUnfinished("docs", List.of(), ALIVE);
        assertThat(status(b)).as("claimed by a live hub").isEqualTo("RUNNING");
        assertThat(status(c)).as("claimed by a silent hub").isEqualTo("PENDING");
    }

    @Test
    void aClaimNamesItsMigration() {
        long a = id("a.txt");
        assertThat(hubA.claim(a, "other-migration")).isEmpty();
        assertThat(status(a)).isEqualTo("PENDING");
        assertThat(hubA.claim(a, "docs")).isPresent();
        assertThat(hubB.claim(a, "docs")).as("one worker only").isEmpty();
    }

    @Test
    void aRunIsTakenOverOnlyWhenItsHubIsSilentAndItsLeaseRanOut() {
        assertThat(hubB.acquireRunLease("docs", "t1", Duration.ofSeconds(15))).isTrue();
        long run = hubB.startRun(migration, "start");
        assertThat(hubB.runBy(run)).contains(hubB.hubInstance());
        assertThat(hubA.abandonedRun("docs", ALIVE)).as("hub B alive, lease held").isEmpty();
        silence(hubB);
        assertThat(hubA.abandonedRun("docs", ALIVE)).as("its lease still holds").isEmpty();
        jdbc.update("UPDATE hub_run_lease SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND");
        assertThat(hubA.abandonedRun("docs", ALIVE)).map(LedgerRun::runId).contains(run);
        assertThat(hubB.abandonedRun("docs", ALIVE)).as("not its own run").isEmpty();
        assertThat(hubA.acquireRunLease("docs", "t2", Duration.ofSeconds(15))).isTrue();
        assertThat(hubA.abandonedRun("docs", ALIVE)).as("taken").isEmpty();
    }
}

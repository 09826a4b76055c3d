package id.go.pdn.hub.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The live table: progress, rate and ETA from the MBean's attributes, or from the change between two refreshes. */
class LiveStatusViewTest {

    private final ObjectMapper json = new ObjectMapper();

    private JolokiaClient.Snapshot snapshot(ObjectNode migration) {
        ObjectNode hub = json.createObjectNode().put("InstanceId", "1@pdn").put("StartedAt", "2026-11-23T08:00:00+07:00")
                .put("MigrationsLoaded", 1).put("MigrationsRunning", 1).put("WorkersBusy", 3).put("WorkersConfigured", 8)
                .put("WorkQueueDepth", 5).put("DeadLetterQueueDepth", -1);
        return new JolokiaClient.Snapshot(hub, List.of(migration));
    }

    private ObjectNode files(long done, long bytes) {
        return json.createObjectNode().put("Name", "arsip-files").put("Application", "sipd").put("Kind", "files").put("Unit", "files")
                .put("State", "RUNNING").put("ItemsTotal", 100).put("ItemsDone", done).put("ItemsFailed", 0)
                .put("Rows", done).put("Bytes", bytes).put("RowsPerSecond", 0.0).put("LastError", "");
    }

    @Test
    void withoutMBeanRatesTheViewMeasuresTheChangeBetweenRefreshes() {
        LiveStatusView view = new LiveStatusView("http://127.0.0.1:9090");
        List<String> first = view.render(snapshot(files(20, 20L << 20)), 0);
        assertThat(first.get(1)).contains("workers 3 of 8 busy", "work queue 5", "dead letters ?");
        assertThat(first.get(3)).contains("arsip-files", "RUNNING", "[#####-------------------]  20%", "20/100", "20.0 MiB")
                .endsWith("?");

        // 2 s later: 10 more files, 10 MiB more: 5 MiB/s, 5 items/s, 70 items left: 14 s
        List<String> second = view.render(snapshot(files(30, 30L << 20)), 2_000_000_000L);
        assertThat(second.get(3)).contains("[#######-----------------]  30%", "30/100", "30.0 MiB", "5.0 MiB/s").endsWith("0:14");
    }

    @Test
    void theMBeansEstimateAndRateWinWhenItHasThem() {
        LiveStatusView view = new LiveStatusView("http://127.0.0.1:9090");
        ObjectNode migration = files(50, 50L << 20).put("BytesPerSecond", 2048.0).put("EstimatedSecondsLeft", 3725);
        assertThat(view.render(snapshot(migration), 0).get(3)).contains("50%", "2.0 KiB/s").endsWith("1:02:05");

        ObjectNode finished = files(100, 100L << 20).put("State", "SUCCEEDED").put("ItemsFailed", 2)
                .put("LastError", "arsip/x.pdf: target refused: disk full");
        List<String> lines = view.render(snapshot(finished), 1_000_000_000L);
        assertThat(lines.get(3)).contains("SUCCEEDED", "100%", "100/100 !2").endsWith("done");
        assertThat(lines.get(4)).contains("! arsip/x.pdf: target refused: disk full");
    }

    @Test
    void aTrackedRouteIsARowWithItsExchangesAsItems() {
        ObjectNode route = json.createObjectNode().put("Route", "laporan-ftp").put("Application", "simpeg").put("State", "FAILED")
                .put("ItemsCopied", 5).put("ItemsVerified", 2).put("ItemsFailed", 1).put("ItemsDead", 2).put("ItemsSkipped", 40)
                .put("LastRunId", 7).put("LastError", "Cannot process a.pdf of tracked route laporan-ftp: Auth fail");
        ObjectNode row = new JolokiaClient("http://127.0.0.1:9090", json, null).asMigration("hub:name=laporan-ftp,type=tracked", route);
        assertThat(row.path("Kind").asText()).isEqualTo("tracked");
        assertThat(row.path("ItemsTotal").asLong()).isEqualTo(10);
        List<String> lines = new LiveStatusView("http://127.0.0.1:9090").render(snapshot(row), 0);
        assertThat(lines.get(3)).containsPattern("laporan-ftp\\s+simpeg\\s+tracked\\s*FAILED\\s+\\[#{17}-{7}]  70%\\s+7/10 !3\\s+7 items")
                .endsWith("-");
        assertThat(lines.get(4)).contains("! Cannot process a.pdf of tracked route laporan-ftp: Auth fail");
        assertThat(lines.get(5)).contains("2 verified by the route, 5 copied (not compared), 1 failed, 2 dead-lettered, 40 skipped");
    }
}

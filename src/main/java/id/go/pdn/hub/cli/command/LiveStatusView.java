package id.go.pdn.hub.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.Units;
import static id.go.pdn.hub.core.Units.bytes;

/**
 * The table of `hub status` for a running hub: one line per migration with a progress bar, items, rows or bytes,
 * rate and ETA. Redrawn in place (ANSI: cursor up, clear to the end) at each refresh. Rates and ETA come from the
 * MBean when it has them (BytesPerSecond, EstimatedSecondsLeft), else from the change since the last refresh.
 */
final class LiveStatusView {

    private static final int BAR_WIDTH = 24;

    private final String url;
    private final Map<String, Sample> previous = new HashMap<>();

    private record Sample(long nanos, long itemsDone, long volume) {
    }

    LiveStatusView(String url) {
        this.url = url;
    }

    /** Prints the table over the one printed before ({@code linesBefore} lines); returns its own line count. */
    int print(PrintStream out, JolokiaClient.Snapshot snapshot, int linesBefore) {
        List<String> lines = render(snapshot, System.nanoTime());
        StringBuilder screen = new StringBuilder();
        if (linesBefore > 0) {
            screen.append("\033[").append(linesBefore).append("A\r\033[J");
        }
        lines.forEach(l -> screen.append(l).append('\n'));
        out.print(screen);
        out.flush();
        return lines.size();
    }

    List<String> render(JolokiaClient.Snapshot snapshot, long now) {
        List<String> lines = new ArrayList<>();
        ObjectNode hub = snapshot.hub();
        lines.add(String.format("hub %s at %s   started %s   %s", hub.path("InstanceId").asText(), url,
                hub.path("StartedAt").asText(), LocalTime.now().truncatedTo(ChronoUnit.SECONDS)));
        lines.add(String.format("  migrations %d loaded, %d running   workers %d of %d busy   work queue %s   dead letters %s",
                hub.path("MigrationsLoaded").asInt(), hub.path("MigrationsRunning").asInt(), hub.path("WorkersBusy").asInt(),
                hub.path("WorkersConfigured").asInt(), depth(hub.path("WorkQueueDepth")), depth(hub.path("DeadLetterQueueDepth"))));
        lines.add(String.format("%-22s %-12s %-5s %-9s %-" + (BAR_WIDTH + 7) + "s %11s %18s %16s %8s", "MIGRATION", "APPLICATION",
                "KIND", "STATE", "PROGRESS", "ITEMS", "DONE", "RATE", "ETA"));
        for (ObjectNode m : snapshot.migrations()) {
            lines.add(line(m, now));
            String error = m.path("LastError").asText("");
            if (!error.isBlank() && m.path("ItemsFailed").asInt() > 0) {
                lines.add("    ! " + (error.length() > 140 ? error.substring(0, 140) + "..." : error));
            }
            JsonNode tracked = m.path("Tracked");
            if (tracked.isObject()) {
                lines.add(String.format("    tracked route, since this hub started: %d verified by the route, %d copied (not compared), "
                        + "%d failed, %d dead-lettered, %d skipped as done in the ledger", tracked.path("ItemsVerified").asLong(),
                        tracked.path("ItemsCopied").asLong(), tracked.path("ItemsFailed").asLong(), tracked.path("ItemsDead").asLong(),
                        tracked.path("ItemsSkipped").asLong()));
            }
            String asOf = m.path("EqualToSourceAsOf").asText("");
            if (!asOf.isBlank() && !"RUNNING".equals(m.path("State").asText())) {
                long done = m.path("ItemsDone").asLong();
                long compared = m.path("ItemsComparedInLastRun").asLong();
                lines.add("    equal to the source as of " + asOf + "; compared in the last run: " + compared + " of " + done
                        + (compared < done ? " (the others: stale proof)" : ""));
            }
        }
        if (snapshot.migrations().isEmpty()) {
            lines.add("  (no migration loaded)");
        }
        return lines;
    }

    private String line(ObjectNode m, long now) {
        String name = m.path("Name").asText();
        String kind = m.path("Kind").asText();
        String state = m.path("State").asText();
        long total = m.path("ItemsTotal").asLong();
        long done = m.path("ItemsDone").asLong();
        long failed = m.path("ItemsFailed").asLong();
        // the hub's MBean says what its volume is counted in; files are followed by their bytes
        String unit = m.path("Unit").asText("rows");
        boolean bytesAreTheVolume = unit.equals("files");
        long volume = bytesAreTheVolume ? m.path("Bytes").asLong() : m.path("Rows").asLong();
        if (bytesAreTheVolume) {
            unit = "";
        } else if (unit.equals("messages")) {
            unit = "msgs";
        }

        Sample before = previous.put(name, new Sample(now, done, volume));
        double seconds = before == null ? 0 : (now - before.nanos()) / 1e9;
        boolean running = "RUNNING".equals(state);

        double rate; // volume per second
        if (bytesAreTheVolume && m.has("BytesPerSecond")) {
            rate = m.path("BytesPerSecond").asDouble();
        } else if (!bytesAreTheVolume && m.has("RowsPerSecond")) {
            rate = m.path("RowsPerSecond").asDouble();
        } else {
            rate = seconds > 0 ? (volume - before.volume()) / seconds : 0;
        }
        if (!running) {
            rate = 0;
        }

        String eta;
        if (total > 0 && done >= total) {
            eta = "done";
        } else if (!running) {
            eta = "-";
        } else if (m.has("EstimatedSecondsLeft") && m.path("EstimatedSecondsLeft").asLong(-1) >= 0) {
            eta = duration(m.path("EstimatedSecondsLeft").asLong());
        } else if (seconds > 0 && done > before.itemsDone()) {
            double itemsPerSecond = (done - before.itemsDone()) / seconds;
            eta = duration(Math.round((total - done) / itemsPerSecond));
        } else {
            eta = "?";
        }

        double fraction = total == 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String bar = "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + String.format("%3d%%", Math.round(fraction * 100));
        String items = done + "/" + total + (failed > 0 ? " !" + failed : "");
        String doneVolume = bytesAreTheVolume ? bytes(volume) : String.format("%,d %s", volume, unit);
        String rateText = running ? (bytesAreTheVolume ? bytes(Math.round(rate)) + "/s" : String.format("%,.0f %s/s", rate, unit)) : "";
        return String.format("%-22s %-12s %-5s %-9s %-" + (BAR_WIDTH + 7) + "s %11s %18s %16s %8s", cut(name, 22),
                cut(m.path("Application").asText(), 12), kind, cut(state, 9), bar, items, doneVolume, rateText, eta);
    }

    private static String depth(JsonNode depth) {
        return depth.asLong(-1) < 0 ? "?" : String.format("%,d", depth.asLong());
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }

}

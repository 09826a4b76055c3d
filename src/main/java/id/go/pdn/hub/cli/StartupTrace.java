package id.go.pdn.hub.cli;

import java.time.Duration;
import java.util.Comparator;
import java.util.stream.StreamSupport;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;

/**
 * {@code -Dhub.startup-trace=N} (e.g. {@code JAVA_OPTS=-Dhub.startup-trace=30 ./hub status --ledger}): after the
 * context started, and again at exit, prints the N slowest steps of Spring's start (bean creations, configuration parsing, ...) to
 * stderr, with their own times. For finding where a command's start goes; off by default.
 */
final class StartupTrace {

    static final String PROPERTY = "hub.startup-trace";

    private final BufferingApplicationStartup startup;
    private final int lines;
    private final long began = System.nanoTime();

    private StartupTrace(BufferingApplicationStartup startup, int lines) {
        this.startup = startup;
        this.lines = lines;
    }

    static StartupTrace fromSystemProperty(SpringApplication application) {
        int lines = Integer.getInteger(PROPERTY, 0);
        BufferingApplicationStartup startup = null;
        if (lines > 0) {
            startup = new BufferingApplicationStartup(100_000);
            application.setApplicationStartup(startup);
        }
        StartupTrace trace = new StartupTrace(startup, lines);
        if (startup != null) {
            // once more at exit: beans a lazy context makes after its start (the ledger, Flyway) show there
            Runtime.getRuntime().addShutdownHook(new Thread(trace::print, "hub-startup-trace"));
        }
        return trace;
    }

    void print() {
        if (startup == null) {
            return;
        }
        StartupTimeline timeline = startup.getBufferedTimeline();
        System.err.printf("hub: %d ms since the context began (JVM up %d ms); slowest steps:%n",
                Duration.ofNanos(System.nanoTime() - began).toMillis(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        StreamSupport.stream(timeline.getEvents().spliterator(), false)
                .sorted(Comparator.comparing(StartupTimeline.TimelineEvent::getDuration).reversed())
                .limit(lines)
                .forEach(e -> System.err.printf("  %6d ms  %s %s%n", e.getDuration().toMillis(), e.getStartupStep().getName(),
                        tags(e.getStartupStep())));
    }

    private static String tags(org.springframework.core.metrics.StartupStep step) {
        StringBuilder text = new StringBuilder();
        step.getTags().forEach(t -> text.append(t.getKey()).append('=').append(t.getValue()).append(' '));
        return text.toString().strip();
    }
}

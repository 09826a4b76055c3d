package id.go.pdn.hub.report;

import static id.go.pdn.hub.core.Units.bytes;
import static id.go.pdn.hub.core.Units.duration;
import static id.go.pdn.hub.report.ReportPage.num;
import static id.go.pdn.hub.report.ReportPage.time;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import id.go.pdn.hub.report.ApplicationReport.GroupReport;
import id.go.pdn.hub.report.ApplicationReport.MigrationReport;
import id.go.pdn.hub.report.ApplicationReport.RunEntry;

/**
 * The report's charts laid out: where each bar, label and line goes. The template (report/charts.html) draws them as
 * inline SVG; here are only numbers and texts.
 */
public final class ReportCharts {

    /** Bars drawn per chart; the rest are summed in one bar. */
    static final int MAX_BARS = 25;
    /** Runs drawn in the throughput chart (the latest). */
    static final int MAX_THROUGHPUT_RUNS = 60;

    private ReportCharts() {
    }

    // ---- what the template draws

    /** An SVG's size (also its view box) and its accessible name. */
    public record Frame(int width, int height, String label) {
        public String viewBox() {
            return "0 0 " + width + " " + height;
        }
    }

    public record Rect(String x, String y, String width, String height, String fill) {
        static Rect of(double x, double y, double width, double height, String fill) {
            return new Rect(coordinate(x), coordinate(y), coordinate(width), coordinate(height), fill);
        }
    }

    /** A text at a point; {@code anchor} is the SVG text-anchor, null for the start. */
    public record Label(String x, String y, String anchor, String text) {
        static Label of(double x, double y, String anchor, String text) {
            return new Label(coordinate(x), coordinate(y), anchor, text);
        }
    }

    public record Line(String x1, String x2, String y1, String y2, String stroke) {
        static Line of(double x1, double x2, double y1, double y2, String stroke) {
            return new Line(coordinate(x1), coordinate(x2), coordinate(y1), coordinate(y2), stroke);
        }
    }

    /** A horizontal bar chart: per group its whole length in a light colour, its part (e.g. verified) in a strong one. */
    public record Bars(Frame frame, List<Bar> bars) {
    }

    public record Bar(String title, Label name, Rect whole, Rect part, Label value) {
    }

    /** Runs on a time axis, one lane per migration. */
    public record Timeline(Frame frame, List<Lane> lanes, List<Mark> runs, Line axis, List<Tick> ticks) {
    }

    public record Lane(Label name, Line guide) {
    }

    public record Mark(String title, Rect rect) {
    }

    public record Tick(Line line, Label label) {
    }

    /** One column per run: bytes per second, coloured by kind; {@code value} (units per second) only where there is room. */
    public record Throughput(Frame frame, Line axis, Label top, Label zero, List<Column> columns) {
    }

    public record Column(String title, Rect rect, Label run, Label value) {
    }

    // ---- layout

    static Bars items(MigrationReport m) {
        return bars(limit(m.groups()), GroupReport::itemsTotal, GroupReport::itemsVerified, "#2e7d32", "#ef9a9a",
                g -> num(g.itemsVerified()) + " / " + num(g.itemsTotal()),
                g -> g.name() + ": " + num(g.itemsVerified()) + " of " + num(g.itemsTotal()) + " items verified",
                "items chart of " + m.name());
    }

    static Bars volume(MigrationReport m, String colour) {
        return bars(limit(m.groups()), GroupReport::units, GroupReport::units, colour, "#e0e0e0",
                g -> num(g.units()) + " · " + bytes(g.bytes()),
                g -> g.name() + ": " + num(g.units()) + " " + m.unit() + ", " + num(g.bytes()) + " bytes",
                "volume chart of " + m.name());
    }

    private static Bars bars(List<GroupReport> groups, ToDoubleFunction<GroupReport> value, ToDoubleFunction<GroupReport> part,
                             String partColour, String restColour, Function<GroupReport, String> text,
                             Function<GroupReport, String> title, String label) {
        int labelWidth = 150;
        int barArea = 520 - labelWidth - 130; // 130: room for the value after the bar
        int rowHeight = 22;
        double max = groups.stream().mapToDouble(value).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        int y = 4;
        for (GroupReport g : groups) {
            double whole = max <= 0 ? 0 : value.applyAsDouble(g) / max * barArea;
            double partLength = max <= 0 ? 0 : part.applyAsDouble(g) / max * barArea;
            bars.add(new Bar(title.apply(g), Label.of(labelWidth - 6, y + 15, "end", shorten(g.name(), 22)),
                    Rect.of(labelWidth, y + 3, Math.max(whole, value.applyAsDouble(g) > 0 ? 1 : 0), 16, restColour),
                    Rect.of(labelWidth, y + 3, Math.max(partLength, part.applyAsDouble(g) > 0 ? 1 : 0), 16, partColour),
                    Label.of(labelWidth + Math.max(whole, 0) + 6, y + 15, null, text.apply(g))));
            y += rowHeight;
        }
        return new Bars(new Frame(520, groups.size() * rowHeight + 8, label), bars);
    }

    /** The first bars, and the rest summed up in one: a chart of 10,000 folders stays readable. */
    private static List<GroupReport> limit(List<GroupReport> groups) {
        if (groups.size() <= MAX_BARS) {
            return groups;
        }
        List<GroupReport> shown = new ArrayList<>(groups.subList(0, MAX_BARS - 1));
        List<GroupReport> rest = groups.subList(MAX_BARS - 1, groups.size());
        shown.add(new GroupReport("(" + rest.size() + " more)", rest.stream().mapToInt(GroupReport::itemsTotal).sum(),
                rest.stream().mapToInt(GroupReport::itemsVerified).sum(), rest.stream().mapToLong(GroupReport::units).sum(),
                rest.stream().mapToLong(GroupReport::bytes).sum(), rest.stream().mapToInt(GroupReport::checksumsCompared).sum(),
                rest.stream().mapToInt(GroupReport::checksumsAgreeing).sum(), rest.stream().map(GroupReport::comparedSince)
                        .filter(Objects::nonNull).min(OffsetDateTime::compareTo).orElse(null)));
        return shown;
    }

    /** Every run (of a non-empty list) on one time axis up to now (the report's time) for a run still running. */
    static Timeline timeline(List<RunEntry> runs, OffsetDateTime now) {
        List<String> lanes = runs.stream().map(RunEntry::migration).distinct().toList();
        OffsetDateTime first = runs.stream().map(RunEntry::startedAt).min(OffsetDateTime::compareTo).orElseThrow();
        OffsetDateTime last = runs.stream().map(r -> r.finishedAt() != null ? r.finishedAt() : now)
                .max(OffsetDateTime::compareTo).orElseThrow();
        double span = Math.max(1, Duration.between(first, last).toMillis());
        int width = 1000;
        int labelWidth = 170;
        int plot = width - labelWidth - 20;
        int laneHeight = 26;
        List<Lane> laneMarks = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            int y = i * laneHeight + 4;
            laneMarks.add(new Lane(Label.of(labelWidth - 8, y + 17, "end", shorten(lanes.get(i), 24)),
                    Line.of(labelWidth, labelWidth + plot, y + 13, y + 13, "#eceff1")));
        }
        List<Mark> marks = new ArrayList<>();
        for (RunEntry r : runs) {
            OffsetDateTime end = r.finishedAt() != null ? r.finishedAt() : now;
            double x = labelWidth + Duration.between(first, r.startedAt()).toMillis() / span * plot;
            double w = Math.max(3, Duration.between(r.startedAt(), end).toMillis() / span * plot);
            marks.add(new Mark("run " + r.runId() + " of " + r.migration() + ": " + r.state() + ", " + time(r.startedAt()) + " to "
                    + (r.finishedAt() == null ? "now" : time(r.finishedAt())) + " (" + duration(r.seconds()) + "), "
                    + num(r.itemsVerified()) + " of " + num(r.itemsTotal()) + " items verified",
                    Rect.of(x, lanes.indexOf(r.migration()) * laneHeight + 6, w, 15, ReportPage.stateColour(r.state()))));
        }
        int axisY = lanes.size() * laneHeight + 8;
        DateTimeFormatter tick = DateTimeFormatter.ofPattern(first.toLocalDate().equals(last.toLocalDate()) ? "HH:mm:ss" : "MM-dd HH:mm");
        List<Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            double x = labelWidth + plot * t / 4.0;
            OffsetDateTime at = first.plus(Duration.ofMillis((long) (span * t / 4)));
            ticks.add(new Tick(Line.of(x, x, axisY, axisY + 4, "#9aa0a6"),
                    Label.of(x, axisY + 18, t == 0 ? "start" : t == 4 ? "end" : "middle", at.format(tick))));
        }
        return new Timeline(new Frame(width, lanes.size() * laneHeight + 34, "time line of runs"), laneMarks, marks,
                Line.of(labelWidth, labelWidth + plot, axisY, axisY, "#9aa0a6"), ticks);
    }

    /** The latest {@value #MAX_THROUGHPUT_RUNS} runs. */
    static Throughput throughput(List<RunEntry> runs, ReportPage.Looks looks) {
        if (runs.size() > MAX_THROUGHPUT_RUNS) {
            runs = runs.subList(runs.size() - MAX_THROUGHPUT_RUNS, runs.size());
        }
        int width = 1000;
        int left = 100; // room for the scale's "999.9 KiB/s"
        int plotHeight = 160;
        double max = runs.stream().mapToDouble(RunEntry::bytesPerSecond).max().orElse(0);
        double slot = (width - left - 10.0) / Math.max(1, runs.size());
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunEntry r = runs.get(i);
            double h = Math.max(1, max <= 0 ? 0 : r.bytesPerSecond() / max * (plotHeight - 8));
            double w = Math.max(2, Math.min(90, slot * 0.7));
            double x = left + i * slot + (slot - w) / 2;
            String unit = looks.unit(r.kind());
            columns.add(new Column("run " + r.runId() + " of " + r.migration() + ": " + bytes(Math.round(r.bytesPerSecond())) + "/s, "
                    + String.format(Locale.ROOT, "%,.1f", r.unitsPerSecond()) + " " + unit + "/s over " + duration(r.seconds()),
                    Rect.of(x, plotHeight + 10 - h, w, h, looks.colour(r.kind())),
                    Label.of(x + w / 2, plotHeight + 26, "middle", "#" + r.runId()),
                    slot < 60 ? null : Label.of(x + w / 2, plotHeight + 4 - h, "middle",
                            String.format(Locale.ROOT, "%,.0f", r.unitsPerSecond()) + " " + unit + "/s")));
        }
        return new Throughput(new Frame(width, plotHeight + 46, "throughput per run"),
                Line.of(left, width - 10, plotHeight + 10, plotHeight + 10, "#9aa0a6"),
                Label.of(left - 6, 16, "end", bytes(Math.round(max)) + "/s"), Label.of(left - 6, plotHeight + 10, "end", "0"), columns);
    }

    /** One decimal at most: "150", "150.5". */
    private static String coordinate(double d) {
        String s = String.format(Locale.ROOT, "%.1f", d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String shorten(String text, int max) {
        return text.codePointCount(0, text.length()) <= max ? text
                : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }
}

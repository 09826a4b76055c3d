package id.go.pdn.hub.report;

import static id.go.pdn.hub.core.Units.duration;
import static id.go.pdn.hub.core.Units.bytes;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import id.go.pdn.hub.report.ApplicationReport.DeadLetter;
import id.go.pdn.hub.report.ApplicationReport.GroupReport;
import id.go.pdn.hub.report.ApplicationReport.KindTotals;
import id.go.pdn.hub.report.ApplicationReport.MigrationReport;
import id.go.pdn.hub.report.ApplicationReport.RejectFile;
import id.go.pdn.hub.report.ApplicationReport.RunEntry;
import id.go.pdn.hub.report.ApplicationReport.UnverifiedItem;

/**
 * Renders a report as one self-contained HTML page: inline CSS, charts as inline SVG drawn here, no script, nothing
 * fetched. Readable on a laptop and printable. Every text from the ledger is escaped: item keys are file names and
 * mailbox names that anyone could have chosen.
 */
public final class HtmlReport {

    private static final Locale NUMBERS = Locale.ROOT;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Map<String, String> STATE_COLOURS = Map.of("SUCCEEDED", "#2e7d32", "FAILED", "#c62828",
            "STOPPED", "#ef6c00", "RUNNING", "#1565c0");
    private static final Map<String, String> KIND_COLOURS = Map.of("db", "#1565c0", "files", "#6a1b9a", "mail", "#00838f");
    private static final Map<String, String> KIND_TITLES = Map.of("db", "Database", "files", "Files", "mail", "Mail");
    private static final Map<String, String> GROUP_NAMES = Map.of("db", "table", "files", "file set", "mail", "mailbox");
    /** Bars drawn per chart; the rest are summed in one bar. */
    private static final int MAX_BARS = 25;
    /** Runs drawn in the throughput chart (the latest). */
    private static final int MAX_THROUGHPUT_RUNS = 60;

    private static final String CSS = """
            :root{--ok:#2e7d32;--bad:#c62828;--muted:#5f6368;--line:#dadce0}
            *{box-sizing:border-box}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#202124;margin:0;background:#f6f7f9}
            main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff}
            header h1{margin:0 0 4px;font-size:26px}
            header p{margin:0;color:var(--muted)}
            h2{margin:36px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line);font-size:21px}
            h3{margin:24px 0 6px;font-size:17px}
            .verdict{margin:20px 0;padding:18px 22px;border-radius:8px;border:3px solid;font-size:15px}
            .verdict .text{font-size:30px;font-weight:700;letter-spacing:.5px}
            .verdict.ok{border-color:var(--ok);background:#e8f5e9;color:#1b5e20}
            .verdict.bad{border-color:var(--bad);background:#ffebee;color:#8e0000}
            .verdict ul{margin:8px 0 0;padding-left:22px;color:#202124}
            table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
            th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{background:#f1f3f4;font-weight:600}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.key{word-break:break-all;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
            td.err{word-break:break-word;font-size:13px}
            .ok{color:var(--ok)} .bad{color:var(--bad)} .muted{color:var(--muted)}
            .badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
            .facts{color:var(--muted);font-size:14px;margin:0 0 8px}
            .facts code{color:#202124}
            .charts{display:flex;flex-wrap:wrap;gap:12px 24px}
            .charts figure{flex:1 1 480px;margin:0}
            figure{margin:8px 0}
            figcaption{font-size:13px;color:var(--muted);margin-bottom:2px}
            svg.chart{display:block;max-width:100%;height:auto}
            svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#202124}
            .legend span{display:inline-block;margin-right:14px;font-size:13px}
            .legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:2px}
            footer{margin-top:36px;color:var(--muted);font-size:12px}
            @media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}
              section.kind,figure{break-inside:avoid-page}h2{break-after:avoid}
              .verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
            """;

    private final StringBuilder out = new StringBuilder(64 * 1024);
    private final ApplicationReport report;

    private HtmlReport(ApplicationReport report) {
        this.report = report;
    }

    public static String render(ApplicationReport report) {
        return new HtmlReport(report).page();
    }

    private String page() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc("Migration report: " + report.application() + " — " + report.verdict().text()))
                .append("</title><style>").append(CSS).append("</style></head><body><main>\n");
        header();
        verdict();
        overview();
        for (KindTotals kind : report.kinds()) {
            kindSection(kind);
        }
        runs();
        operations();
        out.append("<footer>Written by ").append(esc(report.hubVersion())).append(" from its ledger. Times in ")
                .append(esc(report.timeZone())).append(". Dead letters from the ")
                .append("broker".equals(report.deadLetterSource()) ? "running hub's dead-letter queue" : "ledger (items DEAD)")
                .append(". The same content as JSON: report.json beside this page.</footer>\n");
        out.append("</main></body></html>\n");
        return out.toString();
    }

    private void header() {
        out.append("<header><h1>Migration report: ").append(esc(report.application())).append("</h1><p>Generated ")
                .append(esc(time(report.generatedAt()))).append(" (").append(esc(report.timeZone())).append(") by ")
                .append(esc(report.hubVersion())).append("</p></header>\n");
    }

    private void verdict() {
        boolean ok = report.verdict().verified();
        out.append("<div class=\"verdict ").append(ok ? "ok" : "bad").append("\" id=\"verdict\"><div class=\"text\">")
                .append(esc(report.verdict().text())).append("</div>");
        if (ok) {
            out.append("<div>Every item of every migration was copied and verified (counts and checksums agree on source and target), "
                    + "and every finishing step is done.</div>");
        } else {
            out.append("<div>Missing:</div><ul>");
            report.verdict().missing().forEach(m -> out.append("<li>").append(esc(m)).append("</li>"));
            out.append("</ul>");
        }
        out.append("</div>\n");
    }

    private void overview() {
        out.append("<h2>Migrations</h2><table><thead><tr><th>migration</th><th>kind</th><th class=\"n\">items verified</th>")
                .append("<th class=\"n\">volume</th><th class=\"n\">bytes</th><th>plan</th><th class=\"n\">runs</th><th>status</th>")
                .append("</tr></thead><tbody>");
        for (MigrationReport m : report.migrations()) {
            out.append("<tr><td><a href=\"#m-").append(escAttr(anchor(m.name()))).append("\">").append(esc(m.name()))
                    .append("</a></td><td>").append(esc(m.kind())).append("</td><td class=\"n\">").append(num(m.itemsVerified()))
                    .append(" / ").append(num(m.itemsTotal())).append("</td><td class=\"n\">").append(num(m.units())).append(' ')
                    .append(esc(m.unit())).append("</td><td class=\"n\" title=\"").append(num(m.bytes())).append(" bytes\">")
                    .append(bytes(m.bytes())).append("</td><td>").append(esc(m.planState())).append("</td><td class=\"n\">")
                    .append(m.runs()).append("</td><td>").append(status(m.verified())).append("</td></tr>");
        }
        out.append("</tbody></table>\n");
    }

    private void kindSection(KindTotals kind) {
        String k = kind.kind();
        out.append("<section class=\"kind\" id=\"kind-").append(escAttr(k)).append("\"><h2>")
                .append(esc(KIND_TITLES.getOrDefault(k, k))).append(" <span class=\"muted\">(").append(esc(k)).append(")</span></h2>")
                .append("<p class=\"facts\">").append(num(kind.migrations())).append(" migration(s), ")
                .append(num(kind.itemsVerified())).append(" of ").append(num(kind.itemsTotal())).append(" items verified, ")
                .append(num(kind.units())).append(' ').append(esc(kind.unit())).append(", ").append(bytes(kind.bytes())).append("</p>\n");
        for (MigrationReport m : report.migrations()) {
            if (m.kind().equals(k)) {
                migration(m);
            }
        }
        out.append("</section>\n");
    }

    private void migration(MigrationReport m) {
        String group = GROUP_NAMES.getOrDefault(m.kind(), "group");
        out.append("<h3 id=\"m-").append(escAttr(anchor(m.name()))).append("\">").append(esc(m.name())).append(' ')
                .append(status(m.verified())).append("</h3><p class=\"facts\">plan ").append(esc(m.planState()))
                .append(m.finished() ? " (finishing step done)" : "").append(", ").append(m.runs()).append(" run(s)");
        if (m.declaredIn() != null) {
            out.append(", declared in <code>").append(esc(m.declaredIn())).append("</code>");
        }
        m.parameters().forEach((key, value) -> out.append("<br>").append(esc(key)).append(": <code>").append(esc(value)).append("</code>"));
        out.append("</p>\n");
        if (!m.groups().isEmpty()) {
            out.append("<div class=\"charts\"><figure><figcaption>Items per ").append(esc(group))
                    .append(": verified (green) of all</figcaption>").append(itemsChart(m)).append("</figure>")
                    .append("<figure><figcaption>Volume per ").append(esc(group)).append(": ").append(esc(m.unit()))
                    .append(" verified</figcaption>").append(volumeChart(m)).append("</figure></div>\n");
            out.append("<table><thead><tr><th>").append(esc(group)).append("</th><th class=\"n\">items verified</th><th class=\"n\">")
                    .append(esc(m.unit())).append("</th><th class=\"n\">bytes</th><th>source and target checksums</th>")
                    .append("<th>status</th></tr></thead><tbody>");
            for (GroupReport g : m.groups()) {
                String checksums = g.checksumsCompared() == 0 ? "<span class=\"muted\">none compared</span>"
                        : g.checksumsAgreeing() == g.checksumsCompared()
                        ? "<span class=\"ok\">agree on " + num(g.checksumsAgreeing()) + " of " + num(g.checksumsCompared()) + " items</span>"
                            + (g.comparedSince() == null ? "" : "<br><span class=\"muted\">all compared since " + time(g.comparedSince()) + "</span>")
                        : "<span class=\"bad\">differ on " + num(g.checksumsCompared() - g.checksumsAgreeing()) + " of "
                            + num(g.checksumsCompared()) + " items</span>";
                out.append("<tr><td class=\"key\">").append(esc(g.name())).append("</td><td class=\"n\">").append(num(g.itemsVerified()))
                        .append(" / ").append(num(g.itemsTotal())).append("</td><td class=\"n\">").append(num(g.units()))
                        .append("</td><td class=\"n\" title=\"").append(num(g.bytes())).append(" bytes\">").append(bytes(g.bytes()))
                        .append("</td><td>").append(checksums).append("</td><td>").append(status(g.verified())).append("</td></tr>");
            }
            out.append("</tbody></table>\n");
        } else {
            out.append("<p class=\"muted\">No items in the ledger.</p>\n");
        }
        if (!m.unverifiedItems().isEmpty()) {
            out.append("<h4>Items not verified</h4><table><thead><tr><th>item</th><th>status</th><th class=\"n\">attempts</th>")
                    .append("<th>last error</th></tr></thead><tbody>");
            for (UnverifiedItem i : m.unverifiedItems()) {
                out.append("<tr><td class=\"key\">").append(esc(i.item())).append("</td><td class=\"bad\">").append(esc(i.status()))
                        .append("</td><td class=\"n\">").append(i.attempts()).append("</td><td class=\"err\">")
                        .append(esc(i.error() == null ? "" : i.error())).append("</td></tr>");
            }
            out.append("</tbody></table>");
            if (m.unverifiedItemsNotListed() > 0) {
                out.append("<p class=\"muted\">and ").append(num(m.unverifiedItemsNotListed()))
                        .append(" more; the ledger lists them all (hub_item, status other than VERIFIED).</p>");
            }
            out.append('\n');
        }
        out.append("<h4>Rejects</h4>");
        if (m.rejects().isEmpty()) {
            out.append("<p class=\"muted\">None: the target refused no ").append(esc(m.unit())).append(".</p>\n");
        } else {
            out.append("<table><thead><tr><th>file</th><th>").append("mail".equals(m.kind()) ? "of" : "table")
                    .append("</th><th class=\"n\">lines</th><th>first</th></tr></thead><tbody>");
            for (RejectFile r : m.rejects()) {
                out.append("<tr><td class=\"key\">").append(esc(r.file())).append("</td><td class=\"key\">").append(esc(r.table()))
                        .append("</td><td class=\"n\">").append(num(r.lines())).append("</td><td class=\"err\">")
                        .append(esc(r.firstLine() == null ? "" : r.firstLine())).append("</td></tr>");
            }
            out.append("</tbody></table>\n");
        }
        out.append("<h4>Dead letters</h4>");
        if (m.deadLetters().isEmpty()) {
            out.append("<p class=\"muted\">None.</p>\n");
        } else {
            out.append("<table><thead><tr><th>item</th><th>error</th></tr></thead><tbody>");
            for (DeadLetter d : m.deadLetters()) {
                out.append("<tr><td class=\"key\">").append(esc(d.item())).append("</td><td class=\"err\">")
                        .append(esc(d.error() == null ? "" : d.error())).append("</td></tr>");
            }
            out.append("</tbody></table>\n");
        }
    }

    private void runs() {
        out.append("<section id=\"runs\"><h2>Runs</h2>");
        if (report.runs().isEmpty()) {
            out.append("<p class=\"muted\">No runs in the ledger.</p></section>\n");
            return;
        }
        out.append("<figure><figcaption>Time line: every run of every migration, coloured by its outcome</figcaption>")
                .append(timeline()).append("<div class=\"legend\">");
        for (String state : List.of("SUCCEEDED", "FAILED", "STOPPED", "RUNNING")) {
            out.append("<span><i style=\"background:").append(STATE_COLOURS.get(state)).append("\"></i>").append(state).append("</span>");
        }
        out.append("</div></figure>\n<figure><figcaption>Throughput per run (bytes per second; rows, files or messages per second in the labels)")
                .append("</figcaption>").append(throughput()).append("<div class=\"legend\">");
        report.kinds().forEach(k -> out.append("<span><i style=\"background:").append(kindColour(k.kind())).append("\"></i>")
                .append(esc(k.kind())).append("</span>"));
        out.append("</div></figure>\n");
        out.append("<table><thead><tr><th class=\"n\">run</th><th>migration</th><th>state</th><th>trigger</th><th>started</th>")
                .append("<th class=\"n\">duration</th><th class=\"n\">items verified</th><th class=\"n\">volume</th>")
                .append("<th class=\"n\">throughput</th><th>message</th></tr></thead><tbody>");
        for (RunEntry r : report.runs()) {
            out.append("<tr><td class=\"n\">").append(r.runId()).append("</td><td>").append(esc(r.migration())).append("</td><td>")
                    .append("<span class=\"badge\" style=\"background:").append(stateColour(r.state())).append("\">")
                    .append(esc(r.state())).append("</span></td><td>").append(esc(r.triggeredBy())).append("</td><td>")
                    .append(esc(time(r.startedAt()))).append("</td><td class=\"n\">").append(duration(r.seconds()))
                    .append("</td><td class=\"n\">").append(num(r.itemsVerified())).append(" / ").append(num(r.itemsTotal()))
                    .append("</td><td class=\"n\">").append(num(r.units())).append(' ').append(esc(ReportBuilder.unitOf(r.kind())))
                    .append("</td><td class=\"n\">").append(bytes(Math.round(r.bytesPerSecond()))).append("/s</td><td class=\"err\">")
                    .append(esc(r.message() == null ? "" : r.message())).append("</td></tr>");
        }
        out.append("</tbody></table></section>\n");
    }

    /** The audit trail: every operation called on the hub for this application (who, when, from where, outcome). */
    private void operations() {
        out.append("<section id=\"operations\"><h2>Operations</h2>");
        if (report.operations().isEmpty()) {
            out.append("<p class=\"muted\">No operation was called on the hub (start, stop, pause, resume, verify, retry, ")
                    .append("dead-letter replay, reset).</p></section>\n");
            return;
        }
        out.append("<table><thead><tr><th>when</th><th>who</th><th>from</th><th>through</th><th>migration</th>")
                .append("<th>operation</th><th>outcome</th></tr></thead><tbody>");
        for (ApplicationReport.OperationEntry o : report.operations()) {
            out.append("<tr><td>").append(esc(time(o.at()))).append("</td><td>").append(esc(o.who())).append("</td><td>")
                    .append(esc(o.address())).append("</td><td>").append(esc(o.channel())).append("</td><td>")
                    .append(esc(o.migration() == null ? "(hub)" : o.migration())).append("</td><td>").append(esc(o.operation()))
                    .append("</td><td>").append(esc(o.outcome() == null ? "" : o.outcome())).append("</td></tr>");
        }
        out.append("</tbody></table></section>\n");
    }

    // ---- charts (inline SVG)

    private record Bar(String label, double value, double part, String text, String title) {
    }

    private static String itemsChart(MigrationReport m) {
        List<Bar> bars = new ArrayList<>();
        for (GroupReport g : limit(m.groups())) {
            bars.add(new Bar(g.name(), g.itemsTotal(), g.itemsVerified(), num(g.itemsVerified()) + " / " + num(g.itemsTotal()),
                    g.name() + ": " + num(g.itemsVerified()) + " of " + num(g.itemsTotal()) + " items verified"));
        }
        return horizontalBars(bars, "#2e7d32", "#ef9a9a", "items chart of " + m.name());
    }

    private static String volumeChart(MigrationReport m) {
        List<Bar> bars = new ArrayList<>();
        for (GroupReport g : limit(m.groups())) {
            bars.add(new Bar(g.name(), g.units(), g.units(), num(g.units()) + " · " + bytes(g.bytes()),
                    g.name() + ": " + num(g.units()) + " " + m.unit() + ", " + num(g.bytes()) + " bytes"));
        }
        return horizontalBars(bars, kindColour(m.kind()), "#e0e0e0", "volume chart of " + m.name());
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
                        .filter(java.util.Objects::nonNull).min(OffsetDateTime::compareTo).orElse(null)));
        return shown;
    }

    /** One horizontal bar per group: its whole length in the light colour, the part (e.g. verified) in the strong one. */
    private static String horizontalBars(List<Bar> bars, String partColour, String restColour, String label) {
        int width = 520;
        int labelWidth = 150;
        int textWidth = 130;
        int barArea = width - labelWidth - textWidth;
        int rowHeight = 22;
        int height = bars.size() * rowHeight + 8;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        StringBuilder svg = svgStart(width, height, label);
        int y = 4;
        for (Bar bar : bars) {
            double whole = max <= 0 ? 0 : bar.value() / max * barArea;
            double part = max <= 0 ? 0 : bar.part() / max * barArea;
            svg.append("<g><title>").append(esc(bar.title())).append("</title>")
                    .append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 15).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(bar.label(), 22))).append("</text>")
                    .append(rect(labelWidth, y + 3, Math.max(whole, bar.value() > 0 ? 1 : 0), 16, restColour))
                    .append(rect(labelWidth, y + 3, Math.max(part, bar.part() > 0 ? 1 : 0), 16, partColour))
                    .append("<text x=\"").append(fmt(labelWidth + Math.max(whole, 0) + 6)).append("\" y=\"").append(y + 15).append("\">")
                    .append(esc(bar.text())).append("</text></g>");
            y += rowHeight;
        }
        return svg.append("</svg>").toString();
    }

    /** Runs on a time axis, one lane per migration. */
    private String timeline() {
        List<String> lanes = new ArrayList<>();
        report.runs().forEach(r -> {
            if (!lanes.contains(r.migration())) {
                lanes.add(r.migration());
            }
        });
        OffsetDateTime first = report.runs().stream().map(RunEntry::startedAt).min(OffsetDateTime::compareTo).orElseThrow();
        OffsetDateTime last = report.runs().stream().map(r -> r.finishedAt() != null ? r.finishedAt() : report.generatedAt())
                .max(OffsetDateTime::compareTo).orElseThrow();
        double span = Math.max(1, Duration.between(first, last).toMillis());
        int width = 1000;
        int labelWidth = 170;
        int plot = width - labelWidth - 20;
        int laneHeight = 26;
        int height = lanes.size() * laneHeight + 34;
        StringBuilder svg = svgStart(width, height, "time line of runs");
        for (int i = 0; i < lanes.size(); i++) {
            int y = i * laneHeight + 4;
            svg.append("<text x=\"").append(labelWidth - 8).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(lanes.get(i), 24))).append("</text>")
                    .append("<line x1=\"").append(labelWidth).append("\" x2=\"").append(labelWidth + plot).append("\" y1=\"")
                    .append(y + 13).append("\" y2=\"").append(y + 13).append("\" stroke=\"#eceff1\"/>");
        }
        for (RunEntry r : report.runs()) {
            int lane = lanes.indexOf(r.migration());
            OffsetDateTime end = r.finishedAt() != null ? r.finishedAt() : report.generatedAt();
            double x = labelWidth + Duration.between(first, r.startedAt()).toMillis() / span * plot;
            double w = Math.max(3, Duration.between(r.startedAt(), end).toMillis() / span * plot);
            svg.append("<g><title>").append(esc("run " + r.runId() + " of " + r.migration() + ": " + r.state() + ", "
                            + time(r.startedAt()) + " to " + (r.finishedAt() == null ? "now" : time(r.finishedAt())) + " ("
                            + duration(r.seconds()) + "), " + num(r.itemsVerified()) + " of " + num(r.itemsTotal()) + " items verified"))
                    .append("</title>").append(rect(x, lane * laneHeight + 6, w, 15, stateColour(r.state()))).append("</g>");
        }
        int axisY = lanes.size() * laneHeight + 8;
        svg.append("<line x1=\"").append(labelWidth).append("\" x2=\"").append(labelWidth + plot).append("\" y1=\"").append(axisY)
                .append("\" y2=\"").append(axisY).append("\" stroke=\"#9aa0a6\"/>");
        boolean oneDay = first.toLocalDate().equals(last.toLocalDate());
        DateTimeFormatter tick = DateTimeFormatter.ofPattern(oneDay ? "HH:mm:ss" : "MM-dd HH:mm");
        for (int t = 0; t <= 4; t++) {
            double x = labelWidth + plot * t / 4.0;
            OffsetDateTime at = first.plus(Duration.ofMillis((long) (span * t / 4)));
            svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"").append(axisY)
                    .append("\" y2=\"").append(axisY + 4).append("\" stroke=\"#9aa0a6\"/><text x=\"").append(fmt(x)).append("\" y=\"")
                    .append(axisY + 18).append("\" text-anchor=\"").append(t == 0 ? "start" : t == 4 ? "end" : "middle").append("\">")
                    .append(esc(at.format(tick))).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** One column per run (the latest {@value #MAX_THROUGHPUT_RUNS}): bytes per second, coloured by kind. */
    private String throughput() {
        List<RunEntry> runs = report.runs();
        if (runs.size() > MAX_THROUGHPUT_RUNS) {
            runs = runs.subList(runs.size() - MAX_THROUGHPUT_RUNS, runs.size());
        }
        int width = 1000;
        int left = 100; // room for the scale's "999.9 KiB/s"
        int plotHeight = 160;
        int height = plotHeight + 46;
        double max = runs.stream().mapToDouble(RunEntry::bytesPerSecond).max().orElse(0);
        double slot = (width - left - 10.0) / Math.max(1, runs.size());
        StringBuilder svg = svgStart(width, height, "throughput per run");
        svg.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 10).append("\" y1=\"").append(plotHeight + 10)
                .append("\" y2=\"").append(plotHeight + 10).append("\" stroke=\"#9aa0a6\"/>")
                .append("<text x=\"").append(left - 6).append("\" y=\"16\" text-anchor=\"end\">").append(esc(bytes(Math.round(max))))
                .append("/s</text><text x=\"").append(left - 6).append("\" y=\"").append(plotHeight + 10).append("\" text-anchor=\"end\">0</text>");
        for (int i = 0; i < runs.size(); i++) {
            RunEntry r = runs.get(i);
            double h = max <= 0 ? 0 : r.bytesPerSecond() / max * (plotHeight - 8);
            double w = Math.max(2, Math.min(90, slot * 0.7));
            double x = left + i * slot + (slot - w) / 2;
            String unit = ReportBuilder.unitOf(r.kind());
            svg.append("<g><title>").append(esc("run " + r.runId() + " of " + r.migration() + ": " + bytes(Math.round(r.bytesPerSecond()))
                            + "/s, " + String.format(NUMBERS, "%,.1f", r.unitsPerSecond()) + " " + unit + "/s over " + duration(r.seconds())))
                    .append("</title>").append(rect(x, plotHeight + 10 - Math.max(h, 1), w, Math.max(h, 1), kindColour(r.kind())))
                    .append("</g><text x=\"").append(fmt(x + w / 2)).append("\" y=\"").append(plotHeight + 26)
                    .append("\" text-anchor=\"middle\">#").append(r.runId()).append("</text>");
            if (slot >= 60) {
                svg.append("<text x=\"").append(fmt(x + w / 2)).append("\" y=\"").append(fmt(plotHeight + 4 - Math.max(h, 1)))
                        .append("\" text-anchor=\"middle\">").append(esc(String.format(NUMBERS, "%,.0f", r.unitsPerSecond())))
                        .append(' ').append(esc(unit)).append("/s</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder svgStart(int width, int height, String label) {
        return new StringBuilder("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" aria-label=\"").append(escAttr(label)).append("\">");
    }

    private static String rect(double x, double y, double w, double h, String colour) {
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h) + "\" rx=\"2\" fill=\""
                + colour + "\"/>";
    }

    // ---- text

    /** Escapes text for HTML content and attributes; control characters (hostile names) become U+FFFD. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (Character.isSurrogate(c) && !validSurrogate(text, i))) {
                        s.append('\uFFFD');
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    private static String escAttr(String text) {
        return esc(text);
    }

    private static String anchor(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String shorten(String text, int max) {
        return text.codePointCount(0, text.length()) <= max ? text
                : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static String status(boolean verified) {
        return verified ? "<span class=\"badge\" style=\"background:#2e7d32\">verified</span>"
                : "<span class=\"badge\" style=\"background:#c62828\">not verified</span>";
    }

    private static String stateColour(String state) {
        return STATE_COLOURS.getOrDefault(state, "#757575");
    }

    private static String kindColour(String kind) {
        return KIND_COLOURS.getOrDefault(kind, "#757575");
    }

    private static String num(long n) {
        return String.format(NUMBERS, "%,d", n);
    }

    private static String fmt(double d) {
        return String.format(NUMBERS, "%.1f", d);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : t.format(TIME);
    }
}

package id.go.pdn.hub.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.report.ApplicationReport.DeadLetter;
import id.go.pdn.hub.report.ApplicationReport.GroupReport;
import id.go.pdn.hub.report.ApplicationReport.KindTotals;
import id.go.pdn.hub.report.ApplicationReport.MigrationReport;
import id.go.pdn.hub.report.ApplicationReport.RejectFile;
import id.go.pdn.hub.report.ApplicationReport.RunEntry;
import id.go.pdn.hub.report.ApplicationReport.UnverifiedItem;
import id.go.pdn.hub.report.ApplicationReport.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html from a report built in memory: every text the ledger or a route can hold stays text. */
class HtmlReportTest {

    @TempDir
    Path dir;

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 30, 8, 0, 0, 0, ZoneOffset.ofHours(7));

    private static final String MARKUP = "<script>alert(\"&x\")</script>";

    @Test
    void markupFromTheLedgerIsEscapedInTextAndAttributes() {
        String html = HtmlReport.render(sample(MARKUP));
        String escaped = "&lt;script&gt;alert(&quot;&amp;x&quot;)&lt;/script&gt;";
        assertThat(html).doesNotContain("<script", "alert(\"", "&x\"");
        assertThat(html).as("text: title, verdict, table cells, chart tooltips, footer")
                .contains("<title>Migration report: arsip" + escaped + " — NOT VERIFIED</title>",
                        "<li>arsip-db: 2 of 600 items not verified " + escaped + "</li>",
                        "<td class=\"err\">connection reset " + escaped + "</td>",
                        "<td class=\"key\">" + escaped + "/</td>",
                        "<code>routes/" + escaped + ".yaml</code>",
                        "<title>" + escaped + "/: 2 of 2 items verified</title>",
                        "Written by Migration Hub 0.1.0" + escaped + " from its ledger");
        assertThat(html).as("attributes").contains("aria-label=\"items chart of arsip-db" + escaped + "\"",
                "aria-label=\"volume chart of arsip-db" + escaped + "\"");
        assertThat(html).as("an anchor is made of safe characters").contains("href=\"#m-arsip-db_script_alert___x____script_\"",
                "id=\"m-arsip-db_script_alert___x____script_\"");
        assertThat(html.split("<svg", -1)).as("the items and volume charts of two migrations, the time line, the throughput").hasSize(1 + 6);
    }

    @Test
    void controlCharactersAndBrokenUtf16BecomeReplacementCharacters() throws Exception {
        String html = HtmlReport.render(sample("bell\u0007 cr\r lone\uD800 pair\uD83D\uDE00"));
        assertThat(html).contains("bell\uFFFD cr\uFFFD lone\uFFFD pair\uD83D\uDE00").doesNotContain("\u0007", "\r", "lone\uD800");
        Files.writeString(dir.resolve("report.html"), html); // a lone surrogate would not encode as UTF-8
    }

    @Test
    void aReportWithoutRunsSaysSo() {
        String html = HtmlReport.render(empty());
        assertThat(html).contains("<div class=\"text\">COMPLETE AND VERIFIED</div>", "No runs in the ledger.",
                "Dead letters from the ledger (items DEAD)").doesNotContain("<svg", "<ul>");
    }

    /** A report that reaches every part of the page; {@code text} is put wherever the ledger or a route gives text. */
    static ApplicationReport sample(String text) {
        List<GroupReport> tables = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tables.add(new GroupReport("T" + i + text, 10 + i, i == 3 ? 9 : 10 + i, 1000L * i, 4096L * i, i == 3 ? 9 : 10 + i,
                    i == 5 ? 10 : 10 + i, i == 7 ? null : T0.plusMinutes(i)));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("source", "jdbc:h2:file:/srv/" + text);
        parameters.put("tables" + text, "*");
        MigrationReport db = new MigrationReport("arsip-db" + text, "db", "rows", "routes/" + text + ".yaml", parameters, "PLANNED",
                false, false, 2, 600, 598, Map.of("VERIFIED", 598, "DEAD", 1, "FAILED", 1), 123_456, 9_876_543, tables,
                List.of(new UnverifiedItem("SURAT " + text + "[start, 100)", "DEAD", 6, "connection reset " + text),
                        new UnverifiedItem("LAMPIRAN", "FAILED", 1, null)), 3,
                List.of(new RejectFile("arsip-db.SURAT.reject.log", "SURAT" + text, 12, "row 7: " + text),
                        new RejectFile("arsip-db.SURAT.reject.dat", "SURAT", 12, null)),
                List.of(new DeadLetter("arsip-db" + text, "SURAT " + text + "[start, 100)", "connection reset " + text)));
        MigrationReport files = new MigrationReport("arsip-files", "files", "files", null, Map.of(), "COMPLETE", true, true, 1,
                2, 2, Map.of("VERIFIED", 2), 2, 2048, List.of(new GroupReport(text + "/", 2, 2, 2, 2048, 0, 0, null)),
                List.of(), 0, List.of(), List.of());
        MigrationReport mail = new MigrationReport("arsip-mail", "mail", "messages", null, Map.of(), "NONE", false, false, 0,
                0, 0, Map.of(), 0, 0, List.of(), List.of(), 0,
                List.of(new RejectFile("arsip-mail.mail.reject.log", "mail", 1, text)), List.of());
        List<RunEntry> runs = List.of(
                new RunEntry(1, db.name(), "db", "FAILED", "cli", T0, T0.plusMinutes(3), 180, 600, 500, 2, 100_000, 8_000_000,
                        555.5, 44_444.4, "failed: " + text),
                new RunEntry(2, files.name(), "files", "SUCCEEDED", "cron" + text, T0.plusMinutes(5), T0.plusMinutes(6), 60, 2, 2, 0, 2,
                        2048, 0.03, 34.1, null),
                new RunEntry(3, db.name(), "db", "STOPPED", "jmx", T0.plusDays(1), T0.plusDays(1).plusHours(1), 3600, 600, 598, 0,
                        23_456, 1_876_543, 6.5, 521.3, "stopped"),
                new RunEntry(4, db.name(), "db", "RUNNING", "cli", T0.plusDays(1).plusHours(2), null, 60, 600, 598, 0, 0, 0, 0, 0, null));
        return new ApplicationReport("arsip" + text, T0.plusDays(1).plusHours(3), "Asia/Jakarta", "Migration Hub 0.1.0" + text,
                new Verdict(false, ApplicationReport.NOT_VERIFIED, List.of("arsip-db: 2 of 600 items not verified " + text)),
                List.of(new KindTotals("db", "rows", "Database", "#1565c0", "table", 1, 600, 598, 123_456, 9_876_543),
                        new KindTotals("files", "files", "Files", "#6a1b9a", "file set", 1, 2, 2, 2, 2048),
                        new KindTotals("mail", "messages", "Mail", "#00838f", "mailbox", 1, 0, 0, 0, 0)),
                List.of(db, files, mail), runs, "broker", List.of(new ApplicationReport.OperationEntry(T0.plusHours(5), "operator" + text,
                        "127.0.0.1" + text, "jolokia", db.name(), "pause" + text, "paused" + text)));
    }

    static ApplicationReport empty() {
        return new ApplicationReport("empty", T0, "UTC", "Migration Hub", new Verdict(true, ApplicationReport.VERIFIED, List.of()),
                List.of(), List.of(), List.of(), "ledger", List.of());
    }
}

package id.go.pdn.hub.report;

import static id.go.pdn.hub.core.Units.bytes;
import static id.go.pdn.hub.core.Units.duration;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
import id.go.pdn.hub.report.ApplicationReport.Verdict;
import id.go.pdn.hub.report.ReportCharts.Bars;
import id.go.pdn.hub.report.ReportCharts.Throughput;
import id.go.pdn.hub.report.ReportCharts.Timeline;

/**
 * What report.html shows, computed from an {@link ApplicationReport}: numbers and times formatted, kinds named and
 * coloured, charts laid out. The template (report/report.html) only places it, and escapes every value.
 *
 * @param runs null when the ledger has no run
 */
public record ReportPage(String application, String generatedAt, String timeZone, String hubVersion, Verdict verdict,
                         boolean deadLettersFromBroker, List<Migration> migrations, List<Kind> kinds, Runs runs,
                         List<Operation> operations) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Map<String, String> STATE_COLOURS = Map.of("SUCCEEDED", "#2e7d32", "FAILED", "#c62828",
            "STOPPED", "#ef6c00", "RUNNING", "#1565c0");
    private static final List<String> STATES = List.of("SUCCEEDED", "FAILED", "STOPPED", "RUNNING");
    /** What the page says and draws per kind (title, colour, unit, group noun): the kinds' own facts, from the report. */
    record Looks(Map<String, KindTotals> byKind) {
        static Looks of(ApplicationReport report) {
            Map<String, KindTotals> byKind = new java.util.HashMap<>();
            report.kinds().forEach(k -> byKind.put(k.kind(), k));
            return new Looks(byKind);
        }

        String colour(String kind) {
            return byKind.containsKey(kind) ? byKind.get(kind).colour() : "#757575";
        }

        String unit(String kind) {
            return byKind.containsKey(kind) ? byKind.get(kind).unit() : "items";
        }

        String groupNoun(String kind) {
            return byKind.containsKey(kind) ? byKind.get(kind).groupNoun() : "group";
        }
    }

    /** A kind's section: its totals and its migrations. */
    public record Kind(String kind, String title, String migrations, String itemsVerified, String itemsTotal, String units,
                       String unit, String bytes, List<Migration> migrationsOfKind) {
    }

    /**
     * A migration, as a row of the overview and as its part of its kind's section.
     *
     * @param group what its items group into (table, file set, mailbox)
     * @param rejectedFrom the head of the rejects' second column
     * @param unverifiedNotListed null when every unverified item is listed
     */
    public record Migration(String name, String anchor, String kind, String unit, String group, String rejectedFrom,
                            boolean verified, String plan, boolean finished, int runs, String declaredIn,
                            Map<String, String> parameters, String items, String volume, String bytes, String exactBytes,
                            Bars itemsChart, Bars volumeChart, List<Group> groups, List<UnverifiedItem> unverified,
                            String unverifiedNotListed, List<Reject> rejects, List<DeadLetter> deadLetters) {
    }

    /**
     * A table, top folder or mailbox of a migration.
     *
     * @param compared null when no checksum was compared
     * @param comparedSince null when unknown
     * @param atSource what the source no longer has or was not copied on purpose ("2 skipped, 1 deleted, still on the
     *                 target"), null when nothing
     * @param differs whether that includes a difference (items deleted at the source and still on the target)
     */
    public record Group(String name, boolean verified, String items, String units, String bytes, String exactBytes,
                       String compared, boolean agree, String agreeing, String differing, String comparedSince,
                       String atSource, boolean differs) {
    }

    public record Reject(String file, String table, String lines, String firstLine) {
    }

    public record Runs(Timeline timeline, List<Legend> states, Throughput throughput, List<Legend> kinds, List<Run> rows) {
    }

    /** An operation called on the hub (audit trail): who, from where, through what, on which migration, its outcome. */
    public record Operation(String at, String who, String address, String channel, String migration, String operation,
                            String outcome) {
    }

    public record Legend(String name, String colour) {
    }

    public record Run(long id, String migration, String state, String colour, String triggeredBy, String started, String duration,
                      String items, String volume, String throughput, String message) {
    }

    public static ReportPage of(ApplicationReport report) {
        Looks looks = Looks.of(report);
        List<Migration> migrations = report.migrations().stream().map(m -> migration(m, looks)).toList();
        List<Kind> kinds = report.kinds().stream().map(k -> kind(k, migrations)).toList();
        return new ReportPage(report.application(), time(report.generatedAt()), report.timeZone(), report.hubVersion(),
                report.verdict(), "broker".equals(report.deadLetterSource()), migrations, kinds, runs(report, looks),
                report.operations().stream().map(o -> new Operation(time(o.at()), o.who(), o.address(), o.channel(),
                        o.migration() == null ? "(hub)" : o.migration(), o.operation(), o.outcome() == null ? "" : o.outcome())).toList());
    }

    private static Kind kind(KindTotals k, List<Migration> migrations) {
        return new Kind(k.kind(), k.title(), num(k.migrations()), num(k.itemsVerified()),
                num(k.itemsTotal()), num(k.units()), k.unit(), bytes(k.bytes()),
                migrations.stream().filter(m -> m.kind().equals(k.kind())).toList());
    }

    private static Migration migration(MigrationReport m, Looks looks) {
        return new Migration(m.name(), m.name().replaceAll("[^A-Za-z0-9_-]", "_"), m.kind(), m.unit(),
                looks.groupNoun(m.kind()), looks.groupNoun(m.kind()), m.verified(),
                m.planState(), m.finished(), m.runs(), m.declaredIn(), m.parameters(),
                num(m.itemsVerified()) + " / " + num(m.itemsTotal()), num(m.units()) + " " + m.unit(), bytes(m.bytes()),
                num(m.bytes()) + " bytes", ReportCharts.items(m), ReportCharts.volume(m, looks.colour(m.kind())),
                m.groups().stream().map(ReportPage::group).toList(), m.unverifiedItems(),
                m.unverifiedItemsNotListed() > 0 ? num(m.unverifiedItemsNotListed()) : null,
                m.rejects().stream().map(ReportPage::reject).toList(), m.deadLetters());
    }

    private static Group group(GroupReport g) {
        return new Group(g.name(), g.verified(), num(g.itemsVerified()) + " / " + num(g.itemsTotal()), num(g.units()),
                bytes(g.bytes()), num(g.bytes()) + " bytes", g.checksumsCompared() == 0 ? null : num(g.checksumsCompared()),
                g.checksumsAgreeing() == g.checksumsCompared(), num(g.checksumsAgreeing()),
                num(g.checksumsCompared() - g.checksumsAgreeing()), g.comparedSince() == null ? null : time(g.comparedSince()),
                atSource(g.skipped(), g.gone(), g.removed()), g.gone() > 0);
    }

    /** "2 skipped, 1 deleted and still on the target, 3 deleted and removed": what the items list explains one by one. */
    public static String atSource(int skipped, int gone, int removed) {
        List<String> parts = new java.util.ArrayList<>();
        if (skipped > 0) {
            parts.add(num(skipped) + " skipped");
        }
        if (gone > 0) {
            parts.add(num(gone) + " deleted at the source, still on the target");
        }
        if (removed > 0) {
            parts.add(num(removed) + " deleted at the source, removed from the target");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static Reject reject(RejectFile r) {
        return new Reject(r.file(), r.table(), num(r.lines()), r.firstLine());
    }

    private static Runs runs(ApplicationReport report, Looks looks) {
        if (report.runs().isEmpty()) {
            return null;
        }
        List<Run> rows = report.runs().stream().map(r -> new Run(r.runId(), r.migration(), r.state(), stateColour(r.state()),
                r.triggeredBy(), time(r.startedAt()), duration(r.seconds()), num(r.itemsVerified()) + " / " + num(r.itemsTotal()),
                num(r.units()) + " " + looks.unit(r.kind()), bytes(Math.round(r.bytesPerSecond())) + "/s", r.message())).toList();
        return new Runs(ReportCharts.timeline(report.runs(), report.generatedAt()),
                STATES.stream().map(s -> new Legend(s, stateColour(s))).toList(), ReportCharts.throughput(report.runs(), looks),
                report.kinds().stream().map(k -> new Legend(k.kind(), k.colour())).toList(), rows);
    }

    static String stateColour(String state) {
        return STATE_COLOURS.getOrDefault(state, "#757575");
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String time(OffsetDateTime t) {
        return t == null ? "" : t.format(TIME);
    }
}

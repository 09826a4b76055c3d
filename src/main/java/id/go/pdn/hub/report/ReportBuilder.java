package id.go.pdn.hub.report;

import id.go.pdn.hub.core.Redaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.Freshness;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerRun;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.report.ApplicationReport.DeadLetter;
import id.go.pdn.hub.report.ApplicationReport.KindTotals;
import id.go.pdn.hub.report.ApplicationReport.MigrationReport;
import id.go.pdn.hub.report.ApplicationReport.RejectFile;
import id.go.pdn.hub.report.ApplicationReport.RunEntry;
import id.go.pdn.hub.report.ApplicationReport.Verdict;
import org.springframework.stereotype.Component;

/** Builds an application's report from the ledger, the reject files beside the run reports and, if given, its routes. */
@Component
public class ReportBuilder {

    private final Ledger ledger;
    private final ReportQueries queries;
    private final RunReports runReports;
    private final HubProperties properties;
    private final Capabilities capabilities;

    public ReportBuilder(Ledger ledger, ReportQueries queries, RunReports runReports, HubProperties properties,
                         Capabilities capabilities) {
        this.ledger = ledger;
        this.queries = queries;
        this.runReports = runReports;
        this.properties = properties;
        this.capabilities = capabilities;
    }

    /** A migration as its route declares it (loaded by Camel from the routes the report was given). */
    public record Declared(String name, String application, String kind, Map<String, String> parameters, String file) {

        /** The declared options a report may show, and the capability's view of its endpoints (no credentials). */
        public static Declared of(MigrationRegistry.Registered registered) {
            Migration m = registered.migration();
            Map<String, String> shown = new LinkedHashMap<>(Redaction.safeParameters(m));
            registered.capability().describeEndpoints(m).forEach((key, value) -> shown.put(key, Redaction.location(value)));
            String file = m.location() == null ? null : m.location().replaceFirst(":\\d+$", "");
            return new Declared(m.name(), m.application(), m.kind(), shown, file);
        }
    }

    /**
     * @param declared the migrations declared in the routes the report was given (may be empty)
     * @param brokerDeadLetters the dead-letter queue as the running hub's broker holds it, or null when no broker
     *                          answered: then the ledger's DEAD items are the dead letters
     */
    public ApplicationReport build(String application, String hubVersion, List<Declared> declared,
                                   List<DeadLetter> brokerDeadLetters) {
        ZoneId zone = properties.getTimeZone();
        List<LedgerRun> runs = ledger.runs(application);
        Map<String, ReportQueries.PlannedMigration> planned = new LinkedHashMap<>();
        queries.plannedMigrations(application).forEach(p -> planned.put(p.name(), p));
        Map<String, Declared> declaredHere = new LinkedHashMap<>();
        declared.stream().filter(d -> application.equals(d.application())).forEach(d -> declaredHere.put(d.name(), d));

        Set<String> names = new LinkedHashSet<>(planned.keySet());
        runs.forEach(r -> names.add(r.migration()));
        names.addAll(declaredHere.keySet());

        List<String> missing = new ArrayList<>();
        List<String> staleProof = new ArrayList<>();
        List<Freshness> freshness = new ArrayList<>();
        List<MigrationReport> migrations = new ArrayList<>();
        for (String name : names) {
            ReportQueries.PlannedMigration plan = planned.get(name);
            Declared declaration = declaredHere.get(name);
            List<LedgerRun> itsRuns = runs.stream().filter(r -> r.migration().equals(name)).toList();
            String kind = plan != null ? plan.kind() : !itsRuns.isEmpty() ? itsRuns.get(0).kind() : declaration.kind();
            ReportQueries.ItemSummary items = queries.items(name, zone);
            int verifiedItems = items.get(ItemStatus.VERIFIED);
            long units = items.groups().stream().mapToLong(ApplicationReport.GroupReport::units).sum();
            long bytes = items.groups().stream().mapToLong(ApplicationReport.GroupReport::bytes).sum();
            int checksumMismatches = items.groups().stream().mapToInt(g -> g.checksumsCompared() - g.checksumsAgreeing()).sum();
            // a tracked route has no finishing step: nothing to wait for once its items are verified
            boolean finished = plan != null && ("FINISHED".equals(plan.planState())
                    || id.go.pdn.hub.core.tracked.TrackedRoutes.KIND.equals(kind));
            List<String> reasons = new ArrayList<>();
            if (itsRuns.isEmpty() && plan == null) {
                reasons.add(name + " (declared in " + declaration.file() + "): never run");
            } else if (plan == null || items.total() == 0) {
                reasons.add(name + ": no plan in the ledger (reset after its last run?); run it again");
            } else {
                int settledWithoutCopy = items.get(ItemStatus.SKIPPED) + items.get(ItemStatus.REMOVED);
                int gone = items.get(ItemStatus.GONE);
                int notVerified = items.total() - verifiedItems - settledWithoutCopy - gone;
                if (notVerified > 0) {
                    reasons.add(name + ": " + notVerified + " of " + items.total() + " items not verified (" + describe(items) + ")");
                }
                if (gone > 0) {
                    reasons.add(name + ": " + gone + " items deleted at the source are still on the target (deletions: report); "
                            + "deletions: mirror removes them");
                }
                if (checksumMismatches > 0) {
                    reasons.add(name + ": " + checksumMismatches + " verified items whose source and target checksums differ");
                }
                if (!finished) {
                    reasons.add(name + ": finishing step not done (" + capabilities.facts(kind).finishingStep()
                            + "); it runs once every item is verified");
                }
            }
            reasons.addAll(handWork(application, name));
            itsRuns.stream().filter(r -> r.state() == RunState.RUNNING).forEach(r ->
                    reasons.add(name + ": run " + r.runId() + " is still running"));
            missing.addAll(reasons);
            if (plan != null) {
                Freshness f = ledger.freshness(name);
                freshness.add(f);
                if (!f.fresh()) {
                    staleProof.add(name + ": " + f.stale() + " of " + f.items() + " verified items were not compared with the source in "
                            + "its latest run (started " + Freshness.text(f.latestRunStartedAt(), zone) + "); equal to the source as of "
                            + f.equalAsOfText(zone));
                }
            }

            List<DeadLetter> deadLetters = brokerDeadLetters != null
                    ? brokerDeadLetters.stream().filter(l -> name.equals(l.migration())).toList()
                    : items.unverified().stream().filter(i -> ItemStatus.DEAD.name().equals(i.status()))
                        .map(i -> new DeadLetter(name, i.item(), i.error())).toList();
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            items.byStatus().forEach((status, count) -> byStatus.put(status.name(), count));
            migrations.add(new MigrationReport(name, kind, unitOf(kind), declaration == null ? null : declaration.file(),
                    declaration == null ? Map.of() : declaration.parameters(),
                    plan == null ? "NONE" : plan.planState(), finished, reasons.isEmpty(), itsRuns.size(),
                    items.total(), verifiedItems, byStatus, units, bytes, items.groups(), items.unverified(),
                    items.unverifiedNotListed(), rejects(application, name), deadLetters));
        }
        migrations.sort(Comparator.comparingInt((MigrationReport m) -> kindRank(m.kind())).thenComparing(MigrationReport::name));
        if (migrations.isEmpty()) {
            missing.add("no migration of application '" + application + "' in the ledger: nothing was run");
        }
        boolean verified = missing.isEmpty() && staleProof.isEmpty();
        Freshness all = Freshness.of(freshness);
        OffsetDateTime now = OffsetDateTime.now(zone);
        Verdict verdict = new Verdict(verified, verified ? ApplicationReport.VERIFIED : missing.isEmpty() ? ApplicationReport.STALE
                : ApplicationReport.NOT_VERIFIED, missing,
                all.equalAsOf() == null ? null : all.equalAsOf().atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS),
                all.items() == 0 ? null : all.age(now), staleProof);

        List<RunEntry> runEntries = runs.stream().map(r -> runEntry(r, zone)).toList();
        return new ApplicationReport(application, now, zone.getId(), hubVersion, verdict,
                kindTotals(migrations), migrations, runEntries, brokerDeadLetters != null ? "broker" : "ledger",
                ledger.auditTrail(application, 500).stream().map(e -> new ApplicationReport.OperationEntry(
                        e.at().atZoneSameInstant(zone).toOffsetDateTime(), e.who(), e.address(), e.channel(), e.migration(),
                        e.operation(), Redaction.text(String.valueOf(e.outcome())))).toList());
    }

    private static String describe(ReportQueries.ItemSummary items) {
        List<String> parts = new ArrayList<>();
        items.byStatus().forEach((status, count) -> {
            if (status != ItemStatus.VERIFIED && !ItemStatus.SETTLED_WITHOUT_COPY.contains(status) && status != ItemStatus.GONE) {
                parts.add(count + " " + status);
            }
        });
        return String.join(", ", parts);
    }

    private static RunEntry runEntry(LedgerRun r, ZoneId zone) {
        double seconds = r.elapsed().toMillis() / 1000.0;
        double active = r.active().toMillis() / 1000.0; // rates leave out the time it waited (paused, window closed)
        return new RunEntry(r.runId(), r.migration(), r.kind(), r.state().name(), r.triggeredBy(),
                r.startedAt() == null ? null : r.startedAt().atZoneSameInstant(zone).toOffsetDateTime(),
                r.finishedAt() == null ? null : r.finishedAt().atZoneSameInstant(zone).toOffsetDateTime(), seconds,
                r.itemsTotal(), r.itemsVerified(), r.itemsFailed(), r.rows(), r.bytes(),
                active > 0 ? r.rows() / active : 0, active > 0 ? r.bytes() / active : 0, Redaction.text(r.message()));
    }

    private List<KindTotals> kindTotals(List<MigrationReport> migrations) {
        Map<String, List<MigrationReport>> byKind = new LinkedHashMap<>();
        migrations.forEach(m -> byKind.computeIfAbsent(m.kind(), k -> new ArrayList<>()).add(m));
        return byKind.entrySet().stream().map(e -> new KindTotals(e.getKey(), unitOf(e.getKey()), capabilities.facts(e.getKey()).title(),
                capabilities.facts(e.getKey()).colour(), capabilities.facts(e.getKey()).groupNoun(), e.getValue().size(),
                e.getValue().stream().mapToInt(MigrationReport::itemsTotal).sum(),
                e.getValue().stream().mapToInt(MigrationReport::itemsVerified).sum(),
                e.getValue().stream().mapToLong(MigrationReport::units).sum(),
                e.getValue().stream().mapToLong(MigrationReport::bytes).sum())).toList();
    }

    /**
     * The reject files of a migration beside the run reports: {@code <migration>.<table>.reject.log/.dat} (rows a
     * target database refused) and {@code <migration>.mail.reject.log} (messages a target mail server refused).
     */
    private List<RejectFile> rejects(String application, String migration) {
        Path dir = runReports.applicationDir(application);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        String prefix = migration.replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_") + ".";
        List<RejectFile> rejects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && (n.endsWith(".reject.log") || n.endsWith(".reject.dat")
                        && !Files.exists(f.resolveSibling(n.replaceFirst("\\.dat$", ".log"))));
            }).sorted().toList()) {
                String name = file.getFileName().toString();
                String table = name.substring(prefix.length(), name.length() - ".reject.log".length());
                rejects.add(countLines(file, table));
            }
        } catch (IOException e) {
            rejects.add(new RejectFile(dir.toString(), "?", 0, "cannot read the reject files: " + e.getMessage()));
        }
        return rejects;
    }

    /**
     * What a migration's finishing step left for a person or could not make yet ({@code <migration>.hand-work.txt}
     * beside the run reports, written by the kind): its first line and every table lacking something, one reason each.
     */
    private List<String> handWork(String application, String migration) {
        Path file = runReports.applicationDir(application).resolve(migration.replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_")
                + ".hand-work.txt");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank() && !l.startsWith(" "))
                    .map(l -> migration + ": " + Redaction.text(l)).toList();
        } catch (IOException e) {
            return List.of(migration + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static RejectFile countLines(Path file, String table) throws IOException {
        long lines = 0;
        String first = null;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (first == null && file.toString().endsWith(".log")) {
                    first = line.length() > 400 ? line.substring(0, 400) + "…" : line;
                }
                lines++;
            }
        }
        return new RejectFile(file.getFileName().toString(), table, lines, Redaction.text(first));
    }

    private String unitOf(String kind) {
        return capabilities.facts(kind).unit();
    }

    private int kindRank(String kind) {
        return capabilities.facts(kind).order();
    }
}

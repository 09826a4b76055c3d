package id.go.pdn.hub.cli.command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.Freshness;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.report.ApplicationReport;
import id.go.pdn.hub.report.ReportBuilder;
import id.go.pdn.hub.report.ReportWriter;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./hub cutover APPLICATION}: the cut-over night in one command. A last run of every migration of the
 * application, a full verify of every item (source and target read again), a fresh listing of the sources (after
 * {@code --quiet-for}), the finishing steps, the report; exit 0 only if everything is equal to the source now.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true,
        description = {"The cut-over night in one command: a last run of every migration of the application, then a verify of "
                + "every item (source and target read again), a fresh listing of the sources (after --quiet-for), the finishing "
                + "steps (indexes, foreign keys, identity counters) and the report.",
                "Freeze the application first (stop it, or make its database read-only): a source that changes during the "
                        + "cut-over is named, and the cut-over fails.",
                "Exit 0: equal to the source now; 1: not equal (see the items); 2: unknown application or bad configuration; "
                        + "4: equal at the verify, but a source changed afterwards (not frozen)."})
public class CutoverCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APPLICATION", description = "The application whose migrations to cut over.")
    String application;

    @Option(names = {"-r", "--routes"}, paramLabel = "PATH", split = ",",
            description = "Route files or folders that declare the migrations (default: ./routes).")
    List<Path> routes = new ArrayList<>();

    @Option(names = "--quiet-for", paramLabel = "SECONDS", defaultValue = "0",
            description = "After the verify, wait this long, then list the sources again (a migration that lists its source "
                    + "once, e.g. a database copied once, is verified again): any new, changed or deleted item means the "
                    + "application still writes (exit 4). Default 0: list them again at once, no second verify.")
    int quietFor;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        List<Path> paths = routes.isEmpty() ? List.of(Path.of("routes")) : routes;
        for (Path path : paths) {
            if (!Files.exists(path)) {
                System.err.println("hub: cannot cut over " + application + ": no route file or folder " + path
                        + (routes.isEmpty() ? " (give --routes DIR)" : ""));
                return Main.BAD_CONFIGURATION;
            }
        }
        if (quietFor < 0) {
            System.err.println("hub: --quiet-for must be 0 or more seconds, not " + quietFor);
            return Main.BAD_CONFIGURATION;
        }
        var launcher = hub.global.launcher().routes(List.of(), paths);
        launcher.once(); // the cut-over runs now; the stored schedules stay as they are
        try (ConfigurableApplicationContext context = launcher.start()) {
            MigrationRegistry registry = context.getBean(MigrationRegistry.class);
            MigrationRunner runner = context.getBean(MigrationRunner.class);
            Ledger ledger = context.getBean(Ledger.class);
            ZoneId zone = context.getBean(HubProperties.class).getTimeZone();
            List<String> names = registry.all().stream().filter(r -> application.equals(r.migration().application()))
                    .map(r -> r.migration().name()).sorted().toList();
            if (names.isEmpty()) {
                List<String> known = registry.all().stream().map(r -> r.migration().application()).distinct().sorted().toList();
                System.err.println("hub: no migration of application '" + application + "' in " + paths
                        + (known.isEmpty() ? ": no migration there at all" : "; applications there: " + String.join(", ", known)));
                return Main.BAD_CONFIGURATION;
            }
            List<String> paused = names.stream().filter(ledger::isPaused).toList();
            if (!paused.isEmpty()) { // a paused migration's run would wait for its resume all night
                System.err.println("hub: cannot cut over " + application + ": " + String.join(", ", paused) + " paused by an operator; "
                        + "resume first (the MBean's resume())");
                return Main.BAD_CONFIGURATION;
            }
            out.printf("Cut-over of %s: %s. The application must be frozen (stopped, or its database read-only) until the "
                    + "end: a source that changes now is named below.%n", application, String.join(", ", names));

            // 1. a last run of every migration: what changed since the last night is copied
            out.printf("%n1. Last run of every migration (%s)%n", Freshness.text(OffsetDateTime.now(), zone));
            List<RunSummary> lastRuns = join(names.stream().map(n -> runner.startAsync(n, "cutover")).toList(), names, "run");
            Summaries.printRuns(out, lastRuns, ledger, context.getBean(Capabilities.class), zone);
            boolean runsEqual = lastRuns.size() == names.size() && lastRuns.stream().allMatch(RunSummary::equalToSource);

            // 2. every item read again on both sides
            out.printf("%n2. Verify of every item, source and target read again (%s)%n", Freshness.text(OffsetDateTime.now(), zone));
            List<RunSummary> verifies = join(names.stream().map(n -> runner.verifyAsync(n, "cutover-verify")).toList(), names, "verify");
            verifies.forEach(v -> out.printf("  %-24s %s: %s%n", v.migration(), v.state(), v.message()));
            boolean verifiedEqual = verifies.size() == names.size() && verifies.stream().allMatch(RunSummary::succeeded);
            // a job that lists its source on every run copied what changed before its last listing: an item it verified
            // as changed on the source changed during the cut-over; a job that lists once never read it again
            Map<String, List<String>> changedDuringCutover = new LinkedHashMap<>();
            Map<String, List<String>> changedSinceCopy = new LinkedHashMap<>();
            names.forEach(n -> {
                List<String> changed = runner.changedAtSource(n);
                if (!changed.isEmpty()) {
                    (registry.require(n).job().replansEachRun() ? changedDuringCutover : changedSinceCopy).put(n, changed);
                }
            });

            // 3. the sources listed again, after a pause: a quiet source lists exactly what was verified
            if (quietFor > 0) {
                out.printf("%n3. Waiting %d s, then listing the sources again to prove them quiet%n", quietFor);
                Thread.sleep(quietFor * 1000L);
            } else {
                out.printf("%n3. Listing the sources again%n");
            }
            Map<String, Ledger.ListingChanges> relisted = new LinkedHashMap<>();
            boolean relistFailed = false;
            for (String name : names) {
                try {
                    var changes = runner.listAgain(name);
                    if (changes.isEmpty() && quietFor > 0) {
                        // a job that lists its source once has no listing to compare: its items are read again instead
                        List<String> before = runner.changedAtSource(name);
                        RunSummary again = runner.verify(name, "cutover-quiet");
                        List<String> changed = runner.changedAtSource(name).stream().filter(k -> !before.contains(k)).toList();
                        if (!changed.isEmpty()) {
                            changes = java.util.Optional.of(new Ledger.ListingChanges(0, changed.size(), 0,
                                    changed.subList(0, Math.min(5, changed.size()))));
                        } else if (!again.succeeded()) {
                            relistFailed = true;
                            out.printf("  %-24s cannot read every item again: %s%n", name, again.message());
                            continue;
                        } else {
                            out.printf("  %-24s quiet: every item read again, equal on source and target%n", name);
                            continue;
                        }
                    }
                    if (changes.isEmpty()) {
                        out.printf("  %-24s lists its source once: its items were read again by the verify above%n", name);
                    } else if (changes.get().quiet()) {
                        out.printf("  %-24s quiet: nothing new, changed or deleted%n", name);
                    } else {
                        relisted.put(name, changes.get());
                        out.printf("  %-24s CHANGED since the verify: %s%n", name, changes.get());
                    }
                } catch (RuntimeException e) {
                    relistFailed = true;
                    out.printf("  %-24s cannot list the source again: %s%n", name, Errors.oneLine(e));
                }
            }

            // 4. the finishing steps, once more: indexes, foreign keys, identity counters past the highest key
            out.printf("%n4. Finishing steps%n");
            boolean finished = true;
            List<String> equalAtVerify = verifies.stream().filter(RunSummary::succeeded).map(RunSummary::migration)
                    .filter(n -> lastRuns.stream().anyMatch(r -> r.migration().equals(n) && r.equalToSource())).toList();
            for (String name : names) {
                if (!equalAtVerify.contains(name)) { // finishing a target that is not equal could fail on what differs
                    out.printf("  %-24s skipped: not every item is equal (a later run or cut-over finishes it)%n", name);
                    continue;
                }
                try {
                    runner.finishAgain(name);
                    out.printf("  %-24s %s: done%n", name, registry.require(name).capability().facts().finishingStep());
                } catch (RuntimeException e) {
                    finished = false;
                    out.printf("  %-24s FAILED: %s%n", name, Errors.oneLine(e));
                }
            }

            // 5. the report
            out.printf("%n5. Report%n");
            List<ReportBuilder.Declared> declared = registry.all().stream().map(ReportBuilder.Declared::of).toList();
            String version = spec.root().version().length > 0 ? spec.root().version()[0] : "Migration Hub";
            ApplicationReport report = context.getBean(ReportBuilder.class).build(application, version, declared, null);
            ReportWriter.Written files = context.getBean(ReportWriter.class).write(report,
                    context.getBean(RunReports.class).applicationDir(application));
            out.printf("  %s: %s%n", application, report.verdict().text());
            report.verdict().missing().forEach(m -> out.println("  missing: " + m));
            report.verdict().staleProof().forEach(m -> out.println("  stale proof: " + m));
            out.println("  -> " + files.json());
            out.println("  -> " + files.html());

            out.println();
            if (!changedDuringCutover.isEmpty() || !relisted.isEmpty()) {
                out.println("A SOURCE CHANGED DURING THE CUT-OVER: the application is still writing. Freeze it (stop it, or make its "
                        + "database read-only), then run the cut-over again.");
                changedDuringCutover.forEach((n, keys) -> out.printf("  %s: %d items changed after the last run listed them (e.g. %s)%n",
                        n, keys.size(), String.join(", ", keys.subList(0, Math.min(5, keys.size())))));
                relisted.forEach((n, c) -> out.printf("  %s: after the verify: %s%n", n, c));
            }
            changedSinceCopy.forEach((n, keys) -> out.printf("%s: %d items changed on the source since their copy, which its runs do not "
                    + "read again (e.g. %s); now FAILED, the next run copies them again%n", n, keys.size(),
                    String.join(", ", keys.subList(0, Math.min(5, keys.size())))));
            boolean equalAtTheVerify = runsEqual && verifiedEqual && finished && !relistFailed;
            if (equalAtTheVerify && relisted.isEmpty() && report.verdict().verified()) {
                Freshness freshness = Freshness.of(names.stream().map(ledger::freshness).toList());
                out.println("EQUAL: every item of " + application + " was compared with the source during this cut-over and is "
                        + "equal to it; equal to the source as of " + freshness.equalAsOfText(zone) + ".");
                return Main.OK;
            }
            if (equalAtTheVerify && !relisted.isEmpty()) {
                out.println("NOT QUIET: the target was equal to the source at the verify, but a source changed afterwards (above).");
                return Main.SOURCE_CHANGED;
            }
            out.println("NOT EQUAL: the target is not equal to the source now; see the runs, the verify and the report above.");
            return Main.NOT_VERIFIED;
        }
    }

    /** Waits for the runs; a run that could not start (one goes on already) is named and left out. */
    private static List<RunSummary> join(List<CompletableFuture<RunSummary>> futures, List<String> names, String what) {
        List<RunSummary> summaries = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                summaries.add(futures.get(i).join());
            } catch (RuntimeException e) {
                System.out.printf("  %-24s cannot %s: %s%n", names.get(i), what, Errors.oneLine(e));
            }
        }
        return summaries;
    }
}

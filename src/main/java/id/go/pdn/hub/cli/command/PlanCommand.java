package id.go.pdn.hub.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.PlanSurvey.Volume;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.Units;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import static id.go.pdn.hub.core.Units.bytes;
import static id.go.pdn.hub.core.Units.duration;

/**
 * {@code ./hub plan ROUTES}: what each migration of the routes would move if it ran now, and about how long it would
 * take. A dry run: the capabilities only read their sources ({@code survey}), no target is prepared, no ledger row is
 * written, no worker, schedule or broker runs, so it can be used beside a running hub on the same data folder.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Dry run: shows what each migration of the routes would copy (tables and rows, folders and files, "
                + "accounts, folders and messages), how much the ledger already holds as verified, and an estimated time.",
                "Nothing is created, written or recorded. Exit 0, or 2 if a source cannot be reached (the others are still shown)."})
public class PlanCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Option(names = "--json", description = "Print JSON (for scripts) instead of tables.")
    boolean json;

    @Option(names = "--ddl", description = "Print the DDL each database migration would run on its target (tables, defaults, "
            + "checks, triggers, constraints, indexes, foreign keys, views) and what it leaves for hand work, for a review.")
    boolean ddl;

    @Parameters(arity = "1..*", paramLabel = "ROUTES", description = "Route files or folders.")
    List<Path> paths;

    /** One migration's survey, or why it could not be made. */
    record Result(Migration migration, PlanSurvey survey, PlanRates rates, String error) {

        double seconds() {
            return survey == null ? 0 : rates.seconds(survey.totalToCopy());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream data = System.out;
        if (json) {
            System.setOut(System.err); // the hub's log lines go to stderr, so that stdout is the JSON document only
        }
        try {
            return plan(data);
        } finally {
            System.setOut(data);
        }
    }

    private int plan(PrintStream out) throws Exception {
        try (ConfigurableApplicationContext context = hub.global.launcher().reading().routes(List.of(), paths)
                .property("hub.schedules.enabled", "false").start()) {
            MigrationRegistry registry = context.getBean(MigrationRegistry.class);
            Ledger ledger = context.getBean(Ledger.class);
            List<MigrationRegistry.Registered> migrations = registry.all().stream()
                    .sorted(Comparator.comparing(r -> r.migration().name())).toList();
            if (migrations.isEmpty()) {
                System.err.println("hub plan: no migration in " + paths + "; a route file declares one with `from: migration:<kind>`");
                return Main.BAD_CONFIGURATION;
            }
            if (ddl) {
                return printDdl(out, migrations);
            }
            List<Result> results = new ArrayList<>();
            for (MigrationRegistry.Registered registered : migrations) {
                results.add(survey(registered, ledger));
            }
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                out.println(mapper.writeValueAsString(toJson(results)));
            } else {
                print(out, results);
            }
            results.stream().filter(r -> r.error() != null).forEach(r -> System.err.println("hub plan: " + r.error()));
            return results.stream().anyMatch(r -> r.error() != null) ? Main.BAD_CONFIGURATION : Main.OK;
        }
    }

    /** {@code --ddl}: each migration's statements, as SQL a DBA can read; exit 2 if a source cannot be read. */
    private static int printDdl(PrintStream out, List<MigrationRegistry.Registered> migrations) {
        int exit = Main.OK;
        for (MigrationRegistry.Registered registered : migrations) {
            try {
                List<String> statements = registered.job().ddl();
                for (String statement : statements) {
                    out.println(statement.startsWith("--") ? statement : statement + ";");
                }
                if (!statements.isEmpty()) {
                    out.println();
                }
            } catch (RuntimeException e) {
                System.err.println("hub plan: " + Errors.oneLine(e));
                exit = Main.BAD_CONFIGURATION;
            }
        }
        return exit;
    }

    private static Result survey(MigrationRegistry.Registered registered, Ledger ledger) {
        Migration migration = registered.migration();
        try {
            PlanSurvey survey = registered.job().survey(ledger.items(migration.name(), ItemStatus.VERIFIED));
            return new Result(migration, survey, PlanRates.of(ledger, migration.name(), migration.kind(),
                    registered.capability().facts()), null);
        } catch (RuntimeException e) {
            String message = Errors.oneLine(e);
            if (!(e instanceof HubException) || !message.startsWith("Cannot survey migration")) {
                message = "Cannot survey migration " + migration.describe() + ": " + message; // e.g. a refused login
            }
            return new Result(migration, null, null, message);
        }
    }

    // ---- text

    private static void print(PrintStream out, List<Result> results) {
        out.println("Dry run: nothing was created, written or recorded.");
        for (Result r : results) {
            Migration m = r.migration();
            out.printf("%n%s  [%s, %s]%s%n", m.name(), m.application(), m.kind(), m.location() == null ? "" : "  " + m.location());
            if (r.error() != null) {
                out.println("  CANNOT SURVEY: " + r.error());
                continue;
            }
            PlanSurvey s = r.survey();
            String unit = s.unit();
            out.printf("  %-32s %8s %14s %11s %14s %14s %13s%n", "GROUP", "ITEMS", unit.toUpperCase(), "BYTES",
                    "VERIFIED", "TO COPY", "BYTES TO COPY");
            for (PlanSurvey.Group g : s.groups()) {
                row(out, g.name(), g.source(), g.verified(), g.toCopy(), g.note());
            }
            row(out, "total", s.totalSource(), s.totalVerified(), s.totalToCopy(), null);
            out.printf("  estimate: %s for %,d %s to copy; %s%n", duration(r.seconds()), s.totalToCopy().units(), unit, rateText(r.rates(), unit));
            s.notes().forEach(note -> out.println("  note: " + note));
        }
        out.println();
        Map<String, long[]> toCopy = new TreeMap<>(); // unit -> units, bytes (-1 once unknown)
        double seconds = 0;
        for (Result r : results) {
            if (r.survey() != null) {
                Volume v = r.survey().totalToCopy();
                long[] t = toCopy.computeIfAbsent(r.survey().unit(), u -> new long[2]);
                t[0] += v.units();
                t[1] = t[1] < 0 || !v.bytesKnown() ? -1 : t[1] + v.bytes();
                seconds += r.seconds();
            }
        }
        List<String> parts = new ArrayList<>();
        toCopy.forEach((unit, t) -> parts.add(String.format("%,d %s", t[0], unit) + (t[1] >= 0 ? " (" + bytes(t[1]) + ")" : "")));
        long failed = results.stream().filter(r -> r.error() != null).count();
        out.printf("Total: %d migrations%s; to copy %s; estimated %s one after the other%n", results.size(),
                failed == 0 ? "" : " (" + failed + " cannot be surveyed)", parts.isEmpty() ? "nothing" : String.join(", ", parts),
                duration(seconds));
    }

    private static void row(PrintStream out, String name, Volume source, Volume verified, Volume toCopy, String note) {
        out.printf("  %-32s %,8d %,14d %11s %,14d %,14d %13s%s%n", name, source.items(), source.units(), bytesOrUnknown(source),
                verified.units(), toCopy.units(), bytesOrUnknown(toCopy), note == null ? "" : "  (" + note + ")");
    }

    private static String rateText(PlanRates rates, String unit) {
        String rate = String.format("%,.0f %s/s", rates.unitsPerSecond(), unit)
                + (rates.bytesPerSecond() > 0 ? " + " + bytes((long) rates.bytesPerSecond()) + "/s" : "");
        return "at " + rate + ", " + rates.basis();
    }

    private static String bytesOrUnknown(Volume volume) {
        return volume.bytesKnown() ? bytes(volume.bytes()) : "?";
    }

    // ---- JSON

    private static Map<String, Object> toJson(List<Result> results) {
        List<Object> migrations = new ArrayList<>();
        double seconds = 0;
        for (Result r : results) {
            Migration m = r.migration();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("migration", m.name());
            entry.put("application", m.application());
            entry.put("kind", m.kind());
            entry.put("location", m.location());
            if (r.error() != null) {
                entry.put("error", r.error());
                migrations.add(entry);
                continue;
            }
            PlanSurvey s = r.survey();
            entry.put("unit", s.unit());
            List<Object> groups = new ArrayList<>();
            for (PlanSurvey.Group g : s.groups()) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("name", g.name());
                group.put("source", volume(g.source()));
                group.put("verified", volume(g.verified()));
                group.put("toCopy", volume(g.toCopy()));
                if (g.note() != null) {
                    group.put("note", g.note());
                }
                groups.add(group);
            }
            entry.put("groups", groups);
            Map<String, Object> total = new LinkedHashMap<>();
            total.put("source", volume(s.totalSource()));
            total.put("verified", volume(s.totalVerified()));
            total.put("toCopy", volume(s.totalToCopy()));
            entry.put("total", total);
            Map<String, Object> estimate = new LinkedHashMap<>();
            estimate.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            estimate.put("unitsPerSecond", Math.round(r.rates().unitsPerSecond()));
            estimate.put("bytesPerSecond", Math.round(r.rates().bytesPerSecond()));
            estimate.put("basis", r.rates().basis());
            entry.put("estimate", estimate);
            entry.put("notes", s.notes());
            seconds += r.seconds();
            migrations.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dryRun", true);
        root.put("migrations", migrations);
        root.put("estimatedSeconds", Math.round(seconds * 1000) / 1000.0);
        root.put("errors", results.stream().filter(r -> r.error() != null).map(Result::error).toList());
        return root;
    }

    private static Map<String, Object> volume(Volume v) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("items", v.items());
        map.put("units", v.units());
        map.put("bytes", v.bytesKnown() ? v.bytes() : null);
        return map;
    }
}

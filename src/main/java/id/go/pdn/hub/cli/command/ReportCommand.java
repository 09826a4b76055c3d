package id.go.pdn.hub.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.ItemCounts;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerRun;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes and prints one report per application from the ledger: every migration, run and unverified item, and a verdict.")
public class ReportCommand implements Callable<Integer> {

    @ParentCommand
    Main hub;

    @Parameters(arity = "0..1", paramLabel = "APPLICATION", description = "Application (default: all in the ledger).")
    String application;

    @Override
    public Integer call() throws Exception {
        try (ConfigurableApplicationContext context = hub.global.launcher().toolMode(0).start()) {
            Ledger ledger = context.getBean(Ledger.class);
            RunReports reports = context.getBean(RunReports.class);
            ObjectMapper json = context.getBean(ObjectMapper.class).copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            List<String> applications = application == null ? ledger.applications() : List.of(application);
            boolean allVerified = true;
            for (String app : applications) {
                List<LedgerRun> runs = ledger.runs(app);
                List<Map<String, Object>> migrations = new ArrayList<>();
                boolean verified = !runs.isEmpty();
                for (String name : runs.stream().map(LedgerRun::migration).distinct().toList()) {
                    ItemCounts c = ledger.counts(name);
                    boolean ok = c.total() > 0 && c.allVerified();
                    verified &= ok;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("migration", name);
                    m.put("kind", runs.stream().filter(r -> r.migration().equals(name)).findFirst().map(LedgerRun::kind).orElse("?"));
                    m.put("verified", ok);
                    m.put("itemsVerified", c.get(ItemStatus.VERIFIED));
                    m.put("itemsTotal", c.total());
                    m.put("rowsVerified", c.rows());
                    m.put("bytesVerified", c.bytes());
                    m.put("groups", Summaries.groups(ledger, name));
                    m.put("unverifiedItems", ledger.unsuccessfulItems(name).stream()
                            .map(i -> Map.of("item", i.key(), "status", i.status().name(), "error", String.valueOf(i.lastError()))).toList());
                    migrations.add(m);
                }
                allVerified &= verified;
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("application", app);
                report.put("verdict", verified ? "COMPLETE AND VERIFIED" : "NOT VERIFIED");
                report.put("migrations", migrations);
                report.put("runs", runs);
                Path file = reports.applicationDir(app).resolve("report.json");
                Files.createDirectories(file.getParent());
                json.writeValue(file.toFile(), report);
                System.out.printf("%s: %s (%d migrations, %d runs) -> %s%n", app, report.get("verdict"), migrations.size(), runs.size(), file);
                for (Map<String, Object> m : migrations) {
                    System.out.printf("  %-24s %-6s %s/%s items verified, %,d rows%n", m.get("migration"), m.get("kind"),
                            m.get("itemsVerified"), m.get("itemsTotal"), (Long) m.get("rowsVerified"));
                }
            }
            return allVerified ? Main.OK : Main.NOT_VERIFIED;
        }
    }
}

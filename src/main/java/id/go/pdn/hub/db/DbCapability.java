package id.go.pdn.hub.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.KindFacts;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.Redaction;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.Ledger;
import org.springframework.beans.factory.ObjectProvider;
import id.go.pdn.hub.core.options.KindOptions;
import org.springframework.stereotype.Component;

/**
 * Database migrations ({@code migration:db}): plan = target tables with primary keys, and one item per key-range
 * chunk; copy = stream the chunk from the source into the target in one transaction, then read it back and
 * compare row counts and checksums; finish = secondary indexes, foreign keys and identity counters. The work is the
 * {@link DbJob}'s; this class says what the kind is.
 */
@Component
public class DbCapability implements MigrationCapability {

    private static final KindFacts FACTS = new KindFacts("Database", "rows", "table", "#1565c0", 1, false,
            "indexes, foreign keys and identity counters", KindFacts::firstWord, 110_000, 0);

    private final DataSources dataSources;
    private final ObjectMapper json;
    private final RunReports reports;
    // Looked up when a job opens: the ledger starts after the routes' pre-flight, which needs the capabilities.
    private final ObjectProvider<Ledger> ledger;

    public DbCapability(DataSources dataSources, ObjectMapper json, RunReports reports, ObjectProvider<Ledger> ledger) {
        this.ledger = ledger;
        this.dataSources = dataSources;
        this.json = json;
        this.reports = reports;
    }

    @Override
    public String kind() {
        return "db";
    }

    @Override
    public KindFacts facts() {
        return FACTS;
    }

    @Override
    public KindOptions newOptions() {
        return new DbOptions();
    }

    /** Checks that both datasources are declared and of an engine the hub knows; connects to neither yet. */
    @Override
    public MigrationJob open(Migration migration) {
        DbOptions options = migration.options(DbOptions.class);
        for (String name : List.of(options.source(), options.target())) {
            if (!dataSources.declared().containsKey(name)) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe()
                        + ": datasource '" + name + "' is not declared; declare it under hub.datasources in "
                        + "config/application.yaml (declared: " + String.join(", ", dataSources.declared().keySet()) + ")");
            }
        }
        try {
            return new DbJob(new DbContext(migration, dataSources, json), dataSources, reports, ledger::getObject);
        } catch (HubException e) { // e.g. a password given as ${VAR} with VAR unset
            throw e.getMessage().startsWith("Cannot load migration") ? e : new HubException(e.code(), "Cannot load migration "
                    + migration.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> describeEndpoints(Migration migration) {
        DbOptions options = migration.options(DbOptions.class);
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String side : List.of("source", "target")) {
            String name = side.equals("source") ? options.source() : options.target();
            DbProperties.Datasource declared = dataSources.declared().get(name);
            if (declared != null) {
                endpoints.put(side + "Database", Redaction.location(declared.getUrl()));
            }
        }
        return endpoints;
    }

    /** SQLSTATE rules: see {@link DbErrors#isRetriable}. */
    @Override
    public Optional<Boolean> isRetriable(Throwable error) {
        return DbErrors.isRetriable(error);
    }
}

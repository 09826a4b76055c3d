package id.go.pdn.hub.core;

import java.util.Map;
import java.util.Optional;
import id.go.pdn.hub.core.options.KindOptions;

/**
 * One kind of thing the hub migrates (databases, files, mail): its options, the facts the report and the command line
 * need about it, and the {@link MigrationJob} that does the work. Adding a kind means one capability and its package;
 * nothing outside it switches on the kind's name.
 */
public interface MigrationCapability {

    /** The kind in route URIs: {@code migration:<kind>}. */
    String kind();

    /** What the report, the plan and the status screen say about items of this kind. */
    KindFacts facts();

    /** A fresh, unbound instance of the kind's options ({@link org.apache.camel.spi.UriParam} fields). */
    KindOptions newOptions();

    /**
     * Opens the migration's job: checks what can be checked without a server (e.g. that a named datasource is declared)
     * and throws {@link HubException} naming the option and the fix; connects to nothing yet.
     */
    MigrationJob open(Migration migration);

    /**
     * The migration's endpoints as a report may show them (JDBC URLs, server addresses, folders), without credentials.
     * The declared options that are not secret are shown besides these.
     */
    default Map<String, String> describeEndpoints(Migration migration) {
        return Map.of();
    }

    /**
     * Whether an error of this kind may pass with a retry (e.g. a SQLSTATE of a lost connection), if the kind knows;
     * empty leaves it to the core's general rules.
     */
    default Optional<Boolean> isRetriable(Throwable error) {
        return Optional.empty();
    }
}

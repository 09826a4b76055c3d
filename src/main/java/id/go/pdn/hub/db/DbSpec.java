package id.go.pdn.hub.db;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.NameGlobs;

/**
 * The parameters of a database migration (template {@code db-migration}), checked.
 *
 * @param tables comma-separated globs of source tables to copy ({@code *}, {@code ?}; case-insensitive)
 * @param exclude comma-separated globs of source tables to leave out
 * @param onExistingTable what a new plan does with a target table that already exists: fail, drop, truncate, keep
 */
public record DbSpec(String source, String target, String tables, String exclude, String mode, int chunkSize,
                     String onExistingTable, String sourceSchema, String targetSchema) {

    static final Set<String> ON_EXISTING = Set.of("fail", "drop", "truncate", "keep");

    public static DbSpec of(Migration migration) {
        return new DbSpec(required(migration, "source"), required(migration, "target"), migration.parameter("tables", "*"),
                migration.parameter("exclude", ""), migration.parameter("mode", "full").toLowerCase(Locale.ROOT),
                positiveInt(migration, "chunkSize", 50_000), migration.parameter("onExistingTable", "fail").toLowerCase(Locale.ROOT),
                migration.parameter("sourceSchema", null), migration.parameter("targetSchema", null));
    }

    /** The parameters that shape the plan; parallelism and cron may change between runs. */
    public String fingerprint() {
        return String.join("\n", source, target, tables, exclude, mode, Integer.toString(chunkSize),
                String.valueOf(sourceSchema), String.valueOf(targetSchema));
    }

    public boolean includes(String table) {
        return NameGlobs.of(tables).matches(table) && !NameGlobs.of(exclude).matches(table);
    }

    static String required(Migration migration, String name) {
        String value = migration.parameter(name);
        if (value == null || value.isBlank()) {
            throw invalid(migration, "parameter '" + name + "' is missing");
        }
        return value.strip();
    }

    static int positiveInt(Migration migration, String name, int defaultValue) {
        try {
            return migration.positiveInt(name, defaultValue);
        } catch (IllegalArgumentException e) {
            throw invalid(migration, e.getMessage());
        }
    }

    void validate(Migration migration, Map<String, ?> datasources) {
        positiveInt(migration, "parallelism", 4);
        for (String name : List.of(source, target)) {
            if (!datasources.containsKey(name)) {
                throw invalid(migration, "datasource '" + name + "' is not declared; declare it under hub.datasources in "
                        + "config/application.yaml (declared: " + String.join(", ", datasources.keySet()) + ")");
            }
        }
        if (!mode.equals("full")) {
            throw invalid(migration, "mode '" + mode + "' is not supported; use mode: full");
        }
        if (!ON_EXISTING.contains(onExistingTable)) {
            throw invalid(migration, "onExistingTable '" + onExistingTable + "' is not one of " + ON_EXISTING);
        }
    }

    static HubException invalid(Migration migration, String problem) {
        return new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": " + problem);
    }
}

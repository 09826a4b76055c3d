package id.go.pdn.hub.core;

import java.util.Map;
import java.util.TreeMap;
import id.go.pdn.hub.core.options.KindOptions;
import id.go.pdn.hub.core.options.MigrationOptions;
import id.go.pdn.hub.core.options.OptionBinder;

/**
 * A migration as declared in a route: its name (the route id), its kind ({@code db}, {@code files}, {@code mail}), the
 * options every kind takes and the kind's own, as Camel bound them. Where it came from (route file and line) is kept for
 * error messages.
 *
 * @param written every option as written in the route (placeholders resolved), secrets included: show it only through
 *                {@link Redaction#declaredOptions}
 */
public record Migration(String name, String kind, MigrationOptions common, KindOptions options, Map<String, String> written,
                        String location) {

    public Migration {
        written = Map.copyOf(written);
    }

    /**
     * The migration a route declares, once Camel bound its options; throws {@link HubException} with every problem of
     * the declaration (unknown or misspelt options, wrong types, missing ones), naming the route file and line.
     */
    public static Migration declared(String name, String kind, OptionBinder.Bound bound, String location) {
        Migration migration = new Migration(name, kind, bound.common(), bound.kind(), bound.written(), location);
        if (!bound.problems().isEmpty()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": "
                    + String.join("; ", bound.problems()));
        }
        return migration;
    }

    public String application() {
        return common.getApplication();
    }

    /** The kind's own options, e.g. {@code migration.options(DbOptions.class).getChunkSize()}. */
    public <T extends KindOptions> T options(Class<T> type) {
        return type.cast(options);
    }

    /** An option as written in the route, e.g. for display; the job reads the typed {@link #options} instead. */
    public String parameter(String key) {
        return written.get(key);
    }

    /** "simpeg-db (routes/simpeg.yaml:3)": how errors name a migration. */
    public String describe() {
        return location == null ? name : name + " (" + location + ")";
    }

    /** Options as written, in a stable order. */
    public Map<String, String> sortedOptions() {
        return new TreeMap<>(written);
    }
}

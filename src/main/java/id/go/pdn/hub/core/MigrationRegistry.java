package id.go.pdn.hub.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import id.go.pdn.hub.core.schedule.MaintenanceWindow;
import org.springframework.stereotype.Component;

/**
 * The migrations loaded in this hub (one per route), with their capability, job and live state. Others (the MBeans)
 * hear of loads and unloads as {@link Listener}s, so the runner needs to know none of them.
 */
@Component
public class MigrationRegistry {

    private final Map<String, Registered> migrations = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * A loaded migration.
     *
     * @param window its maintenance window, if it has one
     * @param onRunFinished where each run's summary goes (down the route)
     */
    public record Registered(Migration migration, MigrationCapability capability, MigrationJob job, MigrationHandle handle,
                             Optional<MaintenanceWindow> window, Consumer<RunSummary> onRunFinished) {
    }

    /** Hears of migrations being loaded and unloaded. */
    public interface Listener {
        void loaded(Registered registered);

        void unloaded(Registered registered);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
        migrations.values().forEach(listener::loaded);
    }

    void add(Registered registered) {
        Registered previous = migrations.putIfAbsent(registered.migration().name(), registered);
        if (previous != null) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration "
                    + registered.migration().describe() + ": a migration of that name is already loaded from "
                    + previous.migration().describe() + "; give each route its own routeId");
        }
        listeners.forEach(l -> l.loaded(registered));
    }

    Optional<Registered> remove(String name) {
        Optional<Registered> removed = Optional.ofNullable(migrations.remove(name));
        removed.ifPresent(r -> listeners.forEach(l -> l.unloaded(r)));
        return removed;
    }

    public Optional<Registered> find(String name) {
        return Optional.ofNullable(migrations.get(name));
    }

    public Registered require(String name) {
        return find(name).orElseThrow(() -> new HubException(HubException.ErrorCode.CONFIGURATION,
                "Cannot find migration '" + name + "': loaded are " + migrations.keySet()));
    }

    public Collection<Registered> all() {
        return migrations.values();
    }

    /** A worker finished an item of this migration: wakes its run. */
    public void itemFinished(String name) {
        find(name).ifPresent(r -> r.handle().signal());
    }
}

package id.go.pdn.hub.core;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** The migrations loaded in this hub (one per route), with their capability and live state. */
@Component
public class MigrationRegistry {

    private final Map<String, Registered> migrations = new ConcurrentHashMap<>();

    public record Registered(Migration migration, MigrationCapability capability, MigrationHandle handle,
                             Consumer<RunSummary> onRunFinished) {
    }

    void add(Registered registered) {
        Registered previous = migrations.putIfAbsent(registered.migration().name(), registered);
        if (previous != null) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration "
                    + registered.migration().describe() + ": a migration of that name is already loaded from "
                    + previous.migration().describe() + "; give each route its own routeId");
        }
    }

    Optional<Registered> remove(String name) {
        return Optional.ofNullable(migrations.remove(name));
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

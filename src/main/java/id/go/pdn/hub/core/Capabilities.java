package id.go.pdn.hub.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The kinds this hub can migrate, in report order: where the core, the report and the CLI ask about a kind. */
@Component
public class Capabilities {

    private final List<MigrationCapability> all;

    public Capabilities(List<MigrationCapability> capabilities) {
        this.all = capabilities.stream().sorted(Comparator.comparingInt(c -> c.facts().order())).toList();
    }

    public List<MigrationCapability> all() {
        return all;
    }

    public List<String> kinds() {
        return all.stream().map(MigrationCapability::kind).toList();
    }

    public Optional<MigrationCapability> find(String kind) {
        return all.stream().filter(c -> c.kind().equals(kind)).findFirst();
    }

    public MigrationCapability require(String kind) {
        return find(kind).orElseThrow(() -> new HubException(HubException.ErrorCode.CONFIGURATION,
                "Cannot find the kind '" + kind + "': this hub migrates " + kinds()));
    }

    /** The facts of a kind the ledger names; a kind this hub no longer has gets neutral ones. */
    public KindFacts facts(String kind) {
        if (id.go.pdn.hub.core.tracked.TrackedRoutes.KIND.equals(kind)) {
            return id.go.pdn.hub.core.tracked.TrackedRoutes.FACTS;
        }
        return find(kind).map(MigrationCapability::facts).orElseGet(() -> new KindFacts(kind, "units", "group", "#555555",
                Integer.MAX_VALUE, false, "its finishing step", KindFacts::firstWord, 100, 0));
    }
}

package id.go.pdn.hub.core.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationRunner;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;

/**
 * The {@code migration:<kind>} component: a route that starts {@code from: migration:db?...} declares a migration
 * (its route id is the migration's name). Each run's summary then flows down the route, so a route can log it,
 * mail it or trigger the next step.
 */
@Component("migration")
public class MigrationComponent extends DefaultComponent {

    private final Map<String, MigrationCapability> capabilities;
    private final MigrationRunner runner;

    public MigrationComponent(List<MigrationCapability> capabilities, MigrationRunner runner) {
        this.capabilities = capabilities.stream().collect(Collectors.toMap(MigrationCapability::kind, c -> c));
        this.runner = runner;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        MigrationCapability capability = capabilities.get(remaining);
        if (capability == null) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot create endpoint " + uri + ": unknown kind '"
                    + remaining + "'; write migration:" + String.join(", migration:", capabilities.keySet()));
        }
        Map<String, String> options = new LinkedHashMap<>();
        parameters.forEach((key, value) -> options.put(key, value == null ? null : value.toString()));
        parameters.clear(); // the capability validates them, with messages that name the parameter
        return new MigrationEndpoint(uri, this, capability, options);
    }

    MigrationRunner runner() {
        return runner;
    }
}

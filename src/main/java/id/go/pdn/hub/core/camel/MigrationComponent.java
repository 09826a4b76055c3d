package id.go.pdn.hub.core.camel;

import java.util.LinkedHashMap;
import java.util.Map;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.options.MigrationOptions;
import id.go.pdn.hub.core.options.OptionBinder;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;

/**
 * The {@code migration:<kind>} component: a route that starts {@code from: migration:db?...} declares a migration
 * (its route id is the migration's name). Camel binds the route's options into the shared {@link MigrationOptions}
 * and the kind's own options; what does not bind (an unknown name, a value of the wrong type) is reported when the
 * route starts, with its file and line. Each run's summary then flows down the route.
 */
@Component("migration")
public class MigrationComponent extends DefaultComponent {

    private final Capabilities capabilities;
    private final MigrationRunner runner;

    public MigrationComponent(Capabilities capabilities, MigrationRunner runner) {
        this.capabilities = capabilities;
        this.runner = runner;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        MigrationCapability capability = capabilities.find(remaining).orElseThrow(() -> new HubException(
                HubException.ErrorCode.CONFIGURATION, "Cannot create endpoint " + uri + ": unknown kind '" + remaining
                        + "'; write migration:" + String.join(", migration:", capabilities.kinds())));
        OptionBinder.Bound bound = OptionBinder.bind(getCamelContext(), "migration:" + capability.kind(),
                new LinkedHashMap<>(parameters), new MigrationOptions(), capability.newOptions());
        parameters.clear(); // bound above; what did not bind is in bound.problems(), reported with the route's location
        return new MigrationEndpoint(uri, this, capability, bound);
    }

    MigrationRunner runner() {
        return runner;
    }
}

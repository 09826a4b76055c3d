package id.go.pdn.hub.core.camel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.RunSummary;
import org.springframework.beans.factory.annotation.Autowired;
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
    private final Loader loader;

    /** Where a started route's migration goes: the runner, or the pre-flight check ({@link RoutePreflight}). */
    public interface Loader {
        /**
         * A route declaring a migration started.
         *
         * @param location its route file and line, if known
         * @throws HubException for a bad declaration (options, schedule) or a migration that cannot be loaded
         */
        void register(String name, MigrationCapability capability, OptionBinder.Bound options, String location,
                      Consumer<RunSummary> onRunFinished);

        void unregister(String name);
    }

    @Autowired
    public MigrationComponent(Capabilities capabilities, MigrationRunner runner) {
        this(capabilities, new Loader() {
            @Override
            public void register(String name, MigrationCapability capability, OptionBinder.Bound options, String location,
                                 Consumer<RunSummary> onRunFinished) {
                runner.register(Migration.declared(name, capability.kind(), options, location), capability, onRunFinished);
            }

            @Override
            public void unregister(String name) {
                runner.unregister(name);
            }
        });
    }

    MigrationComponent(Capabilities capabilities, Loader loader) {
        this.capabilities = capabilities;
        this.loader = loader;
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

    Loader loader() {
        return loader;
    }
}

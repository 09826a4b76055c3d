package id.go.pdn.hub.support;

import java.util.LinkedHashMap;
import java.util.Map;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.options.MigrationOptions;
import id.go.pdn.hub.core.options.OptionBinder;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** A migration as a route would declare it, bound by Camel's property binding as the migration: component binds it. */
public final class Declarations {

    private static CamelContext camel;

    private Declarations() {
    }

    /** Options as key, value pairs; {@code application} is added if not given. */
    public static Migration declare(MigrationCapability capability, String name, String location, Object... keyValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("application", "simpeg");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put((String) keyValues[i], keyValues[i + 1]);
        }
        return declare(capability, name, location, options);
    }

    public static Migration declare(MigrationCapability capability, String name, String location, Map<String, ?> options) {
        OptionBinder.Bound bound = OptionBinder.bind(camel(), "migration:" + capability.kind(), new LinkedHashMap<>(options),
                new MigrationOptions(), capability.newOptions());
        return Migration.declared(name, capability.kind(), bound, location);
    }

    private static synchronized CamelContext camel() {
        if (camel == null) {
            camel = new DefaultCamelContext();
        }
        return camel;
    }
}

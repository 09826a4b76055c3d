package id.go.pdn.hub.core.camel;

import java.util.Map;
import id.go.pdn.hub.core.MigrationCapability;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** A migration declaration; see {@link MigrationComponent}. */
@UriEndpoint(scheme = "migration", title = "Migration", syntax = "migration:kind", consumerOnly = true,
        category = {Category.CORE}, firstVersion = "0.1.0")
public class MigrationEndpoint extends DefaultEndpoint {

    private final MigrationCapability capability;
    private final Map<String, String> options;

    MigrationEndpoint(String uri, MigrationComponent component, MigrationCapability capability, Map<String, String> options) {
        super(uri, component);
        this.capability = capability;
        this.options = Map.copyOf(options);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("migration: is only used in from:, to declare a migration");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        MigrationConsumer consumer = new MigrationConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    MigrationCapability capability() {
        return capability;
    }

    Map<String, String> options() {
        return options;
    }

    @Override
    public MigrationComponent getComponent() {
        return (MigrationComponent) super.getComponent();
    }
}

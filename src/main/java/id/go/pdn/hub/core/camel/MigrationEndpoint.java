package id.go.pdn.hub.core.camel;

import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.options.OptionBinder;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A migration declaration; see {@link MigrationComponent}. Its options are those of
 * {@link id.go.pdn.hub.core.options.MigrationOptions} plus the kind's own.
 */
@UriEndpoint(scheme = "migration", title = "Migration", syntax = "migration:kind", consumerOnly = true,
        category = {Category.CORE}, firstVersion = "0.1.0")
public class MigrationEndpoint extends DefaultEndpoint {

    @UriPath(description = "The kind of migration: db, files or mail")
    @Metadata(required = true)
    private final String kind;
    private final MigrationCapability capability;
    private final OptionBinder.Bound options;

    MigrationEndpoint(String uri, MigrationComponent component, MigrationCapability capability, OptionBinder.Bound options) {
        super(uri, component);
        this.kind = capability.kind();
        this.capability = capability;
        this.options = options;
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

    public String getKind() {
        return kind;
    }

    MigrationCapability capability() {
        return capability;
    }

    OptionBinder.Bound options() {
        return options;
    }

    @Override
    public MigrationComponent getComponent() {
        return (MigrationComponent) super.getComponent();
    }
}

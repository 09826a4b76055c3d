package id.go.pdn.hub.core.camel;

import id.go.pdn.hub.core.RunSummary;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultConsumer;

/** Registers its route's migration with the hub while the route runs, and sends each run's summary down the route. */
public class MigrationConsumer extends DefaultConsumer {

    public static final String HEADER_RUN_STATE = "HubRunState";

    private String name;

    MigrationConsumer(MigrationEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public MigrationEndpoint getEndpoint() {
        return (MigrationEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MigrationEndpoint endpoint = getEndpoint();
        Route route = getEndpoint().getCamelContext().getRoute(getRouteId());
        String location = route == null ? null : readable(route.getSourceLocation());
        name = getRouteId();
        endpoint.getComponent().loader().register(name, endpoint.capability(), endpoint.options(), location, this::emit);
    }

    /** "routes/simpeg.yaml:3" rather than "file:/srv/hub/routes/simpeg.yaml:3". */
    static String readable(String location) {
        if (location == null) {
            return null;
        }
        String path = location.replaceFirst("^(file|classpath):", "");
        String cwd = java.nio.file.Path.of("").toAbsolutePath() + "/";
        return path.startsWith(cwd) ? path.substring(cwd.length()) : path;
    }

    @Override
    protected void doStop() throws Exception {
        if (name != null) {
            getEndpoint().getComponent().loader().unregister(name);
        }
        super.doStop();
    }

    private void emit(RunSummary summary) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(summary);
        exchange.getMessage().setHeader(HEADER_RUN_STATE, summary.state().name());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error after run " + summary.runId() + " of " + name, exchange,
                        exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }
}

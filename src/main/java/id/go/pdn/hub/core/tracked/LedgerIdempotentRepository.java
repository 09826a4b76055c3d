package id.go.pdn.hub.core.tracked;

import id.go.pdn.hub.core.ledger.ItemStatus;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * {@code idempotentRepository: hubLedger}: Camel's idempotent consumer over the ledger. A key is an item of the route
 * (the migration named by the exchange's route id): {@code add} takes it unless the ledger holds it COPIED or VERIFIED,
 * so a re-run (also after {@code kill -9}, or on another hub on the same ledger) skips what is done and takes again
 * what failed or was dead-lettered. The outcome is written by the route policy {@code hubTracked} when the exchange is
 * done; {@code confirm} has nothing to add, and {@code remove} (a failure) marks an item still RUNNING as FAILED.
 * <p>
 * Only the exchange-aware methods can name the route: use the {@code idempotentConsumer} EIP in the route, not a
 * component's own {@code idempotentRepository} option (file and FTP consumers call the methods without the exchange).
 */
public final class LedgerIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    /** Exchange property: the item key the repository took for this exchange (read by {@link TrackedRoutePolicy}). */
    public static final String ITEM_KEY = "hubItemKey";

    private final TrackedLedger ledger;

    LedgerIdempotentRepository(TrackedLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        String route = route(exchange);
        Long runId = exchange.getProperty(TrackedRoutePolicy.RUN_ID, Long.class);
        boolean taken = ledger.begin(route, key, runId);
        if (taken) {
            exchange.setProperty(ITEM_KEY, key);
        }
        return taken;
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return ledger.status(route(exchange), key).map(s -> s == ItemStatus.COPIED || s == ItemStatus.VERIFIED).orElse(false);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        ledger.finish(route(exchange), key, ItemStatus.FAILED, TrackedRoutePolicy.error(exchange), null, 0);
        return true;
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return true;
    }

    private static String route(Exchange exchange) {
        String route = exchange.getFromRouteId();
        if (route == null) {
            throw new IllegalStateException("Cannot track key without a route: the exchange has no route id");
        }
        return route;
    }

    // without an exchange the route is unknown: see the class comment

    @Override
    public boolean add(String key) {
        throw unsupported();
    }

    @Override
    public boolean contains(String key) {
        throw unsupported();
    }

    @Override
    public boolean remove(String key) {
        throw unsupported();
    }

    @Override
    public boolean confirm(String key) {
        throw unsupported();
    }

    @Override
    public void clear() {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("hubLedger needs the exchange to know the route: use it with the idempotentConsumer "
                + "EIP (idempotentConsumer: {idempotentRepository: hubLedger, ...}), not as a component's idempotentRepository option");
    }
}

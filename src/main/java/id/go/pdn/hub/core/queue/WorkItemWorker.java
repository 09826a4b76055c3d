package id.go.pdn.hub.core.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.MigrationRegistry.Registered;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The steps of the worker route; every outcome lands in the ledger. */
@Component
public class WorkItemWorker {

    private static final Logger LOG = LoggerFactory.getLogger(WorkItemWorker.class);
    private static final String ITEM = "HubLedgerItem";

    private final Ledger ledger;
    private final MigrationRegistry registry;
    private final ObjectMapper json;
    private final ActiveItems active;

    public WorkItemWorker(Ledger ledger, MigrationRegistry registry, ObjectMapper json, ActiveItems active) {
        this.ledger = ledger;
        this.registry = registry;
        this.json = json;
        this.active = active;
    }

    /**
     * Claims the item in the ledger; a duplicate delivery of an item already taken or verified stops here (also one that
     * a hub killed mid-item left to the broker while its claim still holds: freed when that hub is seen gone, the item is
     * sent again by its run).
     */
    public void claim(Exchange exchange) throws JsonProcessingException {
        WorkItemMessage message = json.readValue(exchange.getMessage().getBody(String.class), WorkItemMessage.class);
        active.add(message.itemId()); // before the claim: a run never takes back an item between the two
        Optional<LedgerItem> claimed;
        try {
            claimed = ledger.claim(message.itemId(), message.migration()); // an id of another migration claims nothing
        } catch (RuntimeException e) {
            active.remove(message.itemId());
            throw e;
        }
        if (claimed.isEmpty()) {
            active.remove(message.itemId());
            LOG.debug("Skipping {} of {}: already taken or verified", message.key(), message.migration());
            exchange.setRouteStop(true);
            return;
        }
        LedgerItem item = claimed.get();
        if (registry.find(item.migration()).isEmpty()) {
            ledger.release(item.itemId(), "migration " + item.migration() + " is not loaded in this hub; its next run copies this item");
            active.remove(item.itemId());
            LOG.warn("Cannot copy {} of migration {}: the migration is not loaded in this hub; left PENDING for its next run",
                    item.key(), item.migration());
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(ITEM, item);
    }

    /** Copies and verifies the item. Redeliveries come back here. */
    public void copy(Exchange exchange) {
        LedgerItem item = exchange.getProperty(ITEM, LedgerItem.class);
        Registered registered = registry.find(item.migration()).orElseThrow();
        String what = "copy " + item.key() + " of migration " + registered.migration().describe();
        ItemOutcome outcome;
        try {
            outcome = registered.job().copy(item);
        } catch (Exception e) {
            throw Errors.classify(what, e, registered.capability()::isRetriable);
        }
        if (!outcome.verified()) {
            throw new ItemFailure.Final("Cannot verify " + item.key() + " of migration " + registered.migration().describe()
                    + ": source and target differ (" + outcome.rows() + " rows read; source checksum " + outcome.sourceChecksum()
                    + ", target " + outcome.targetChecksum() + ")" + outcome.differenceText(), null, outcome);
        }
        ledger.markVerified(item.itemId(), outcome);
        active.remove(item.itemId());
        registry.itemFinished(item.migration());
    }

    public void beforeRetry(Exchange exchange) {
        LedgerItem item = exchange.getProperty(ITEM, LedgerItem.class);
        Throwable error = caught(exchange);
        if (item != null) {
            ledger.recordAttempt(item.itemId());
            if (error != null) {
                ledger.recordError(item.itemId(), error.getMessage());
            }
        }
    }

    /** A final failure: FAILED in the ledger, one clear line in the log. */
    public void failed(Exchange exchange) {
        LedgerItem item = exchange.getProperty(ITEM, LedgerItem.class);
        ItemFailure failure = (ItemFailure) caught(exchange);
        boolean gone = failure instanceof ItemFailure.Final f && f.deletedAtSource();
        if (gone) {
            LOG.warn("{}", failure.getMessage());
        } else {
            LOG.error("{}", failure.getMessage());
        }
        if (item != null) {
            try {
                ledger.markUnsuccessful(item.itemId(), gone ? ItemStatus.GONE : ItemStatus.FAILED, failure.getMessage(), failure.outcome());
            } finally {
                active.remove(item.itemId());
                registry.itemFinished(item.migration());
            }
        }
    }

    /** Retries are exhausted: DEAD in the ledger, and the message goes to the dead-letter queue with its error. */
    public void deadLettered(Exchange exchange) {
        LedgerItem item = exchange.getProperty(ITEM, LedgerItem.class);
        Throwable error = caught(exchange);
        String message = error == null ? "unknown error" : error.getMessage();
        exchange.getMessage().setHeader(WorkItemMessage.HEADER_ERROR, message);
        Long itemId = item != null ? Long.valueOf(item.itemId()) : itemIdOf(exchange);
        try {
            if (item != null) {
                int attempts = ledger.item(item.itemId()).map(LedgerItem::attempts).orElse(item.attempts());
                LOG.error("{} (after {} attempts; sent to the dead-letter queue: `hub dlq replay` retries it)", message, attempts);
                exchange.getMessage().setHeader(WorkItemMessage.HEADER_MIGRATION, item.migration());
                exchange.getMessage().setHeader(WorkItemMessage.HEADER_ITEM_KEY, item.key());
            } else {
                LOG.error("Cannot process the work message of item {}: {}; sent to the dead-letter queue", itemId, message);
            }
            if (itemId != null) {
                ledger.markUnsuccessful(itemId, ItemStatus.DEAD, message, null);
            }
        } catch (RuntimeException e) {
            // the letter still goes to the queue; the run takes the item back as lost
            LOG.error("Cannot record the dead letter of item {} in the ledger: {}", itemId, e.getMessage());
        } finally {
            if (itemId != null) {
                active.remove(itemId);
            }
            if (item != null) {
                registry.itemFinished(item.migration());
            }
        }
    }

    private Long itemIdOf(Exchange exchange) {
        try {
            return json.readValue(exchange.getMessage().getBody(String.class), WorkItemMessage.class).itemId();
        } catch (Exception e) {
            return null;
        }
    }

    private static Throwable caught(Exchange exchange) {
        Throwable error = exchange.getException();
        return error != null ? error : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}

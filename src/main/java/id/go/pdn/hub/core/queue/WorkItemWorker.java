package id.go.pdn.hub.core.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
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
    /** The items of a batch message (a List of LedgerItem); ITEM is then unset. */
    private static final String ITEMS = "HubLedgerItems";

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
        if (message.carriesBatch()) {
            claimBatch(exchange, message);
            return;
        }
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

    /** Claims the items of a batch in one ledger transaction; those taken or verified elsewhere are left out. */
    private void claimBatch(Exchange exchange, WorkItemMessage message) {
        active.addAll(message.batch());
        List<LedgerItem> claimed;
        try {
            claimed = ledger.claimAll(message.batch(), message.migration());
        } catch (RuntimeException e) {
            message.batch().forEach(active::remove);
            throw e;
        }
        Set<Long> won = new HashSet<>();
        claimed.forEach(item -> won.add(item.itemId()));
        message.batch().stream().filter(id -> !won.contains(id)).forEach(active::remove);
        if (claimed.isEmpty()) {
            LOG.debug("Skipping the batch {} of {}: already taken or verified", message.key(), message.migration());
            exchange.setRouteStop(true);
            return;
        }
        if (registry.find(message.migration()).isEmpty()) {
            for (LedgerItem item : claimed) {
                ledger.release(item.itemId(), "migration " + item.migration() + " is not loaded in this hub; its next run copies this item");
                active.remove(item.itemId());
            }
            LOG.warn("Cannot copy the batch {} of migration {}: the migration is not loaded in this hub; left PENDING for its next run",
                    message.key(), message.migration());
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(ITEMS, claimed);
    }

    /**
     * Copies and verifies a batch: each item's verdict is recorded in one ledger transaction. An item that failed for
     * good is FAILED (GONE when deleted at the source) with its own error; one that may pass later goes back in line with
     * its error and is tried again alone. An exception of the whole batch (a server out of reach) is retried as one.
     */
    private void copyBatch(Exchange exchange, List<LedgerItem> items) {
        String name = items.get(0).migration();
        Registered registered = registry.find(name).orElseThrow();
        String what = "copy a batch of " + items.size() + " items (" + items.get(0).key() + ", ...) of migration "
                + registered.migration().describe();
        List<MigrationJob.BatchResult> results;
        try {
            results = registered.job().copyBatch(items);
        } catch (Exception e) {
            throw Errors.classify(what, e, registered.capability()::isRetriable);
        }
        List<Ledger.BatchRecord> records = new ArrayList<>(results.size());
        for (MigrationJob.BatchResult result : results) {
            LedgerItem item = result.item();
            ItemOutcome outcome = result.outcome();
            if (result.error() == null && outcome != null && outcome.verified()) {
                records.add(new Ledger.BatchRecord(item.itemId(), ItemStatus.VERIFIED, outcome, null));
                continue;
            }
            ItemFailure failure;
            if (result.error() != null) {
                failure = Errors.classify("copy " + item.key() + " of migration " + registered.migration().describe(),
                        result.error(), registered.capability()::isRetriable);
            } else {
                failure = new ItemFailure.Final("Cannot verify " + item.key() + " of migration " + registered.migration().describe()
                        + ": source and target differ (" + (outcome == null ? 0 : outcome.rows()) + " rows read; source checksum "
                        + (outcome == null ? null : outcome.sourceChecksum()) + ", target "
                        + (outcome == null ? null : outcome.targetChecksum()) + ")" + (outcome == null ? "" : outcome.differenceText()),
                        null, outcome);
            }
            if (failure instanceof ItemFailure.Final f) {
                boolean gone = f.deletedAtSource();
                if (gone) {
                    LOG.warn("{}", failure.getMessage());
                } else {
                    LOG.error("{}", failure.getMessage());
                }
                records.add(new Ledger.BatchRecord(item.itemId(), gone ? ItemStatus.GONE : ItemStatus.FAILED, failure.outcome(),
                        failure.getMessage()));
            } else {
                LOG.warn("{} (in a batch; tried again alone)", failure.getMessage());
                records.add(new Ledger.BatchRecord(item.itemId(), ItemStatus.PENDING, null, failure.getMessage()));
            }
        }
        try {
            ledger.recordBatch(records);
        } finally {
            items.forEach(item -> active.remove(item.itemId()));
            registry.itemFinished(name);
        }
    }

    /** Copies and verifies the item. Redeliveries come back here. */
    @SuppressWarnings("unchecked")
    public void copy(Exchange exchange) {
        List<LedgerItem> batch = exchange.getProperty(ITEMS, List.class);
        if (batch != null) {
            copyBatch(exchange, batch);
            return;
        }
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
        Throwable error = caught(exchange);
        for (LedgerItem each : batchOf(exchange)) {
            ledger.recordAttempt(each.itemId());
            if (error != null) {
                ledger.recordError(each.itemId(), error.getMessage());
            }
        }
        LedgerItem item = exchange.getProperty(ITEM, LedgerItem.class);
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
        List<LedgerItem> batch = batchOf(exchange);
        if (!batch.isEmpty()) {
            try {
                ledger.recordBatch(batch.stream().map(each -> new Ledger.BatchRecord(each.itemId(),
                        gone ? ItemStatus.GONE : ItemStatus.FAILED, null, failure.getMessage())).toList());
            } finally {
                batch.forEach(each -> active.remove(each.itemId()));
                registry.itemFinished(batch.get(0).migration());
            }
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
        List<LedgerItem> batch = batchOf(exchange);
        if (!batch.isEmpty()) {
            LOG.error("{} (a batch of {} items, after its retries; sent to the dead-letter queue: `hub dlq replay` retries it)",
                    message, batch.size());
            exchange.getMessage().setHeader(WorkItemMessage.HEADER_MIGRATION, batch.get(0).migration());
            try {
                for (LedgerItem each : batch) {
                    ledger.markUnsuccessful(each.itemId(), ItemStatus.DEAD, message, null);
                }
            } catch (RuntimeException e) {
                LOG.error("Cannot record the dead letter of a batch in the ledger: {}", e.getMessage());
            } finally {
                batch.forEach(each -> active.remove(each.itemId()));
                registry.itemFinished(batch.get(0).migration());
            }
            return;
        }
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

    @SuppressWarnings("unchecked")
    private static List<LedgerItem> batchOf(Exchange exchange) {
        List<LedgerItem> batch = exchange.getProperty(ITEMS, List.class);
        return batch == null ? List.of() : batch;
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

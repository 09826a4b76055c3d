package id.go.pdn.hub.core.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.ledger.LedgerItem;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** Sends work items to the Artemis work queue. */
@Component
public class WorkQueue {

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String endpoint;

    public WorkQueue(ProducerTemplate producer, ObjectMapper json, HubProperties properties) {
        this.producer = producer;
        this.json = json;
        this.endpoint = "jms:queue:" + properties.getQueue().getWorkQueue();
    }

    public void send(LedgerItem item, long runId) {
        try {
            String body = json.writeValueAsString(new WorkItemMessage(item.itemId(), item.migration(), item.key(), runId));
            producer.sendBodyAndHeaders(endpoint, body, Map.of(
                    WorkItemMessage.HEADER_MIGRATION, item.migration(),
                    WorkItemMessage.HEADER_ITEM_KEY, item.key()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message for a batch of small items of one migration; a single item goes as {@link #send(LedgerItem, long)}. */
    public void sendBatch(java.util.List<LedgerItem> items, long runId) {
        if (items.size() == 1) {
            send(items.get(0), runId);
            return;
        }
        LedgerItem first = items.get(0);
        String key = first.key() + " and " + (items.size() - 1) + " more";
        try {
            String body = json.writeValueAsString(new WorkItemMessage(first.itemId(), first.migration(), key, runId,
                    items.stream().map(LedgerItem::itemId).toList()));
            producer.sendBodyAndHeaders(endpoint, body, Map.of(
                    WorkItemMessage.HEADER_MIGRATION, first.migration(),
                    WorkItemMessage.HEADER_ITEM_KEY, key));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

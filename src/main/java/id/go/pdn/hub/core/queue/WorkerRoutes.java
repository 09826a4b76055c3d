package id.go.pdn.hub.core.queue;

import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.ItemFailure;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The hub's workers: consume work items from Artemis, copy and verify them, retry what may pass with exponential
 * backoff, and send what still fails to the dead-letter queue. Final failures (rejected data, checksum mismatch)
 * are recorded at once: a retry would fail the same way.
 */
@Component
@ConditionalOnProperty(name = "hub.workers.enabled", havingValue = "true", matchIfMissing = true)
public class WorkerRoutes extends RouteBuilder {

    public static final String DEAD_LETTER_ENDPOINT = "direct:hub-dead-letter";

    private final HubProperties properties;
    private final WorkItemWorker worker;

    public WorkerRoutes(HubProperties properties, WorkItemWorker worker) {
        this.properties = properties;
        this.worker = worker;
    }

    @Override
    public void configure() {
        HubProperties.Queue queue = properties.getQueue();
        HubProperties.Retry retry = properties.getRetry();

        errorHandler(deadLetterChannel(DEAD_LETTER_ENDPOINT)
                .maximumRedeliveries(retry.getMaxRetries())
                .redeliveryDelay(retry.getInitialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.getMaxDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhaustedMessageHistory(false)
                .logStackTrace(false) // the worker logs one line naming the migration, the item and the cause
                .logExhausted(false)
                .onRedelivery(worker::beforeRetry)
                .useOriginalMessage());

        onException(ItemFailure.Final.class)
                .handled(true)
                .process(worker::failed);

        from("jms:queue:" + queue.getWorkQueue() + "?concurrentConsumers=" + queue.getWorkers()
                + "&transacted=true&cacheLevelName=CACHE_CONSUMER"
                + "&receiveTimeout=250") // idle consumers notice a shutdown within 250 ms, not the default second
                .routeId("hub-worker")
                .process(worker::claim)
                .process(worker::copy);

        from(DEAD_LETTER_ENDPOINT)
                .routeId("hub-dead-letter")
                .process(worker::deadLettered)
                .to("jms:queue:" + queue.getDeadLetterQueue());
    }
}

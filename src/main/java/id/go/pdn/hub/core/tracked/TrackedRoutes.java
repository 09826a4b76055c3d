package id.go.pdn.hub.core.tracked;

import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.KindFacts;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tracked routes: an ordinary Camel route ({@code from: ftp:}, {@code sftp:}, {@code pop3s:}, {@code sql:},
 * {@code file:} ... to any {@code to:}) becomes a migration of its application by naming three beans:
 * <pre>
 * - route:
 *     id: laporan-ftp
 *     group: simpeg                          # the application
 *     routePolicy: hubTracked                # runs and items in the ledger, MBean hub:type=tracked,name=laporan-ftp
 *     errorHandler:
 *       refErrorHandler: hubTrackedDeadLetter  # hub.retry.* backoff, then the dead-letter queue
 *     from: ...
 *       steps:
 *         - idempotentConsumer:            # one item per key; a re-run skips what the ledger holds as done
 *             idempotentRepository: hubLedger
 *             simple: "${header.CamelFileName}"
 *             steps: [...]
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
public class TrackedRoutes {

    /** The kind of a tracked route in the ledger. */
    public static final String KIND = "tracked";
    /** Header or property a route sets to true after comparing what it wrote with its source. */
    public static final String VERIFIED = "hubVerified";

    public static final KindFacts FACTS = new KindFacts("Tracked routes", "exchanges", "route", "#6a1b9a", 4, false,
            "nothing (a tracked route has no finishing step)", KindFacts::firstWord, 50, 0);

    @Bean
    TrackedLedger trackedLedger(ObjectProvider<JdbcTemplate> jdbc) {
        return new TrackedLedger(jdbc::getObject);
    }

    /**
     * The datasources declared under {@code hub.datasources} by name in Camel's registry, so that a tracked {@code sql:}
     * route names one ({@code dataSource: "#simpeg-mariadb"}); each pool opens on its first use.
     */
    @Bean
    org.apache.camel.spring.boot.CamelContextConfiguration hubDatasourcesInRegistry(
            ObjectProvider<id.go.pdn.hub.db.DataSources> dataSources) {
        return new org.apache.camel.spring.boot.CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(org.apache.camel.CamelContext context) {
                id.go.pdn.hub.db.DataSources all = dataSources.getIfAvailable();
                if (all == null) {
                    return;
                }
                for (String name : all.declared().keySet()) {
                    if (context.getRegistry().lookupByName(name) == null) {
                        context.getRegistry().bind(name, javax.sql.DataSource.class, () -> all.get(name));
                    }
                }
            }

            @Override
            public void afterApplicationStart(org.apache.camel.CamelContext context) {
            }
        };
    }

    @Bean("hubLedger")
    LedgerIdempotentRepository hubLedger(TrackedLedger ledger) {
        return new LedgerIdempotentRepository(ledger);
    }

    @Bean("hubTracked")
    TrackedRoutePolicy hubTracked(TrackedLedger ledger) {
        return new TrackedRoutePolicy(ledger);
    }

    /**
     * Exponential retries as the hub's ({@code hub.retry.*}), then the dead-letter queue on Artemis with the error and
     * the route in headers; the body sent is a one-line description, never the payload (a file may be gigabytes).
     */
    @Bean("hubTrackedDeadLetter")
    DeadLetterChannelBuilder hubTrackedDeadLetter(HubProperties properties) {
        HubProperties.Retry retry = properties.getRetry();
        DeadLetterChannelBuilder builder = new DeadLetterChannelBuilder("jms:queue:" + properties.getQueue().getDeadLetterQueue());
        builder.maximumRedeliveries(retry.getMaxRetries())
                .redeliveryDelay(retry.getInitialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.getMaxDelay().toMillis())
                .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN);
        String deadLetterUri = "jms:queue:" + properties.getQueue().getDeadLetterQueue();
        builder.onPrepareFailure(exchange -> {
            exchange.setProperty(TrackedRoutePolicy.DEAD_LETTERED, deadLetterUri);
            // the counter header is gone by now; a letter goes here only once maximumRedeliveries are exhausted
            int counted = exchange.getMessage().getHeader(org.apache.camel.Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            exchange.setProperty(TrackedRoutePolicy.REDELIVERIES, counted > 0 ? counted : retry.getMaxRetries());
            String key = exchange.getProperty(LedgerIdempotentRepository.ITEM_KEY, String.class);
            String error = TrackedRoutePolicy.error(exchange);
            exchange.getMessage().removeHeaders("*");
            // the headers of the hub's own dead letters: ./hub dlq list shows them with the route as the migration
            exchange.getMessage().setHeader(id.go.pdn.hub.core.queue.WorkItemMessage.HEADER_MIGRATION, exchange.getFromRouteId());
            exchange.getMessage().setHeader(id.go.pdn.hub.core.queue.WorkItemMessage.HEADER_ITEM_KEY, key);
            exchange.getMessage().setHeader(id.go.pdn.hub.core.queue.WorkItemMessage.HEADER_ERROR, error);
            exchange.getMessage().setHeader(id.go.pdn.hub.core.queue.WorkItemMessage.HEADER_KIND, KIND); // never replayed

            exchange.getMessage().setBody("tracked route " + exchange.getFromRouteId() + ", item " + key + ": " + error);
        });
        return builder;
    }
}

package id.go.pdn.hub.core.queue;

import id.go.pdn.hub.core.HubProperties;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The embedded Artemis broker's settings for the hub's queues. Artemis drops a message after
 * max-delivery-attempts when no dead-letter address is set, or when that address has no queue: both are set here,
 * so a work item is never lost.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    /**
     * On an external broker shared by several hubs ({@code spring.artemis.mode: native}), a worker takes one work item
     * at a time and buffers none ({@code consumerWindowSize=0}): a prefetched item would wait behind the item this worker
     * is copying while another hub's worker sits idle. A broker URL that sets consumerWindowSize itself keeps its value.
     */
    @Bean
    static BeanPostProcessor oneItemPerWorker(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                boolean shared = "native".equalsIgnoreCase(environment.getProperty("spring.artemis.mode", ""));
                String url = environment.getProperty("spring.artemis.broker-url", "");
                if (!shared || url.contains("consumerWindowSize")) {
                    return bean;
                }
                Object target = bean instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory() : bean;
                if (target instanceof ActiveMQConnectionFactory artemis) {
                    artemis.setConsumerWindowSize(0);
                }
                return bean;
            }
        };
    }

    @Bean
    ArtemisConfigurationCustomizer hubQueues(HubProperties properties) {
        HubProperties.Queue queue = properties.getQueue();
        HubProperties.Retry retry = properties.getRetry();
        return configuration -> {
            // the workers retry within a delivery (WorkerRoutes); the broker delivers a message again only when its
            // delivery was cut off (a worker or hub died mid-item): the same policy, hub.retry, in both places
            AddressSettings work = new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(queue.getDeadLetterQueue()))
                    .setMaxDeliveryAttempts(retry.getMaxRetries() + 1)
                    .setRedeliveryDelay(retry.getInitialDelay().toMillis())
                    .setRedeliveryMultiplier(2.0) // doubles each time, as the workers' retries
                    .setMaxRedeliveryDelay(retry.getMaxDelay().toMillis());
            // No fsync per message: the ledger is the record (an item is never lost with its message: a run re-queues
            // whatever is not VERIFIED), and H2 does not fsync per commit either. Halves the cost of a small item.
            configuration.setJournalSyncNonTransactional(false).setJournalSyncTransactional(false);
            configuration.addAddressSetting(queue.getWorkQueue(), work);
            configuration.addQueueConfiguration(QueueConfiguration.of(queue.getWorkQueue()).setRoutingType(RoutingType.ANYCAST));
            configuration.addQueueConfiguration(QueueConfiguration.of(queue.getDeadLetterQueue()).setRoutingType(RoutingType.ANYCAST));
            if (queue.getEmbeddedPort() > 0) {
                // loopback only: lets `hub dlq` reach the broker of a running hub
                try {
                    configuration.addAcceptorConfiguration("hub-tools", "tcp://127.0.0.1:" + queue.getEmbeddedPort());
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot open the broker's loopback port " + queue.getEmbeddedPort(), e);
                }
            }
        };
    }
}

package id.go.pdn.hub.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.mock.env.MockEnvironment;

/** On an external broker shared by several hubs a worker buffers no work item that another hub's worker could take. */
class BrokerConfigurationTest {

    private static ActiveMQConnectionFactory processed(MockEnvironment environment, String url) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url);
        BeanPostProcessor processor = BrokerConfiguration.oneItemPerWorker(environment.withProperty("spring.artemis.broker-url", url));
        processor.postProcessAfterInitialization(new CachingConnectionFactory(artemis), "jmsConnectionFactory");
        return artemis;
    }

    @Test
    void anExternalBrokerGetsNoPrefetch() {
        assertThat(processed(new MockEnvironment().withProperty("spring.artemis.mode", "native"), "tcp://127.0.0.1:61636")
                .getConsumerWindowSize()).isZero();
    }

    @Test
    void aWindowTheUrlSetsIsKept() {
        assertThat(processed(new MockEnvironment().withProperty("spring.artemis.mode", "native"), "tcp://127.0.0.1:61636?consumerWindowSize=4096")
                .getConsumerWindowSize()).isEqualTo(4096);
    }

    @Test
    void theEmbeddedBrokerKeepsItsDefault() {
        assertThat(processed(new MockEnvironment().withProperty("spring.artemis.mode", "embedded"), "vm://0")
                .getConsumerWindowSize()).isEqualTo(1024 * 1024);
    }
}

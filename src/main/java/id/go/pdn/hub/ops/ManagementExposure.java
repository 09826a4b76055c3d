package id.go.pdn.hub.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says it loudly when the management port listens beyond the loopback: Jolokia and Hawtio have no login of their own
 * and can start, stop and retry migrations.
 */
@Component
@ConditionalOnProperty(name = ManagementEnvironmentPostProcessor.SERVING, havingValue = "true")
class ManagementExposure {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementExposure.class);

    private final Environment environment;

    ManagementExposure(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfExposed() {
        String port = environment.getProperty("local.management.port");
        if (port == null) {
            return;
        }
        String address = environment.getProperty("management.server.address", "");
        if (!isLoopback(address)) {
            LOG.warn("The management port {} listens on {}, not the loopback: Jolokia and Hawtio there have no login and can "
                    + "start and stop migrations. Put an authenticating proxy in front or set management.server.address: 127.0.0.1",
                    port, address.isBlank() ? "every address" : address);
        }
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

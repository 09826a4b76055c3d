package id.go.pdn.hub.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import id.go.pdn.hub.core.HubException;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a serving hub whose management port or remote JMX would listen beyond the loopback without TLS:
 * passwords and the hub's controls would cross the network in clear. Runs before either opens (the management port
 * starts after every bean of the hub; {@link RemoteJmxServer} asks here first). The CLI prints the one line and exits 2.
 */
@Component
@ConditionalOnProperty(name = ManagementEnvironmentPostProcessor.SERVING, havingValue = "true")
public class ManagementExposure implements InitializingBean {

    private final Environment environment;
    private final RemoteJmxProperties jmx;

    ManagementExposure(Environment environment, RemoteJmxProperties jmx) {
        this.environment = environment;
        this.jmx = jmx;
    }

    @Override
    public void afterPropertiesSet() {
        int port = ManagementEnvironmentPostProcessor.managementPort(environment);
        String address = environment.getProperty("management.server.address", "");
        if (port > 0 && !isLoopback(address) && !managementTls(environment)) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open the management port on "
                    + (address.isBlank() ? "every address" : address) + ":" + port + " without TLS: set "
                    + "management.server.ssl.enabled: true with management.server.ssl.bundle (or key-store), or "
                    + "management.server.address: 127.0.0.1 and an SSH tunnel (docs/operations-web.md)");
        }
        checkRemoteJmx(jmx);
    }

    /** The same rule for remote JMX: beyond the loopback only over TLS. */
    static void checkRemoteJmx(RemoteJmxProperties jmx) {
        if (jmx.getPort() != null && !isLoopback(jmx.getHost()) && (jmx.getSslBundle() == null || jmx.getSslBundle().isBlank())) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open remote JMX on " + jmx.getHost() + ":"
                    + jmx.getPort() + " without TLS: set hub.jmx.remote.ssl-bundle (a spring.ssl.bundle with the hub's "
                    + "key), or hub.jmx.remote.host: 127.0.0.1 and an SSH tunnel (docs/operations-web.md)");
        }
    }

    private static boolean managementTls(Environment environment) {
        return environment.getProperty("management.server.ssl.enabled", Boolean.class, false)
                && (!environment.getProperty("management.server.ssl.bundle", "").isBlank()
                || !environment.getProperty("management.server.ssl.key-store", "").isBlank()
                || !environment.getProperty("management.server.ssl.certificate", "").isBlank());
    }

    /** Whether the address is a loopback one; blank (every address), a wildcard or a name that does not resolve is not. */
    public static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

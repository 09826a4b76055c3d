package id.go.pdn.hub.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.security.auth.Subject;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * The JMX connector of a serving hub, for jconsole and VisualVM: the RMI registry and the connector on one port
 * ({@code hub.jmx.remote.port}), bound to {@code hub.jmx.remote.host}, one user with read and write access. It does
 * not start without credentials: JMX can start and stop migrations.
 */
@Component
@ConditionalOnExpression("${hub.serving:false} and '${hub.jmx.remote.port:}' != ''")
public class RemoteJmxServer implements InitializingBean, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmxServer.class);

    private final RemoteJmxProperties properties;
    private Registry registry;
    private JMXConnectorServer connector;
    private JMXServiceURL url;

    public RemoteJmxServer(RemoteJmxProperties properties) {
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        int port = properties.getPort();
        String host = properties.getHost();
        String username = properties.getUsername();
        byte[] password = password();
        if (username == null || username.isBlank() || password.length == 0) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open remote JMX on " + host + ":" + port
                    + ": it needs credentials; set hub.jmx.remote.username and hub.jmx.remote.password (as ${ENV_VAR}) "
                    + "or hub.jmx.remote.password-file, or remove hub.jmx.remote.port");
        }
        // the stubs the registry hands out carry this host name; without it clients get the machine's first address
        String stubHost = System.getProperty("java.rmi.server.hostname");
        if (stubHost == null) {
            System.setProperty("java.rmi.server.hostname", host);
        } else if (!stubHost.equals(host)) {
            LOG.warn("Remote JMX listens on {} but java.rmi.server.hostname is {}: clients are sent there", host, stubHost);
        }
        BoundServerSocketFactory sockets = new BoundServerSocketFactory(InetAddress.getByName(host));
        try {
            registry = LocateRegistry.createRegistry(port, null, sockets);
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open remote JMX on " + host + ":" + port
                    + ": " + e.getMessage() + "; is the port in use? Choose another hub.jmx.remote.port", e);
        }
        url = serviceUrl(host, port);
        JMXAuthenticator authenticator = new SingleUserAuthenticator(username, password);
        Map<String, Object> environment = Map.of(JMXConnectorServer.AUTHENTICATOR, authenticator,
                RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets,
                // the client's credentials are deserialized before they are checked: accept nothing but a user and password
                RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, "java.lang.String;java.lang.String[];!*");
        connector = JMXConnectorServerFactory.newJMXConnectorServer(url, environment, ManagementFactory.getPlatformMBeanServer());
        try {
            connector.start();
        } catch (IOException e) {
            destroy();
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start remote JMX at " + url + ": " + e.getMessage(), e);
        }
        LOG.info("Remote JMX: {} (user {})", url, username);
        if (!ManagementExposure.isLoopback(host)) {
            LOG.warn("Remote JMX listens on {}: RMI is not encrypted, the password crosses the network in clear; "
                    + "prefer 127.0.0.1 with an SSH tunnel (docs/operations-web.md)", host);
        }
    }

    /** The URL jconsole takes: {@code service:jmx:rmi://HOST:PORT/jndi/rmi://HOST:PORT/jmxrmi}. */
    public static JMXServiceURL serviceUrl(String host, int port) throws IOException {
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return new JMXServiceURL("service:jmx:rmi://" + hostPort + "/jndi/rmi://" + hostPort + "/jmxrmi");
    }

    public JMXServiceURL url() {
        return url;
    }

    private byte[] password() {
        String password = Secrets.inlineOrFile(properties.getPassword(), properties.getPasswordFile(), "hub.jmx.remote");
        return password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void destroy() throws IOException {
        if (connector != null) {
            connector.stop();
            connector = null;
        }
        if (registry != null) {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (NoSuchObjectException e) {
                LOG.debug("The JMX registry was already closed");
            }
            registry = null;
        }
    }

    /** Checks the one configured user; compares in constant time so that timing tells nothing about the password. */
    static final class SingleUserAuthenticator implements JMXAuthenticator {

        private final byte[] username;
        private final byte[] password;

        SingleUserAuthenticator(String username, byte[] password) {
            this.username = username.getBytes(StandardCharsets.UTF_8);
            this.password = password.clone();
        }

        @Override
        public Subject authenticate(Object credentials) {
            if (!(credentials instanceof String[] pair) || pair.length != 2 || pair[0] == null || pair[1] == null) {
                throw new SecurityException("Remote JMX needs a user name and a password");
            }
            boolean userMatches = MessageDigest.isEqual(username, pair[0].getBytes(StandardCharsets.UTF_8));
            boolean passwordMatches = MessageDigest.isEqual(password, pair[1].getBytes(StandardCharsets.UTF_8));
            if (!(userMatches & passwordMatches)) {
                throw new SecurityException("Wrong user name or password");
            }
            return new Subject(true, Set.of(new JMXPrincipal(pair[0])), Collections.emptySet(), Collections.emptySet());
        }
    }

    /**
     * Listens on one address only. A record: equal factories (same address) let the RMI runtime share one port
     * between the registry and the connector.
     */
    record BoundServerSocketFactory(InetAddress address) implements RMIServerSocketFactory {

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}

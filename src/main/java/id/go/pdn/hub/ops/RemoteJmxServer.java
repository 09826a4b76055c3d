package id.go.pdn.hub.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import javax.security.auth.Subject;
import id.go.pdn.hub.core.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The JMX connector of a serving hub, for jconsole and VisualVM, built from the JDK's parts: an RMI registry and the
 * RMI connector server on one port ({@code hub.jmx.remote.port}) bound to {@code hub.jmx.remote.host}; logins checked
 * by Spring Security against {@link ManagementUsers} (the management port's users and roles); what each may do decided
 * by {@link JmxAccessForwarder}; TLS for both the registry and the connector with {@code hub.jmx.remote.ssl-bundle}.
 * The connector's stub is put into the registry directly (no JNDI round trip through the network, which over TLS would
 * need this JVM to trust its own certificate).
 */
@Component
@ConditionalOnExpression("${hub.serving:false} and '${hub.jmx.remote.port:}' != ''")
public class RemoteJmxServer implements InitializingBean, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmxServer.class);

    private final RemoteJmxProperties properties;
    private final ManagementUsers users;
    private final SslBundles sslBundles;
    private Registry registry;
    private RMIJRMPServerImpl rmiServer;
    private JMXConnectorServer connector;
    private JMXServiceURL url;

    public RemoteJmxServer(RemoteJmxProperties properties, ManagementUsers users, SslBundles sslBundles) {
        this.properties = properties;
        this.users = users;
        this.sslBundles = sslBundles;
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        ManagementExposure.checkRemoteJmx(properties); // beyond the loopback only over TLS
        int port = properties.getPort();
        String host = properties.getHost();
        if (users.isEmpty()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open remote JMX on " + host + ":" + port
                    + ": no user may log in; declare hub.management.users (docs/operations-web.md) or remove hub.jmx.remote.port");
        }
        // the stubs the registry hands out carry this host name; without it clients get the machine's first address
        String stubHost = System.getProperty("java.rmi.server.hostname");
        if (stubHost == null) {
            System.setProperty("java.rmi.server.hostname", host);
        } else if (!stubHost.equals(host)) {
            LOG.warn("Remote JMX listens on {} but java.rmi.server.hostname is {}: clients are sent there", host, stubHost);
        }
        boolean tls = properties.getSslBundle() != null && !properties.getSslBundle().isBlank();
        SSLContext ssl = tls ? sslBundles.getBundle(properties.getSslBundle()).createSslContext() : null;
        BoundServerSocketFactory sockets = new BoundServerSocketFactory(InetAddress.getByName(host), ssl);
        RMIClientSocketFactory clientSockets = tls ? new SslRMIClientSocketFactory() : null;
        Map<String, Object> environment = new HashMap<>();
        environment.put(JMXConnectorServer.AUTHENTICATOR, (JMXAuthenticator) this::authenticate);
        // the client's credentials are deserialized before they are checked: accept nothing but a user and password
        environment.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, "java.lang.String;java.lang.String[];!*");
        try {
            registry = LocateRegistry.createRegistry(port, clientSockets, sockets);
            rmiServer = new RMIJRMPServerImpl(port, clientSockets, sockets, environment);
            url = serviceUrl(host, port);
            connector = new RMIConnectorServer(new JMXServiceURL("rmi", host, port), environment, rmiServer,
                    ManagementFactory.getPlatformMBeanServer());
            connector.setMBeanServerForwarder(JmxAccessForwarder.create());
            connector.start();
            registry.bind("jmxrmi", rmiServer.toStub()); // a local call on the registry object itself
        } catch (IOException | AlreadyBoundException e) {
            destroy();
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot open remote JMX on " + host + ":" + port
                    + ": " + e.getMessage() + "; is the port in use? Choose another hub.jmx.remote.port", e);
        }
        LOG.info("Remote JMX{}: {}", tls ? " (TLS)" : "", url);
    }

    /** Spring Security checks the login; the subject carries the user and its roles for {@link JmxAccessForwarder}. */
    private Subject authenticate(Object credentials) {
        if (!(credentials instanceof String[] pair) || pair.length != 2 || pair[0] == null || pair[1] == null) {
            throw new SecurityException("Remote JMX needs a user name and a password");
        }
        try {
            Authentication user = users.authenticate(pair[0], pair[1]);
            Subject subject = new Subject();
            subject.getPrincipals().add(new JMXPrincipal(user.getName()));
            for (GrantedAuthority authority : user.getAuthorities()) {
                subject.getPrincipals().add(new JmxAccessForwarder.RolePrincipal(authority.getAuthority()));
            }
            subject.setReadOnly();
            return subject;
        } catch (AuthenticationException e) {
            LOG.warn("Remote JMX refused a login as '{}': wrong user name or password", pair[0]);
            throw new SecurityException("Wrong user name or password");
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

    public boolean tls() {
        return properties.getSslBundle() != null && !properties.getSslBundle().isBlank();
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

    /**
     * Listens on one address only, over TLS when given a context (the JDK's SslRMIServerSocketFactory listens on every
     * address). A record: equal factories (same address, same context) let RMI share one port between the registry and
     * the connector.
     */
    record BoundServerSocketFactory(InetAddress address, SSLContext ssl) implements RMIServerSocketFactory {

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return ssl == null ? new ServerSocket(port, 50, address) : ssl.getServerSocketFactory().createServerSocket(port, 50, address);
        }
    }
}

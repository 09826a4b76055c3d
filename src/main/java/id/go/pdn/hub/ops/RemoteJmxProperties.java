package id.go.pdn.hub.ops;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code hub.jmx.remote.*}: the JMX connector for jconsole and VisualVM; off unless a port is set. Its users
 * are the management port's ({@code hub.management.users}), with the same roles.
 */
@ConfigurationProperties("hub.jmx.remote")
public class RemoteJmxProperties {

    /** Port of the RMI registry and of the connector (one port for both, easy to open in a firewall); empty = off. */
    private Integer port;
    /** Address to listen on, and the host name written into the connector's stubs (clients connect to it). */
    private String host = "127.0.0.1";
    /**
     * Name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.jks.<name>} or {@code .pem.<name>}) with the hub's key:
     * the registry and the connector then speak TLS only. Required when host is not a loopback address.
     */
    private String sslBundle;
    /** A user besides hub.management.users, with the operator role (kept from before the users existed). */
    private String username;
    /** That user's password; write {@code ${ENV_VAR}} here, never the secret itself. */
    private String password;
    /** File whose first line is the password (e.g. a mounted secret); used when password is empty. */
    private Path passwordFile;

    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public Path getPasswordFile() { return passwordFile; }
    public String getSslBundle() { return sslBundle; }
    public void setSslBundle(String sslBundle) { this.sslBundle = sslBundle; }
    public void setPasswordFile(Path passwordFile) { this.passwordFile = passwordFile; }

    @Override
    public String toString() { // never the password
        return "RemoteJmx[host=" + host + ", port=" + port + ", sslBundle=" + sslBundle + ", username=" + username + "]";
    }
}

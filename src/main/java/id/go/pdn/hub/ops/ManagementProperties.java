package id.go.pdn.hub.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code hub.management.*}: the management port of a serving hub (Actuator, Jolokia, Hawtio), its users
 * and the host names it answers to. The users log in to the management port and to remote JMX alike.
 */
@ConfigurationProperties("hub.management")
public class ManagementProperties {

    /** Port of a serving hub's management server; 0 or -1: off. */
    private int port = ManagementEnvironmentPostProcessor.DEFAULT_MANAGEMENT_PORT;
    /**
     * Who may log in, by user name. Empty: a serving hub creates the users {@code viewer} and {@code operator} with
     * random passwords in owner-only files under {@code <hub.data-dir>/management/}.
     */
    private Map<String, User> users = new LinkedHashMap<>();
    /**
     * Host names (as in the browser's address bar) the management port answers to besides the loopback names and the
     * address it listens on; any other {@code Host} or {@code Origin} is refused (DNS rebinding).
     */
    private List<String> allowedHosts = new ArrayList<>();

    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public Map<String, User> getUsers() { return users; }
    public void setUsers(Map<String, User> users) { this.users = users; }
    public List<String> getAllowedHosts() { return allowedHosts; }
    public void setAllowedHosts(List<String> allowedHosts) { this.allowedHosts = allowedHosts; }

    /** One user of the management port and remote JMX. */
    public static class User {

        /** {@code viewer} (reads: status, Jolokia read, Prometheus, Hawtio) or {@code operator} (also the hub's operations). */
        private ManagementRole role = ManagementRole.VIEWER;
        /**
         * The password's hash in Spring Security's form, e.g. {@code {bcrypt}$2a$10$...} (make one with
         * {@code htpasswd -bnBC 10 "" PASSWORD | tr -d ':\n'} and prefix {@code {bcrypt}}).
         */
        private String passwordHash;
        /** A file whose first line is the password or its hash (a mounted secret); used when password-hash is empty. */
        private Path passwordFile;
        /** The password itself, only as {@code ${ENV_VAR}}; used when neither of the above is set. */
        private String password;

        public ManagementRole getRole() { return role; }
        public void setRole(ManagementRole role) { this.role = role; }
        public String getPasswordHash() { return passwordHash; }
        public void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
        public Path getPasswordFile() { return passwordFile; }
        public void setPasswordFile(Path passwordFile) { this.passwordFile = passwordFile; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }

        @Override
        public String toString() { // never the password
            return "User[role=" + role + ", passwordFile=" + passwordFile + "]";
        }
    }
}

package id.go.pdn.hub.core.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Secrets;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Locks the H2 ledger: its database user gets a random password, kept in {@code <hub.data-dir>/ledger/ledger.password}
 * (owner-only, made on first use), so that a session on the ledger (where {@code sa} could define Java functions) needs
 * that file. A ledger made before, with the empty password, gets the new one on its next use. Only for an H2 file ledger
 * without a configured password; PostgreSQL and a set {@code hub.ledger.password} are left alone.
 * <p>
 * Also keeps H2's own TCP server ({@code AUTO_SERVER}, which lets a second process open the ledger while the hub runs)
 * on the loopback, unless {@code -Dh2.bindAddress} names another address.
 */
public class LedgerPassword implements EnvironmentPostProcessor, Ordered {

    public static final String FILE = "ledger/ledger.password";
    static final String BIND_ADDRESS = "h2.bindAddress";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the data folder is made absolute
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        loopbackOnly();
        String url = environment.getProperty("hub.ledger.url", "");
        String password = environment.getProperty("hub.ledger.password", "");
        if (!url.startsWith("jdbc:h2:file:") || !password.isEmpty()) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty("hub.data-dir", "data")).toAbsolutePath().normalize();
        String username = environment.getProperty("hub.ledger.username", "sa");
        // read (and the file made) when the ledger's datasource is made, not now: a start that fails on its routes or
        // endpoints (RoutePreflight) creates nothing in the data folder
        environment.getPropertySources().addFirst(new LazyPassword(() -> passwordOf(url, username, dataDir.resolve(FILE))));
    }

    /** {@code spring.datasource.password}, worked out on its first read. */
    static final class LazyPassword extends PropertySource<Object> {

        static final String KEY = "spring.datasource.password";
        private final java.util.function.Supplier<String> secret;
        private volatile String value;

        LazyPassword(java.util.function.Supplier<String> secret) {
            super("hub-ledger-password");
            this.secret = secret;
        }

        @Override
        public Object getProperty(String name) {
            if (!KEY.equals(name)) {
                return null;
            }
            if (value == null) {
                synchronized (this) {
                    if (value == null) {
                        value = secret.get();
                    }
                }
            }
            return value;
        }
    }

    /** H2 reads the property once, when its first database opens: before that, here. */
    public static void loopbackOnly() {
        if (System.getProperty(BIND_ADDRESS) == null) {
            System.setProperty(BIND_ADDRESS, "127.0.0.1");
        }
    }

    /** The ledger's password from its file; a new file for a new ledger, and a new password for an old ledger without one. */
    static String passwordOf(String url, String username, Path file) {
        if (Files.exists(file)) {
            return Secrets.inlineOrFile(null, file, "the ledger");
        }
        boolean existing = Files.exists(Path.of(databaseFile(url) + ".mv.db"));
        String secret = Secrets.randomInFile(file);
        if (existing) {
            setPassword(url, username, secret, file);
        }
        return secret;
    }

    /** An old ledger, made with the empty password: give its user the new one. */
    private static void setPassword(String url, String username, String secret, Path file) {
        try (Connection connection = DriverManager.getConnection(url, username, "");
             Statement statement = connection.createStatement()) {
            // the secret is base64url (no quote can be in it); H2 takes no parameter here
            statement.execute("ALTER USER \"" + username.toUpperCase(java.util.Locale.ROOT).replace("\"", "")
                    + "\" SET PASSWORD '" + secret + "'");
        } catch (SQLException e) {
            if (e.getErrorCode() == 28000) { // wrong user or password: its password was changed already (another process)
                return;
            }
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot give the ledger " + url + " the password in "
                    + file + ": " + e.getMessage() + "; is another hub of an older version using it? Stop it and retry", e);
        }
    }

    /** The database file of an H2 file URL, without H2's extension and settings. */
    static String databaseFile(String url) {
        String path = url.substring("jdbc:h2:file:".length());
        int settings = path.indexOf(';');
        return settings < 0 ? path : path.substring(0, settings);
    }
}

package id.go.pdn.hub.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import id.go.pdn.hub.core.Secrets;
import id.go.pdn.hub.ops.ManagementRole;
import id.go.pdn.hub.ops.ManagementUsers;
import org.springframework.core.env.Environment;

/**
 * The login a command uses on a hub's management port, first found of: {@code --user}/{@code --password-file};
 * {@code HUB_MANAGEMENT_USER} with {@code HUB_MANAGEMENT_PASSWORD} or {@code HUB_MANAGEMENT_PASSWORD_FILE};
 * {@code hub.management.client.user}/{@code password-file} in the settings (the demo writes them); the password file a
 * serving hub on this data folder made for its {@code viewer} (or {@code operator}) when no user is configured.
 */
record ManagementLogin(String user, String password, String from) {

    static final String USER_ENV = "HUB_MANAGEMENT_USER";
    static final String PASSWORD_ENV = "HUB_MANAGEMENT_PASSWORD";
    static final String PASSWORD_FILE_ENV = "HUB_MANAGEMENT_PASSWORD_FILE";

    @Override
    public String toString() { // never the password
        return "login '" + user + "' (" + from + ")";
    }

    /** The login to use, or null when none is known. */
    static ManagementLogin find(String user, Path passwordFile, Environment environment, boolean operator) {
        if (user != null) {
            String password = passwordFile != null ? Secrets.inlineOrFile(null, passwordFile, "--password-file")
                    : System.getenv(PASSWORD_ENV) != null ? System.getenv(PASSWORD_ENV)
                    : fileFromEnv();
            return password == null ? null : new ManagementLogin(user, password, "--user");
        }
        String envUser = System.getenv(USER_ENV);
        if (envUser != null && !envUser.isBlank()) {
            String password = System.getenv(PASSWORD_ENV) != null ? System.getenv(PASSWORD_ENV) : fileFromEnv();
            return password == null ? null : new ManagementLogin(envUser, password, USER_ENV);
        }
        String configured = environment.getProperty("hub.management.client.user");
        String configuredFile = environment.getProperty("hub.management.client.password-file");
        if (configured != null && configuredFile != null) {
            return new ManagementLogin(configured, Secrets.inlineOrFile(null, Path.of(configuredFile),
                    "hub.management.client.password-file"), "hub.management.client.user");
        }
        Path dataDir = Path.of(environment.getProperty("hub.data-dir", "data")).toAbsolutePath();
        ManagementRole role = operator ? ManagementRole.OPERATOR : ManagementRole.VIEWER;
        Path generated = ManagementUsers.generatedFile(dataDir, role);
        if (Files.isReadable(generated)) {
            return new ManagementLogin(role.name().toLowerCase(java.util.Locale.ROOT),
                    Secrets.inlineOrFile(null, generated, generated.toString()), generated.toString());
        }
        return null;
    }

    private static String fileFromEnv() {
        String file = System.getenv(PASSWORD_FILE_ENV);
        return file == null || file.isBlank() ? null : Secrets.inlineOrFile(null, Path.of(file), PASSWORD_FILE_ENV);
    }

    /** What to tell a user whose command found no login or whose login was refused. */
    static String howToLogIn() {
        return "give --user NAME --password-file FILE, or set " + USER_ENV + " and " + PASSWORD_ENV + " (or "
                + PASSWORD_FILE_ENV + ")";
    }
}

package id.go.pdn.hub.ops;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.Secrets;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The users of the management port and of remote JMX, from {@code hub.management.users} (password hashes, password
 * files or {@code ${ENV_VAR}}; plain passwords are hashed when read). A serving hub with none configured makes two:
 * {@code viewer} and {@code operator}, with random passwords in owner-only files under {@code <hub.data-dir>/management/}
 * (kept across restarts), so that only who can read the data folder logs in. The legacy single JMX user
 * ({@code hub.jmx.remote.username}) is an operator.
 */
@Component
public class ManagementUsers implements UserDetailsService {

    /** Where a serving hub without configured users keeps the passwords it made, under the data folder. */
    public static final String GENERATED_FOLDER = "management";

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final Map<String, UserDetails> users = new LinkedHashMap<>();
    private final Map<String, Path> generatedFiles = new LinkedHashMap<>();
    private final AuthenticationManager authentication;

    public ManagementUsers(ManagementProperties management, RemoteJmxProperties jmx, HubProperties hub, Environment environment) {
        management.getUsers().forEach((name, user) -> add(name, user.getRole(), encoded(name, user)));
        if (jmx.getUsername() != null && !jmx.getUsername().isBlank() && !users.containsKey(jmx.getUsername())) {
            String password = Secrets.inlineOrFile(jmx.getPassword(), jmx.getPasswordFile(), "hub.jmx.remote");
            if (password != null && !password.isEmpty()) {
                add(jmx.getUsername(), ManagementRole.OPERATOR, encoder.encode(password));
            }
        }
        boolean serving = environment.getProperty(ManagementEnvironmentPostProcessor.SERVING, Boolean.class, false);
        if (users.isEmpty() && serving) {
            for (ManagementRole role : ManagementRole.values()) {
                String name = role.name().toLowerCase(java.util.Locale.ROOT);
                Path file = generatedFile(hub.getDataDir(), role);
                generatedFiles.put(name, file);
                add(name, role, encoder.encode(Secrets.randomInFile(file)));
            }
        }
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(this);
        provider.setPasswordEncoder(encoder);
        this.authentication = new ProviderManager(provider);
    }

    /** The password file a serving hub makes for this role when no user is configured. */
    public static Path generatedFile(Path dataDir, ManagementRole role) {
        return dataDir.resolve(GENERATED_FOLDER).resolve(role.name().toLowerCase(java.util.Locale.ROOT) + ".password");
    }

    private void add(String name, ManagementRole role, String passwordHash) {
        List<SimpleGrantedAuthority> authorities = role == ManagementRole.OPERATOR
                ? List.of(new SimpleGrantedAuthority(ManagementRole.VIEWER.authority()), new SimpleGrantedAuthority(ManagementRole.OPERATOR.authority()))
                : List.of(new SimpleGrantedAuthority(ManagementRole.VIEWER.authority()));
        users.put(name, User.withUsername(name).password(passwordHash).authorities(authorities).build());
    }

    /** The user's password as Spring Security's {id}hash. */
    private String encoded(String name, ManagementProperties.User user) {
        if (user.getPasswordHash() != null && !user.getPasswordHash().isBlank()) {
            return hash(name, user.getPasswordHash().strip());
        }
        String secret = Secrets.inlineOrFile(user.getPassword(), user.getPasswordFile(), "management user '" + name + "'");
        if (secret == null || secret.isEmpty()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load the management user '" + name
                    + "': it has no password; set hub.management.users." + name + ".password-hash, .password-file or "
                    + ".password: ${ENV_VAR}");
        }
        return user.getPassword() == null && secret.startsWith("{") ? hash(name, secret) : encoder.encode(secret);
    }

    private static String hash(String name, String hash) {
        if (!hash.matches("\\{[a-zA-Z0-9_-]+}.+")) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load the management user '" + name
                    + "': its password hash has no {id} prefix; write e.g. {bcrypt}$2a$10$... (docs/operations-web.md)");
        }
        return hash;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserDetails user = users.get(username);
        if (user == null) {
            throw new UsernameNotFoundException("No such user");
        }
        return User.withUserDetails(user).build(); // a copy: Spring Security erases the credentials of what it returns
    }

    /** Checks a user name and password (remote JMX); the authenticated user with its roles. */
    public Authentication authenticate(String username, String password) throws AuthenticationException {
        return authentication.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** The password files this hub made (user name to file), empty when users are configured. */
    public Map<String, Path> generatedFiles() {
        return Collections.unmodifiableMap(generatedFiles);
    }
}

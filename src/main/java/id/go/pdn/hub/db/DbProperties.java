package id.go.pdn.hub.db;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Settings of database migrations: the named datasources under {@code hub.datasources} that routes refer to by name. */
@Validated
@ConfigurationProperties("hub")
public class DbProperties {

    /** Named JDBC datasources that database migrations refer to by name. */
    @Valid
    private final Map<String, Datasource> datasources = new LinkedHashMap<>();

    public Map<String, Datasource> getDatasources() { return datasources; }

    /** One named datasource (a HikariCP pool). */
    public static class Datasource {
        /** JDBC URL, e.g. jdbc:mariadb://10.1.2.3:3306/simpeg. */
        @NotBlank
        private String url;
        /** User name. */
        private String username;
        /** Password; write {@code ${ENV_VAR}} here, never the secret itself. */
        private String password;
        /** File whose first line is the password (e.g. a mounted secret); used when password is empty. */
        private Path passwordFile;
        /** Largest number of pooled connections. */
        @Min(1)
        private int maxPoolSize = 8;
        /** Extra driver properties. */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Path getPasswordFile() { return passwordFile; }
        public void setPasswordFile(Path passwordFile) { this.passwordFile = passwordFile; }
        public int getMaxPoolSize() { return maxPoolSize; }
        public void setMaxPoolSize(int maxPoolSize) { this.maxPoolSize = maxPoolSize; }
        public Map<String, String> getProperties() { return properties; }

        @Override
        public String toString() { // never the password
            return "Datasource[url=" + url + ", username=" + username + "]";
        }
    }

}

package id.go.pdn.hub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Secrets;
import id.go.pdn.hub.db.dialect.Dialect;
import id.go.pdn.hub.db.dialect.Dialects;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** The named source and target datasources of {@code hub.datasources}, as HikariCP pools opened on first use. */
@Component
public class DataSources implements DisposableBean {

    private final Map<String, DbProperties.Datasource> declared;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    public DataSources(DbProperties properties) {
        this.declared = properties.getDatasources();
    }

    public Map<String, DbProperties.Datasource> declared() {
        return declared;
    }

    public DataSource get(String name) {
        return pools.computeIfAbsent(name, this::open);
    }

    public Dialect dialect(String name) {
        return Dialects.forUrl(declaration(name).getUrl());
    }

    private DbProperties.Datasource declaration(String name) {
        DbProperties.Datasource ds = declared.get(name);
        if (ds == null) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot find datasource '" + name
                    + "': declare it under hub.datasources (declared: " + String.join(", ", declared.keySet()) + ")");
        }
        return ds;
    }

    private HikariDataSource open(String name) {
        DbProperties.Datasource ds = declaration(name);
        HikariConfig config = new HikariConfig();
        config.setPoolName("hub-" + name);
        config.setJdbcUrl(ds.getUrl());
        config.setUsername(ds.getUsername());
        config.setPassword(password(name, ds));
        config.setMaximumPoolSize(ds.getMaxPoolSize());
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1); // a source that is down fails its items (and they retry), not the hub
        Dialects.forUrl(ds.getUrl()).connectionProperties().forEach(config::addDataSourceProperty);
        ds.getProperties().forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    /**
     * Opens one connection to the datasource directly through its driver, not through the pool, and closes it: the
     * driver's own error comes back at once (the pool would wait for its connection timeout and then report only that).
     *
     * @throws HubException naming the datasource, its place ({@code host:port/db}, user), the cause in words and the fix
     */
    public void probe(String name, String role) {
        DbProperties.Datasource ds = declaration(name);
        String where = role + " datasource '" + name + "' (" + id.go.pdn.hub.core.Redaction.location(ds.getUrl())
                + (ds.getUsername() == null ? "" : ", user " + ds.getUsername()) + ")";
        java.util.Properties properties = new java.util.Properties();
        Dialects.forUrl(ds.getUrl()).connectionProperties().forEach(properties::setProperty);
        ds.getProperties().forEach(properties::setProperty);
        if (ds.getUsername() != null) {
            properties.setProperty("user", ds.getUsername());
        }
        try {
            String password = password(name, ds);
            if (password != null) {
                properties.setProperty("password", password);
            }
        } catch (HubException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, where + ": "
                    + id.go.pdn.hub.core.EndpointErrors.explain(e) + " (hub.datasources." + name + ".password)", e);
        }
        if (java.sql.DriverManager.getLoginTimeout() == 0) {
            java.sql.DriverManager.setLoginTimeout(10); // a dropped SYN ends as a timeout, not as a hung start
        }
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(ds.getUrl(), properties)) {
            connection.isValid(10);
        } catch (java.sql.SQLException | RuntimeException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, where + ": "
                    + id.go.pdn.hub.core.EndpointErrors.explain(e) + " (" + oneLine(e) + ")", e);
        }
    }

    private static String oneLine(Throwable e) {
        String line = id.go.pdn.hub.core.Redaction.text(id.go.pdn.hub.core.Errors.oneLine(e));
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static String password(String name, DbProperties.Datasource ds) {
        return Secrets.inlineOrFile(ds.getPassword(), ds.getPasswordFile(), "datasource '" + name + "'");
    }

    @Override
    public void destroy() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}

package id.go.pdn.hub.core.ledger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A short command, reading ({@code hub.reading=true}: status, plan, report) or copying without serving
 * ({@code hub.once=true}: run --once, cutover, demo), opens the ledger without Flyway's migrate (a scan of the
 * migrations, a validation of their checksums, a lock on the history table) when the ledger's schema history already
 * lists every migration the hub brings, as it does after any earlier command. A new or older ledger is migrated as
 * always. A serving hub and the tools (dlq, reset) always migrate (and validate).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${hub.reading:false} or ${hub.once:false}")
public class LedgerSchema {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSchema.class);
    private static final Pattern VERSIONED = Pattern.compile("^V([0-9][0-9_.]*)__.*\\.sql$");

    @Bean
    FlywayMigrationStrategy migrateOnlyIfBehind() {
        return flyway -> {
            if (!current(flyway)) {
                flyway.migrate();
            }
        };
    }

    /** Whether the schema history holds every versioned migration of the configured locations, each successful. */
    static boolean current(Flyway flyway) {
        DataSource dataSource = flyway.getConfiguration().getDataSource();
        String table = flyway.getConfiguration().getTable();
        try (Connection connection = dataSource.getConnection()) {
            String vendor = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            Set<String> expected = new HashSet<>();
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(LedgerSchema.class.getClassLoader());
            for (var location : flyway.getConfiguration().getLocations()) {
                String path = location.getRootPath().replace("{vendor}", vendor);
                for (Resource resource : resolver.getResources("classpath*:" + path + "/*.sql")) {
                    Matcher versioned = VERSIONED.matcher(String.valueOf(resource.getFilename()));
                    if (versioned.matches()) {
                        expected.add(normal(versioned.group(1)));
                    }
                }
            }
            Set<String> applied = new HashSet<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT \"version\" FROM \"" + table + "\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
                while (rows.next()) {
                    applied.add(normal(rows.getString(1)));
                }
            }
            return !expected.isEmpty() && applied.containsAll(expected);
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.debug("Cannot read the ledger's schema history ({}): migrating", e.getMessage());
            return false; // no history yet, or unreadable: Flyway decides
        }
    }

    private static String normal(String version) {
        return version.replace('_', '.').replaceAll("(\\.0+)+$", "");
    }
}

package id.go.pdn.hub.db.dialect;

import java.util.List;
import id.go.pdn.hub.core.HubException;

/** The supported engines, found by JDBC URL. */
public final class Dialects {

    private static final List<Dialect> ALL = List.of(new PostgresDialect(), new MariaDbDialect(), new H2Dialect());

    private Dialects() {
    }

    public static Dialect forUrl(String jdbcUrl) {
        return ALL.stream().filter(d -> d.handles(jdbcUrl)).findFirst().orElseThrow(() -> new HubException(
                HubException.ErrorCode.CONFIGURATION, "Cannot use JDBC URL " + jdbcUrl + ": the hub reads and writes "
                        + "jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: and jdbc:h2: URLs"));
    }
}

package id.go.pdn.hub.db;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a database error means: whether a retry may pass it (SQLSTATE classes), whether the data was refused (so the
 * refused rows are hunted), the refused column, and the server's message as one line.
 */
final class DbErrors {

    /** MariaDB error codes for refused data whose SQLSTATE is a catch-all (HY000, 01000). */
    private static final Set<Integer> MARIADB_DATA_ERRORS = Set.of(1048, 1062, 1264, 1265, 1292, 1366, 1406, 1452);
    /** SQLSTATE classes that mean "the connection or the server, not the data": 08 connection, 40 rollback, 53 resources, 57 operator, 58 system. */
    private static final Set<String> RETRIABLE_SQLSTATE_CLASSES = Set.of("08", "40", "53", "57", "58");
    private static final Pattern COLUMN_IN_WHERE = Pattern.compile("column ([^:,]+)");
    private static final Pattern COLUMN_IN_MESSAGE = Pattern.compile("column ['`\"]([^'`\"]+)['`\"]");

    private DbErrors() {
    }

    /**
     * A lost connection, a rollback by the server, a server short of resources: retried. Refused data (22, 23, a
     * MariaDB data error) and statements the target cannot run (42): final, since the same row is refused again.
     */
    static Optional<Boolean> isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return Optional.of(true);
            }
            if (t instanceof SQLException sql) {
                if (isDataError(sql)) {
                    return Optional.of(false);
                }
                String state = sql.getSQLState();
                if (state != null && state.length() >= 2) {
                    if (RETRIABLE_SQLSTATE_CLASSES.contains(state.substring(0, 2))) {
                        return Optional.of(true);
                    }
                    if (state.startsWith("42")) {
                        return Optional.of(false);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the server refused a value or a row (SQLSTATE 22 data, 23 constraint, or a MariaDB data error). */
    static boolean isDataError(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
                if (MARIADB_DATA_ERRORS.contains(sql.getErrorCode()) && (state == null || !state.startsWith("08"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The refused column, from PostgreSQL's error fields or the text of MariaDB's and H2's messages. */
    static String columnOf(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server.getColumn() != null) {
                return server.getColumn();
            }
            if (server.getWhere() != null) {
                Matcher m = COLUMN_IN_WHERE.matcher(server.getWhere());
                if (m.find()) {
                    return m.group(1).strip();
                }
            }
        }
        Matcher m = COLUMN_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    /** The server's message on one line, with its SQLSTATE. */
    static String serverMessage(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            return psql.getServerErrorMessage().getMessage() + " (SQLSTATE " + psql.getSQLState() + ")";
        }
        return e.getMessage().strip().replaceAll("\\s*\\n\\s*", " ") + " (SQLSTATE " + e.getSQLState() + ")";
    }
}

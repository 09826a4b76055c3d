package id.go.pdn.hub.core;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Decides whether an error may pass with a retry, and writes it as one readable line. */
public final class Errors {

    /** SQLSTATE classes that mean "the connection or the server, not the data": 08 connection, 40 rollback, 53 resources, 57 operator, HY (driver I/O). */
    private static final Set<String> RETRIABLE_SQLSTATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private Errors() {
    }

    /** Wraps a worker's error as {@link ItemFailure.Retriable} or {@link ItemFailure.Final} with a message naming the item. */
    public static ItemFailure classify(String what, Throwable error) {
        if (error instanceof ItemFailure failure) {
            return failure;
        }
        String message = "Cannot " + what + ": " + oneLine(error);
        return isRetriable(error) ? new ItemFailure.Retriable(message, error) : new ItemFailure.Final(message, error);
    }

    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HubException hub) {
                return hub.code() == HubException.ErrorCode.CONNECTION;
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
                String sqlState = sql.getSQLState();
                if (RETRIABLE_SQLSTATE_CLASSES.contains(sqlState.substring(0, 2))) {
                    return true;
                }
                if (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("42")) {
                    return false;
                }
            }
        }
        // Unknown errors are retried and then dead-lettered: a replay stays possible, nothing is dropped.
        return !(error instanceof IllegalArgumentException || error instanceof HubException);
    }

    /** The error and its causes as one line, without repeating the same text. */
    public static String oneLine(Throwable error) {
        StringBuilder line = new StringBuilder();
        String previous = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (previous == null || !previous.contains(text)) {
                if (line.length() > 0) {
                    line.append(" <- ");
                }
                line.append(text.replaceAll("\\s*\\n\\s*", " "));
            }
            previous = text;
        }
        return line.toString();
    }
}

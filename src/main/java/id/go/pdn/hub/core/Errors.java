package id.go.pdn.hub.core;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether an error may pass with a retry, and writes it as one readable line. What an error means for one kind
 * (a SQLSTATE, an IMAP response) is the kind's to say ({@link MigrationCapability#isRetriable}); the rules here are
 * those every kind shares.
 */
public final class Errors {

    private Errors() {
    }

    /** Wraps a worker's error as {@link ItemFailure.Retriable} or {@link ItemFailure.Final} with a message naming the item. */
    public static ItemFailure classify(String what, Throwable error, Function<Throwable, Optional<Boolean>> kindRule) {
        if (error instanceof ItemFailure failure) {
            return failure;
        }
        String message = "Cannot " + what + ": " + oneLine(error);
        if (EndpointErrors.noWritePermission(error)) { // the path is in the error; say what it is and what fixes it
            message = "Cannot " + what + ": no write permission (" + oneLine(error) + "); " + EndpointErrors.explain(error).fix();
        }
        return isRetriable(error, kindRule) ? new ItemFailure.Retriable(message, error) : new ItemFailure.Final(message, error);
    }

    public static boolean isRetriable(Throwable error, Function<Throwable, Optional<Boolean>> kindRule) {
        Optional<Boolean> byKind = kindRule.apply(error);
        if (byKind.isPresent()) {
            return byKind.get();
        }
        if (EndpointErrors.noWritePermission(error)) {
            return false; // fails the same way until someone changes the folder's owner or mode
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HubException hub) {
                return hub.code() == HubException.ErrorCode.CONNECTION;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        // Unknown errors are retried and then dead-lettered: a replay stays possible, nothing is dropped.
        return !(error instanceof IllegalArgumentException || error instanceof HubException);
    }

    /** The first of the error and its causes that is of this type. */
    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
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

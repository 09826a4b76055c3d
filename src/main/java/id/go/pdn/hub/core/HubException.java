package id.go.pdn.hub.core;

/** An error the hub explains: what it could not do, the cause, and where possible the fix. */
public class HubException extends RuntimeException {

    private final ErrorCode code;

    public HubException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public HubException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public enum ErrorCode {
        /** A route or setting is wrong; the message says which and how to fix it. */
        CONFIGURATION,
        /** A source or target cannot be reached or refused the credentials. */
        CONNECTION,
        /** The target refused some data (bad value, constraint); retrying will not help. */
        REJECTED,
        /** Both sides were read after the copy and they differ. */
        VERIFICATION,
        /** The ledger says this migration's plan no longer matches its declaration. */
        PLAN_CHANGED
    }
}

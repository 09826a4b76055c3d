package id.go.pdn.hub.core.jmx;

import java.util.function.Supplier;
import id.go.pdn.hub.core.Redaction;
import id.go.pdn.hub.core.ledger.AuditEntry;
import id.go.pdn.hub.core.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an operation called on the hub and writes it to the ledger's audit trail (table hub_audit), failed or not. */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger("hub.audit");

    private AuditTrail() {
    }

    /**
     * Calls the operation and records who called it, from where, on what and its answer (or its error, then rethrown).
     *
     * @param migration null for a hub-wide operation
     */
    public static String record(Ledger ledger, Caller caller, String migration, String application, String operation,
                                Supplier<String> call) {
        String outcome;
        try {
            outcome = call.get();
        } catch (RuntimeException e) {
            write(ledger, caller, migration, application, operation, "failed: " + Redaction.text(String.valueOf(e.getMessage())));
            throw e;
        }
        write(ledger, caller, migration, application, operation, outcome);
        return outcome;
    }

    private static void write(Ledger ledger, Caller caller, String migration, String application, String operation, String outcome) {
        LOG.info("{} by {} from {} ({}){}: {}", operation, caller.who(), caller.address(), caller.channel(),
                migration == null ? "" : " on " + migration, outcome);
        try {
            ledger.audit(new AuditEntry(null, caller.who(), caller.address(), caller.channel(), migration, application, operation, outcome));
        } catch (RuntimeException e) { // the operation happened: say so loudly rather than hide its answer
            LOG.error("Cannot write the audit trail for {} by {}: {}", operation, caller.who(), e.getMessage());
        }
    }
}

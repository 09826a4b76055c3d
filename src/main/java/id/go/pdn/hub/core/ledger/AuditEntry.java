package id.go.pdn.hub.core.ledger;

import java.time.OffsetDateTime;

/**
 * One operation called on the hub (table {@code hub_audit}): who, when, from which address, through what
 * ({@code jolokia}, {@code jmx}, {@code jmx-local}, {@code cli}), on which migration (null: the whole hub), and what came of it.
 */
public record AuditEntry(OffsetDateTime at, String who, String address, String channel, String migration, String application,
                         String operation, String outcome) {
}

package id.go.pdn.hub.ops;

import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;

/**
 * What a logged-in user may do with the hub's MBeans, through Jolokia (and so Hawtio) or remote JMX: deny by default.
 * <ul>
 *   <li>read attributes of the hub ({@code hub}), Camel ({@code org.apache.camel}), Artemis and {@code java.lang}, never
 *       the JVM's arguments and system properties (a {@code -Dpassword=...} would show);</li>
 *   <li>call only the hub's own operations, and only as {@code operator}: a migration's start, stop, pause, resume,
 *       verify, retryFailed and the hub's replayDeadLetters. Never an operation of Camel (its context can send a message
 *       anywhere or evaluate {@code ${env:...}}), Artemis, the JVM or Jolokia;</li>
 *   <li>never write an attribute, never create or register an MBean.</li>
 * </ul>
 * Everything else is invisible too: searches and lists show only readable MBeans.
 */
public final class ManagementPolicy {

    static final Set<String> READABLE_DOMAINS = Set.of("hub", "org.apache.camel", "org.apache.activemq.artemis", "java.lang",
            "JMImplementation");
    /** Attributes never read, even in a readable domain. */
    static final Map<String, Set<String>> SECRET_ATTRIBUTES = Map.of(
            "java.lang:type=Runtime", Set.of("InputArguments", "SystemProperties"));
    static final Set<String> MIGRATION_OPERATIONS = Set.of("start", "stop", "pause", "resume", "verify", "retryFailed");
    static final Set<String> HUB_OPERATIONS = Set.of("replayDeadLetters");
    /** Hawtio asks this MBean which operations the user may call, to show the others locked (every user may ask). */
    public static final String ACCESS_MBEAN = "hub:type=security,area=jmx";

    private ManagementPolicy() {
    }

    /** Whether the MBean shows in searches and lists at all. */
    public static boolean visible(ObjectName name) {
        return READABLE_DOMAINS.contains(name.getDomain());
    }

    public static boolean mayRead(ObjectName name, String attribute) {
        if (!visible(name) || name.isPattern()) {
            return visible(name);
        }
        Set<String> secret = SECRET_ATTRIBUTES.get(name.getCanonicalName());
        return secret == null || attribute == null || !secret.contains(attribute);
    }

    /** Whether this user may call the operation; {@code operator}: the user has the operator role. */
    public static boolean mayInvoke(ObjectName name, String operation, boolean operator) {
        if (!"hub".equals(name.getDomain()) || name.isPattern() || operation == null) {
            return false;
        }
        String bare = operation.contains("(") ? operation.substring(0, operation.indexOf('(')) : operation; // Jolokia: op(sig)
        String type = name.getKeyProperty("type");
        if ("security".equals(type) && "jmx".equals(name.getKeyProperty("area"))) {
            return bare.equals("canInvoke");
        }
        if (!operator) {
            return false;
        }
        return "migration".equals(type) && MIGRATION_OPERATIONS.contains(bare) || "hub".equals(type) && HUB_OPERATIONS.contains(bare);
    }

    /** Operations that only answer a question (Hawtio's canInvoke): allowed by GET too. */
    public static boolean readOnly(ObjectName name, String operation) {
        return "security".equals(name.getKeyProperty("type")) && operation != null && operation.startsWith("canInvoke");
    }

    /** Attributes are never written, by anybody. */
    public static boolean mayWrite(ObjectName name, String attribute) {
        return false;
    }
}

package id.go.pdn.hub.ops;

/** What a user of the management port and of remote JMX may do. */
public enum ManagementRole {

    /** Reads: status, Jolokia reads, Prometheus, Hawtio without operations. */
    VIEWER,
    /** A viewer who may also call the hub's operations (start, stop, pause, resume, verify, retryFailed, replay dead letters). */
    OPERATOR;

    /** The Spring Security authority of this role ({@code ROLE_VIEWER}, {@code ROLE_OPERATOR}). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role names that the authorities of a logged-in user grant: an operator is a viewer too. */
    public static boolean grantsOperator(Iterable<String> authorities) {
        for (String authority : authorities) {
            if (OPERATOR.authority().equals(authority)) {
                return true;
            }
        }
        return false;
    }
}

package id.go.pdn.hub.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import id.go.pdn.hub.core.HubException;

/** Turns a failed start into a few readable lines: what failed (route, file, line), why, and the fix. */
public final class StartupErrors {

    private StartupErrors() {
    }

    public static String explain(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HubException hub) {
                return "hub: " + hub.getMessage();
            }
        }
        Set<String> lines = new LinkedHashSet<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                // "org.apache.camel.FailedToCreateRouteException: Failed to ..." reads "Failed to ..."
                String message = t.getMessage().strip().replaceAll("(?m)^([\\w$]+\\.)+[\\w$]*(Exception|Error): ", "")
                        .replaceAll("\\s*\\n\\s*", " ");
                if (lines.stream().noneMatch(l -> l.contains(message))) {
                    lines.add(message);
                }
            }
        }
        return "hub: cannot start: " + String.join(" <- ", lines);
    }
}

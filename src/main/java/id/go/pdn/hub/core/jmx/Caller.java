package id.go.pdn.hub.core.jmx;

import java.lang.reflect.Method;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.security.AccessController;
import java.security.Principal;
import java.util.function.Supplier;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Who calls an operation of the hub, from which address and through what ({@code jolokia}, {@code jmx} for remote JMX,
 * {@code jmx-local} for a JMX client attached to the process, {@code cli}): the audit trail's columns.
 */
public record Caller(String who, String address, String channel) {

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** The caller of the operation running in this thread. */
    public static Caller current() {
        Caller bound = CURRENT.get();
        if (bound != null) {
            return bound;
        }
        Subject subject = currentSubject(); // remote JMX runs each call as the subject its authenticator returned
        if (subject != null) {
            String who = subject.getPrincipals(JMXPrincipal.class).stream().map(Principal::getName).findFirst()
                    .orElse(subject.getPrincipals().stream().map(Principal::getName).findFirst().orElse("?"));
            return new Caller(who, rmiClientHost(), "jmx");
        }
        return local("jmx-local");
    }

    /** This process's operating-system user, on this machine (a local JMX client must be that user). */
    public static Caller local(String channel) {
        return new Caller(System.getProperty("user.name", "?"), "local", channel);
    }

    /** Runs the call with this caller bound to the thread (the management port binds its logged-in user). */
    public static <T> T as(Caller caller, Supplier<T> call) {
        Caller before = CURRENT.get();
        CURRENT.set(caller);
        try {
            return call.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** Binds the caller to this thread until {@link #unbind()} (a servlet filter's way). */
    public static void bind(Caller caller) {
        CURRENT.set(caller);
    }

    public static void unbind() {
        CURRENT.remove();
    }

    private static String rmiClientHost() {
        try {
            return RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            return "?";
        }
    }

    /**
     * The JAAS subject of this call. {@code Subject.current()} from Java 18 on (where it replaces the deprecated
     * {@code getSubject}, which newer JDKs refuse); {@code getSubject} on Java 17.
     */
    @SuppressWarnings({"deprecation", "removal"})
    public static Subject currentSubject() {
        try {
            Method current = Subject.class.getMethod("current");
            return (Subject) current.invoke(null);
        } catch (NoSuchMethodException e) {
            return Subject.getSubject(AccessController.getContext());
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

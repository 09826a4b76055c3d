package id.go.pdn.hub.ops;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.AttributeList;
import javax.management.MBeanServer;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;
import id.go.pdn.hub.core.jmx.Caller;

/**
 * What a remote JMX user may do, the JDK's way: an {@link MBeanServerForwarder} in front of the platform MBean server,
 * given to the connector server. The same {@link ManagementPolicy} as Jolokia's, for the role of the subject the
 * connector authenticated: reads of the allowed domains (queries see nothing else), operations of the hub for operators,
 * never an attribute write, an MBean created, registered or removed, or a class loader handed out.
 */
final class JmxAccessForwarder implements InvocationHandler {

    private static final Set<String> PASS_THROUGH = Set.of("getMBeanCount", "getDefaultDomain");
    private static final Set<String> NEEDS_VISIBLE_NAME = Set.of("getMBeanInfo", "getObjectInstance", "isRegistered",
            "isInstanceOf", "addNotificationListener", "removeNotificationListener");

    private MBeanServer server;

    private JmxAccessForwarder() {
    }

    static MBeanServerForwarder create() {
        return (MBeanServerForwarder) Proxy.newProxyInstance(MBeanServerForwarder.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, new JmxAccessForwarder());
    }

    /** The role principal a remote JMX subject carries. */
    record RolePrincipal(String getName) implements Principal {
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("getMBeanServer")) {
            return server;
        }
        if (name.equals("setMBeanServer")) {
            server = (MBeanServer) args[0];
            return null;
        }
        Subject subject = Caller.currentSubject();
        if (subject == null) {
            // the connector itself (setting up a connection: its class loader repository): every client call runs as the
            // subject the authenticator returned, which always exists (as the JDK's MBeanServerFileAccessController)
            return call(method, args);
        }
        boolean operator = subject.getPrincipals(RolePrincipal.class).stream()
                .anyMatch(p -> p.getName().equals(ManagementRole.OPERATOR.authority()));
        switch (name) {
            case "getAttribute" -> require(ManagementPolicy.mayRead((ObjectName) args[0], (String) args[1]), "read", args[0], args[1]);
            case "getAttributes" -> {
                ObjectName target = (ObjectName) args[0];
                require(ManagementPolicy.visible(target), "read", target, "");
                args = new Object[] {target, Arrays.stream((String[]) args[1]).filter(a -> ManagementPolicy.mayRead(target, a))
                        .toArray(String[]::new)};
            }
            case "invoke" -> require(ManagementPolicy.mayInvoke((ObjectName) args[0], (String) args[1], operator), "invoke",
                    args[0], args[1]);
            case "queryNames", "queryMBeans", "getDomains" -> {
                return visibleOnly(call(method, args));
            }
            default -> {
                if (PASS_THROUGH.contains(name)) {
                    break;
                }
                boolean listenerIsAnMBean = args != null && args.length > 1 && args[1] instanceof ObjectName;
                if (NEEDS_VISIBLE_NAME.contains(name) && !listenerIsAnMBean) {
                    require(ManagementPolicy.visible((ObjectName) args[0]), name, args[0], "");
                } else {
                    // setAttribute(s), createMBean, registerMBean, unregisterMBean, instantiate, deserialize, class loaders
                    throw new SecurityException("Access denied: " + name + " is not allowed over remote JMX");
                }
            }
        }
        Object result = call(method, args);
        if (name.equals("getAttributes")) {
            return result instanceof AttributeList list ? list : new AttributeList();
        }
        return result;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(server, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static Object visibleOnly(Object result) {
        if (result instanceof String[] domains) {
            return Arrays.stream(domains).filter(ManagementPolicy.READABLE_DOMAINS::contains).toArray(String[]::new);
        }
        if (result instanceof Set<?> set) {
            return set.stream().filter(o -> ManagementPolicy.visible(o instanceof ObjectInstance i ? i.getObjectName() : (ObjectName) o))
                    .collect(Collectors.toSet());
        }
        return result;
    }

    private static void require(boolean allowed, String what, Object name, Object member) {
        if (!allowed) {
            throw new SecurityException("Access denied: " + what + " " + name + (member == null || "".equals(member) ? "" : " " + member));
        }
    }
}

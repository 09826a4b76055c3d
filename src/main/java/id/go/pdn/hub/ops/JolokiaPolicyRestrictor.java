package id.go.pdn.hub.ops;

import java.util.List;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Jolokia's access control on the management port ({@code management.endpoint.jolokia.config.restrictorClass}): the
 * {@link ManagementPolicy} for the user logged in to this request (Spring Security has put it in this thread). Reads,
 * lists, searches and operations; never writes or notifications; operations only of the hub's MBeans and only for
 * operators. The {@code Host} and {@code Origin} checks ran before, in {@link HostAllowListFilter}.
 */
public class JolokiaPolicyRestrictor implements Restrictor {

    private static final List<RequestType> TYPES = List.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC);

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type) && loggedIn() != null;
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return loggedIn() != null && ManagementPolicy.mayRead(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        Authentication user = loggedIn();
        // an operation changes something: never by GET (an <img> of another page could make one)
        boolean post = "POST".equals(LoggedInCallerFilter.currentMethod());
        return user != null && ManagementPolicy.mayInvoke(name, operation, isOperator(user))
                && (post || ManagementPolicy.readOnly(name, operation));
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // who may connect is decided by the address the port listens on, the login and the Host allow-list
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        // strict check: HostAllowListFilter has refused every foreign Origin already; no CORS headers for anybody
        return onlyWhenStrictCheckingIsEnabled;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return !ManagementPolicy.visible(name);
    }

    private static Authentication loggedIn() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken) ? authentication : null;
    }

    static boolean isOperator(Authentication user) {
        return ManagementRole.grantsOperator(user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }
}

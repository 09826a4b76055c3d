package id.go.pdn.hub.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import id.go.pdn.hub.core.jmx.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After the login: tells the hub's MBeans who calls them through Jolokia (the user, the client's address) for the audit
 * trail, and tells the Jolokia restrictor how the request came (operations only by POST: an image link is a GET).
 */
public class LoggedInCallerFilter extends OncePerRequestFilter {

    private static final ThreadLocal<String> METHOD = new ThreadLocal<>();

    /** The HTTP method of the management request this thread serves, or null outside one. */
    static String currentMethod() {
        return METHOD.get();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        Caller.bind(new Caller(user == null ? "anonymous" : user.getName(), request.getRemoteAddr(), "jolokia"));
        METHOD.set(request.getMethod());
        try {
            chain.doFilter(request, response);
        } finally {
            Caller.unbind();
            METHOD.remove();
        }
    }
}

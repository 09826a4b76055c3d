package id.go.pdn.hub.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses on the management port every request a browser makes on behalf of another site: a web page open in the
 * operator's browser could otherwise start, stop or pause migrations through Jolokia (a plain form POST or an image
 * URL needs no CORS permission). Tools (curl, {@code hub status}) send neither header and pass; Hawtio's own requests
 * are same-origin.
 */
public class CrossSiteRequestFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String fetchSite = request.getHeader("Sec-Fetch-Site"); // set by browsers: same-origin, same-site, cross-site, none
        String origin = request.getHeader("Origin");
        String own = request.getScheme() + "://" + request.getHeader("Host");
        boolean foreignFetch = fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
        boolean foreignOrigin = origin != null && !origin.equalsIgnoreCase(own);
        if (foreignFetch || foreignOrigin) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "The hub's management port answers its own pages and tools only");
            return;
        }
        chain.doFilter(request, response);
    }
}

package id.go.pdn.hub.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of the management port, before the login: refuses a request
 * <ul>
 *   <li>whose {@code Host} is not a loopback name, the address the port listens on or one of
 *       {@code hub.management.allowed-hosts} (a DNS-rebinding page names its own host here);</li>
 *   <li>whose {@code Origin} is not one of those hosts either (a page of another site), or that a browser marks as made
 *       for another site ({@code Sec-Fetch-Site: cross-site} or {@code same-site});</li>
 *   <li>that changes something (POST, PUT, DELETE) with a body a plain HTML form can send ({@code text/plain},
 *       form-encoded, multipart): a page of another site can send those without asking the browser's CORS check, which
 *       the hub never passes. Jolokia's clients (Hawtio, {@code hub status}, curl with {@code -H 'Content-Type:
 *       application/json'}) send JSON. The login form is the exception; it needs a browser's Origin of this port.</li>
 * </ul>
 * Tools that send none of these browser headers (curl, {@code hub status}, Prometheus) pass on to the login.
 */
public class HostAllowListFilter extends OncePerRequestFilter {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final Set<String> FORM_TYPES = Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    static final String LOGIN_PATH = "/login";

    private final Set<String> allowed = new TreeSet<>();

    /**
     * @param configured {@code hub.management.allowed-hosts}
     * @param bindAddress {@code management.server.address}: a request to the address itself is to this port
     */
    public HostAllowListFilter(Collection<String> configured, String bindAddress) {
        allowed.addAll(LOOPBACK_NAMES);
        configured.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).forEach(allowed::add);
        if (bindAddress != null && !bindAddress.isBlank() && !isWildcard(bindAddress)) {
            String address = bindAddress.strip().toLowerCase(Locale.ROOT);
            allowed.add(address);
            allowed.add(address.contains(":") ? "[" + address + "]" : address);
        }
    }

    static boolean isWildcard(String address) {
        try {
            return InetAddress.getByName(address.strip()).isAnyLocalAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** The names this port answers to (for messages and tests). */
    public Set<String> allowedHosts() {
        return allowed;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = hostOf(request.getHeader("Host"));
        if (host == null || !isAllowed(host)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "This hub's management port does not answer to the host name '"
                    + host + "'; add it to hub.management.allowed-hosts if it is this hub's name");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !isAllowed(originHost(origin))) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "The hub's management port answers its own pages and tools only");
            return;
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site"); // set by browsers: same-origin, same-site, cross-site, none
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "The hub's management port answers its own pages and tools only");
            return;
        }
        if (changes(request) && formBody(request)) {
            boolean loginFromThisPort = LOGIN_PATH.equals(request.getServletPath()) && origin != null;
            if (!loginFromThisPort) {
                refuse(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                        "Send JSON (Content-Type: application/json): the management port takes no form posts");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private boolean isAllowed(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        return allowed.contains(name) || name.matches("127(\\.\\d{1,3}){3}"); // the whole 127/8 is this machine
    }

    /** The host part of a Host header ({@code name:port}, {@code [::1]:port}); null if there is none. */
    static String hostOf(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static String originHost(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return null; // "null" (a sandboxed frame, a file) or an odd scheme
            }
            return uri.getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean changes(HttpServletRequest request) {
        String method = request.getMethod();
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method));
    }

    private static boolean formBody(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return true; // a form without a type is text/plain to the browser
        }
        String bare = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return FORM_TYPES.contains(bare);
    }

    /** Answers here, not through the error page: that would be a second request, through the login. */
    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(message);
    }
}

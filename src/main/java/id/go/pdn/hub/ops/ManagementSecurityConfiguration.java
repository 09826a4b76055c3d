package id.go.pdn.hub.ops;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The login on the management port (the only HTTP port of a serving hub): everything but the liveness probe needs a
 * user of {@link ManagementUsers}, by HTTP Basic (tools: {@code hub status}, curl, Prometheus) or the login form
 * (a browser opening Hawtio). What a user may do in Jolokia is {@link JolokiaPolicyRestrictor}'s; requests of other
 * sites never get here ({@link HostAllowListFilter}, which also stands in for CSRF tokens: no form post passes it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ManagementSecurityConfiguration {

    public static final String LIVENESS = "/actuator/health/liveness";

    @Bean
    SecurityFilterChain managementSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(LIVENESS).permitAll()
                        .anyRequest().hasAuthority(ManagementRole.VIEWER.authority()))
                .httpBasic(basic -> basic.realmName("Migration Hub"))
                .formLogin(form -> form.permitAll())
                .logout(logout -> logout.permitAll())
                .csrf(csrf -> csrf.disable()) // HostAllowListFilter refuses cross-site and form requests before the login
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
        return http.build();
    }
}

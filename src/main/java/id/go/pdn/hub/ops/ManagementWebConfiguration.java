package id.go.pdn.hub.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Beans of the management port's own web context (Actuator, Jolokia, Hawtio): its filters around the login. */
@ManagementContextConfiguration(proxyBeanMethods = false)
public class ManagementWebConfiguration {

    /** Before anything else, the login included: Host, Origin and cross-site checks. */
    @Bean
    FilterRegistrationBean<HostAllowListFilter> hostAllowListFilter(ManagementProperties properties, Environment environment) {
        HostAllowListFilter filter = new HostAllowListFilter(properties.getAllowedHosts(),
                environment.getProperty("management.server.address"));
        FilterRegistrationBean<HostAllowListFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** After the login (Spring Security's filter is at -100): who calls, for the audit trail. */
    @Bean
    FilterRegistrationBean<LoggedInCallerFilter> loggedInCallerFilter() {
        FilterRegistrationBean<LoggedInCallerFilter> registration = new FilterRegistrationBean<>(new LoggedInCallerFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }
}

package id.go.pdn.hub.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** Beans of the management port's own web context (Actuator, Jolokia, Hawtio). */
@ManagementContextConfiguration(proxyBeanMethods = false)
public class ManagementWebConfiguration {

    @Bean
    FilterRegistrationBean<CrossSiteRequestFilter> crossSiteRequestFilter() {
        FilterRegistrationBean<CrossSiteRequestFilter> registration = new FilterRegistrationBean<>(new CrossSiteRequestFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}

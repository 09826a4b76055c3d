package id.go.pdn.hub.cli;

import org.apache.camel.CamelContext;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In a lazy context ({@link HubLauncher#reading()}) the Camel context is still made at once: it starts its routes when
 * it hears that the Spring context was refreshed, which a Camel context made later, during that event, never hears
 * (the routes' migrations would never load). No effect on an eager context.
 */
@Configuration(proxyBeanMethods = false)
public class CamelEagerStart {

    @Bean
    static LazyInitializationExcludeFilter camelContextMadeAtOnce() {
        return LazyInitializationExcludeFilter.forBeanTypes(CamelContext.class);
    }
}

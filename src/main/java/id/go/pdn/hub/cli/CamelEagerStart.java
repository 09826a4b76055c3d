package id.go.pdn.hub.cli;

import id.go.pdn.hub.core.camel.RoutePreflight;
import org.apache.camel.CamelContext;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In a lazy context ({@link HubLauncher#reading()}) two beans are still made at once, in this order of effect:
 * <ul>
 * <li>the route pre-flight ({@link RoutePreflight.Check}), so that a bad route is refused with its explained error
 * before Camel creates the route (and before anything is written in the data folder);</li>
 * <li>the Camel context: it starts its routes when it hears that the Spring context was refreshed, which a Camel
 * context made later, during that event, never hears (the routes' migrations would never load).</li>
 * </ul>
 * No effect on an eager context.
 */
@Configuration(proxyBeanMethods = false)
public class CamelEagerStart {

    @Bean
    static LazyInitializationExcludeFilter camelAndPreflightMadeAtOnce() {
        return LazyInitializationExcludeFilter.forBeanTypes(CamelContext.class, RoutePreflight.Check.class);
    }
}

package id.go.pdn.hub.core.schedule;

import java.time.Clock;
import java.util.Properties;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.HubProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.quartz.SchedulerFactoryBeanCustomizer;
import org.springframework.boot.autoconfigure.quartz.QuartzProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Quartz on the ledger's database, and the clock that maintenance windows are read from. */
@Configuration(proxyBeanMethods = false)
public class ScheduleConfiguration {

    /** The hub's clock; tests put a movable one in its place. */
    @Bean
    @ConditionalOnMissingBean
    Clock hubClock(HubProperties properties) {
        return Clock.system(properties.getTimeZone());
    }

    /** Starts the schedules after Camel started every route, i.e. after every migration registered itself. */
    @Bean
    CamelContextConfiguration startSchedulesAfterRoutes(HubProperties properties, ObjectProvider<Scheduler> scheduler) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                if (properties.getSchedules().isEnabled()) {
                    try {
                        scheduler.getObject().start();
                    } catch (SchedulerException e) {
                        throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot start the schedules: " + e.getMessage(), e);
                    }
                }
            }
        };
    }

    /**
     * PostgreSQL stores Quartz's job data as bytea: it needs its own delegate; H2 works with the standard one. (Quartz's
     * settings are looked up when Quartz is made: a command that fires no schedules leaves Quartz out.)
     */
    @Bean
    SchedulerFactoryBeanCustomizer ledgerJobStore(HubProperties properties, ObjectProvider<QuartzProperties> quartz) {
        return factory -> {
            String url = properties.getLedger().getUrl();
            if (url != null && url.startsWith("jdbc:postgresql:")) {
                Properties settings = new Properties();
                settings.putAll(quartz.getObject().getProperties()); // what Boot gave the factory, which this replaces
                settings.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
                factory.setQuartzProperties(settings);
            }
        };
    }
}

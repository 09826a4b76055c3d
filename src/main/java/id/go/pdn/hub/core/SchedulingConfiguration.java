package id.go.pdn.hub.core;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** Threads for cron-triggered and operator-started runs. */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

    @Bean
    ThreadPoolTaskScheduler hubScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(4);
        scheduler.setThreadNamePrefix("hub-run-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }
}

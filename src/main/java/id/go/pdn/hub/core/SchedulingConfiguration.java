package id.go.pdn.hub.core;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** Threads for runs started by operators and commands (cron fires run on Quartz's threads). */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

    @Bean
    ThreadPoolTaskScheduler hubScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(16); // a run holds its thread while it lasts
        scheduler.setThreadNamePrefix("hub-run-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }
}

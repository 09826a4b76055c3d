package id.go.pdn.hub.core.schedule;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.HubProperties;
import id.go.pdn.hub.core.Migration;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The cron schedules of migrations, as Quartz jobs in the ledger's database: one job and one cron trigger per
 * migration (group {@value #GROUP}). A trigger that is already stored with the same cron, time zone and misfire policy
 * is left as it is, so that a restart keeps its next fire time and Quartz sees the fires the hub missed while it was down.
 */
@Component
public class MigrationSchedules {

    static final String GROUP = "hub-migrations";
    private static final Logger LOG = LoggerFactory.getLogger(MigrationSchedules.class);

    private final ObjectProvider<Scheduler> quartz;
    private final HubProperties properties;
    private final java.util.concurrent.atomic.AtomicLong fires = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param quartz the ledger's Quartz scheduler, looked up when first needed: a reading command (plan, report) has
     *               none and never schedules
     */
    public MigrationSchedules(ObjectProvider<Scheduler> quartz, HubProperties properties) {
        this.quartz = quartz;
        this.properties = properties;
    }

    private Scheduler scheduler() {
        return quartz.getObject();
    }

    /**
     * Checks the migration's cron, window and misfire options without scheduling anything, and returns its maintenance
     * window if it has one; a problem names the migration's route file and line.
     */
    public static Optional<MaintenanceWindow> validate(Migration migration, String defaultMisfire) {
        try {
            String cron = migration.common().getCron();
            if (cron != null && !cron.isBlank()) {
                quartzCron(cron, migration.name());
            }
            misfirePolicy(migration, defaultMisfire);
            return window(migration);
        } catch (HubException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": "
                    + e.getMessage().replaceFirst("^(Cannot schedule migration|Migration) [^:]*: ", ""), e);
        }
    }

    /** The migration's maintenance window, if it has one. */
    private static Optional<MaintenanceWindow> window(Migration migration) {
        String window = migration.common().getWindow();
        return window == null || window.isBlank() ? Optional.empty() : Optional.of(MaintenanceWindow.parse(window, migration.name()));
    }

    /**
     * Stores or updates the migration's schedule; false if it has no cron or schedules are off in this hub. A route
     * that lost its cron loses its stored schedule too.
     */
    public boolean schedule(Migration migration) {
        String cron = migration.common().getCron();
        if (!properties.getSchedules().isEnabled()) {
            return false;
        }
        if (cron == null || cron.isBlank()) {
            try {
                if (scheduler().checkExists(JobKey.jobKey(migration.name(), GROUP))) {
                    LOG.info("Migration {} has no cron any more: its stored schedule is removed", migration.name());
                    unschedule(migration.name());
                }
            } catch (SchedulerException e) {
                LOG.warn("Cannot look up the schedule of {}: {}", migration.name(), e.getMessage());
            }
            return false;
        }
        ZoneId zone = properties.getTimeZone();
        String expression = quartzCron(cron, migration.name());
        boolean skipMissed = misfirePolicy(migration, properties.getSchedules().getMisfire()).equals("skip");
        CronScheduleBuilder schedule = CronScheduleBuilder.cronSchedule(expression).inTimeZone(TimeZone.getTimeZone(zone));
        schedule = skipMissed ? schedule.withMisfireHandlingInstructionDoNothing() : schedule.withMisfireHandlingInstructionFireAndProceed();
        JobKey job = JobKey.jobKey(migration.name(), GROUP);
        TriggerKey key = TriggerKey.triggerKey(migration.name(), GROUP);
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                .withDescription("cron of migration " + migration.name()).withSchedule(schedule).build();
        try {
            if (scheduler().getTrigger(key) instanceof CronTrigger stored && stored.getCronExpression().equals(expression)
                    && stored.getTimeZone().toZoneId().equals(zone) && stored.getMisfireInstruction() == trigger.getMisfireInstruction()) {
                LOG.info("Migration {} scheduled: cron '{}' in {}, missed fires: {}; next at {}", migration.name(), cron, zone,
                        skipMissed ? "skip" : "run once", nextRunAt(migration.name()).map(Object::toString).orElse("never"));
                return true;
            }
            if (((CronTrigger) trigger).getFireTimeAfter(new Date()) == null) {
                // e.g. a cron with a year that is over: nothing left to schedule; a stored trigger keeps its missed fire
                LOG.info("Migration {}: cron '{}' fires no more", migration.name(), cron);
                return scheduler().checkExists(key);
            }
            JobDetail detail = JobBuilder.newJob(ScheduledRunJob.class).withIdentity(job).storeDurably()
                    .withDescription("runs migration " + migration.name()).build();
            scheduler().addJob(detail, true);
            if (scheduler().checkExists(key)) {
                scheduler().rescheduleJob(key, trigger);
            } else {
                scheduler().scheduleJob(trigger);
            }
            LOG.info("Migration {} scheduled: cron '{}' in {}, missed fires: {}; next at {}", migration.name(), cron, zone,
                    skipMissed ? "skip" : "run once", nextRunAt(migration.name()).map(Object::toString).orElse("never"));
            return true;
        } catch (SchedulerException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot schedule migration " + migration.describe()
                    + " in the ledger's job store: " + e.getMessage(), e);
        }
    }

    /** Removes a migration's schedule from the job store (e.g. `hub reset`, or a route that lost its cron). */
    public void unschedule(String migration) {
        try {
            scheduler().deleteJob(JobKey.jobKey(migration, GROUP));
        } catch (SchedulerException e) {
            LOG.warn("Cannot remove the schedule of {}: {}", migration, e.getMessage());
        }
    }

    ZoneId zone() {
        return properties.getTimeZone();
    }

    void countFire() {
        fires.incrementAndGet();
    }

    /** Schedule fires this hub took since it started (in a cluster, each fire is taken by one hub only). */
    public long firesTaken() {
        return fires.get();
    }

    /** When the schedule fires next, in the hub's time zone. */
    public Optional<ZonedDateTime> nextRunAt(String migration) {
        try {
            Scheduler scheduler = quartz.getIfAvailable();
            if (scheduler == null) {
                return Optional.empty();
            }
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(migration, GROUP));
            Date next = trigger == null ? null : trigger.getNextFireTime();
            return Optional.ofNullable(next).map(d -> d.toInstant().atZone(properties.getTimeZone()));
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /**
     * Quartz wants {@code ?} in one of day-of-month and day-of-week; engineers write Spring/Unix style
     * {@code 0 0 22 * * *}. Six or seven fields: seconds first.
     */
    static String quartzCron(String cron, String migration) {
        String[] fields = cron.trim().split("\\s+");
        if (fields.length == 6 || fields.length == 7) {
            if (!fields[3].equals("?") && !fields[5].equals("?")) {
                if (fields[5].equals("*")) {
                    fields[5] = "?";
                } else if (fields[3].equals("*")) {
                    fields[3] = "?";
                }
            }
            String expression = String.join(" ", fields);
            if (CronExpression.isValidExpression(expression)) {
                return expression;
            }
        }
        throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot schedule migration " + migration + ": cron '"
                + cron + "' is not valid; write six fields with seconds first, e.g. '0 0 22 * * *' for 22:00 every day");
    }

    private static String misfirePolicy(Migration migration, String defaultPolicy) {
        String policy = (migration.common().getMisfire() == null || migration.common().getMisfire().isBlank()
                ? defaultPolicy : migration.common().getMisfire()).trim().toLowerCase(java.util.Locale.ROOT);
        if (!policy.equals("run-once") && !policy.equals("skip")) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Migration " + migration.name() + ": misfire '"
                    + policy + "' is not valid; write run-once (a fire missed while the hub was down runs once at start-up) or skip");
        }
        return policy;
    }
}

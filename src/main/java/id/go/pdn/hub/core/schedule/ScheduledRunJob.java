package id.go.pdn.hub.core.schedule;

import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.MigrationRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fire of a migration's cron, taken by one hub of the cluster: starts a run in the background and returns, so
 * that Quartz's few threads are never held by runs that last all night (or wait for their window). Runs never overlap:
 * a fire while the previous run goes on (in this hub, or in another one: the run lease) is skipped and logged.
 */
@DisallowConcurrentExecution
public class ScheduledRunJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRunJob.class);

    private final MigrationRunner runner;
    private final MigrationSchedules schedules;

    public ScheduledRunJob(MigrationRunner runner, MigrationSchedules schedules) {
        this.runner = runner;
        this.schedules = schedules;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String migration = context.getJobDetail().getKey().getName();
        String trigger = "cron " + context.getScheduledFireTime().toInstant().atZone(schedules.zone()).toOffsetDateTime();
        schedules.countFire();
        if (!runner.isLoaded(migration)) {
            LOG.warn("Schedule of migration {} fired on this hub, which does not load it: give every hub on this ledger "
                    + "the same routes, or remove the schedule with `./hub reset {}`", migration, migration);
            return;
        }
        try {
            runner.startScheduled(migration, trigger);
        } catch (RuntimeException e) {
            LOG.error("Scheduled run of {} not started: {}", migration, Errors.oneLine(e));
        }
    }
}

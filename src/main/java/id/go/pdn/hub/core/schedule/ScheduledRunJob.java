package id.go.pdn.hub.core.schedule;

import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.MigrationRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fire of a migration's cron: runs the migration to its end on the Quartz thread. Quartz never starts the same
 * job twice at once, in the whole cluster, so a run that outlasts the interval makes the next fire wait (and then
 * follow the migration's misfire policy) instead of overlapping.
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
        String trigger = "cron " + context.getScheduledFireTime().toInstant();
        schedules.countFire();
        if (!runner.isLoaded(migration)) {
            LOG.warn("Schedule of migration {} fired on this hub, which does not load it: give every hub on this ledger "
                    + "the same routes, or remove the schedule with `./hub reset {}`", migration, migration);
            return;
        }
        try {
            runner.run(migration, trigger);
        } catch (HubException e) {
            LOG.warn("Scheduled run of {} not started: {}", migration, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Scheduled run of {} failed: {}", migration, Errors.oneLine(e), e);
        }
    }
}

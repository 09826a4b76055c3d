package id.go.pdn.hub.core.jmx;

/**
 * One per loaded migration, as {@code hub:type=migration,kind=<kind>,application=<app>,name=<migration>}.
 * Counts come from the ledger, so they also cover items done by earlier runs.
 */
public interface MigrationMXBean {

    /** Migration name (the route id). */
    String getName();

    /** Application the migration belongs to. */
    String getApplication();

    /** db, files or mail. */
    String getKind();

    /** What {@link #getRows()} counts for this kind: rows, files or messages. */
    String getUnit();

    /**
     * RUNNING, PAUSED (an operator paused it), WAITING_FOR_WINDOW (outside its maintenance window), VERIFYING, STOPPING,
     * or the state of the last run (SUCCEEDED, FAILED, STOPPED), or IDLE before any run.
     */
    String getState();

    /** Why the run takes no new items right now (paused, outside its window), empty if it does. */
    String getWaitingFor();

    /** The cron schedule, empty if it has none. */
    String getSchedule();

    /** Next scheduled run (ISO-8601, hub time zone), empty if not scheduled. */
    String getNextRunAt();

    /** Maintenance window (HH:mm-HH:mm, hub time zone), empty if it may run at any time. */
    String getWindow();

    /** Items in the plan [items]. */
    int getItemsTotal();

    /** Items copied and verified [items]. */
    int getItemsDone();

    /** Items FAILED or in the dead-letter queue [items]. */
    int getItemsFailed();

    /** Items listed but not copied on purpose (fifos, links, superseded ranges; the ledger says why) [items]. */
    int getItemsSkipped();

    /** Items deleted at the source whose copy the target still holds (deletions: report): a difference [items]. */
    int getItemsDeletedAtSource();

    /** Items deleted at the source and removed from the target by the hub (deletions: mirror) [items]. */
    int getItemsRemoved();

    /**
     * The oldest last comparison with the source among the verified items (ISO-8601, hub time zone): every verified item
     * was found equal to the source at this time or later. Empty when nothing is verified or a date is unknown.
     */
    String getEqualToSourceAsOf();

    /**
     * Verified items compared with the source in the latest run (a copy, a re-listing that found them unchanged, a
     * verify) [items]; fewer than {@link #getItemsDone()} means the others' proof is older (stale).
     */
    int getItemsComparedInLastRun();

    /** Rows (or messages, files) verified, all runs [rows]. */
    long getRows();

    /** Bytes verified, all runs [bytes]. */
    long getBytes();

    /** Rows verified by the current or last run per second of it [rows/s]. */
    double getRowsPerSecond();

    /** Bytes verified by the current or last run per second of it [bytes/s]. */
    double getBytesPerSecond();

    /** Items verified by the current or last run per second of it [items/s]. */
    double getItemsPerSecond();

    /** Time left for the current run at its rate so far [s]; -1 when not running or not yet known. */
    long getEstimatedSecondsLeft();

    /** Start of the current or last run (ISO-8601), empty before any run. */
    String getStartedAt();

    /** End of the last run (ISO-8601), empty while running. */
    String getFinishedAt();

    /** Last error of the migration: its run's message or the latest failed item's error. */
    String getLastError();

    /** Starts a run in the background; returns what it did. */
    String start();

    /** Stops the running run at the next item boundary. */
    String stop();

    /** Puts FAILED and dead-lettered items back in line and starts a run for them. */
    String retryFailed();

    /** Takes no new items (running ones finish) until resume; a run started meanwhile waits too. */
    String pause();

    /** Undoes pause. */
    String resume();

    /** Checks every verified item again, source against target, in the background; differences become FAILED items. */
    String verify();
}

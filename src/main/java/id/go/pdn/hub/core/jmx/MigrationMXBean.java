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

    /** RUNNING, STOPPING, or the state of the last run (SUCCEEDED, FAILED, STOPPED), or IDLE before any run. */
    String getState();

    /** Items in the plan [items]. */
    int getItemsTotal();

    /** Items copied and verified [items]. */
    int getItemsDone();

    /** Items FAILED or in the dead-letter queue [items]. */
    int getItemsFailed();

    /** Rows (or messages, files) verified, all runs [rows]. */
    long getRows();

    /** Bytes verified, all runs [bytes]. */
    long getBytes();

    /** Rows verified by the current or last run per second of it [rows/s]. */
    double getRowsPerSecond();

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
}

package id.go.pdn.hub.core.tracked;

/** A tracked route ({@code hub:type=tracked,name=<route>}): its exchanges as ledger items, this hub's view. */
public interface TrackedMXBean {

    /** The route id, which is the migration's name in the ledger. */
    String getRoute();

    /** The application the route belongs to (its {@code group}). */
    String getApplication();

    /** RUNNING while a batch of exchanges is in progress, else the last run's SUCCEEDED or FAILED, IDLE before any. */
    String getState();

    /** Exchanges copied and not compared by the route (it did not set hubVerified) since this hub started [items]. */
    long getItemsCopied();

    /** Exchanges the route compared itself and marked hubVerified=true since this hub started [items]. */
    long getItemsVerified();

    /** Exchanges that failed without reaching the dead-letter queue since this hub started [items]. */
    long getItemsFailed();

    /** Exchanges sent to the dead-letter queue after every retry since this hub started [items]. */
    long getItemsDead();

    /** Exchanges skipped because the ledger holds their key as done since this hub started [items]. */
    long getItemsSkipped();

    /** The current or last run's id in the ledger; -1 before any. */
    long getLastRunId();

    /** The last failed exchange's error, or empty. */
    String getLastError();
}

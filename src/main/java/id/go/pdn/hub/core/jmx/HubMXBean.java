package id.go.pdn.hub.core.jmx;

/**
 * The hub as a whole, as {@code hub:type=hub}: its queues, its workers and its migrations. Read it with jconsole
 * (remote JMX), Jolokia ({@code /actuator/jolokia/read/hub:type=hub}) or as Prometheus meters ({@code hub_*}).
 */
public interface HubMXBean {

    /** Messages waiting in the work queue [messages]; -1 when the broker cannot be asked. */
    long getWorkQueueDepth();

    /** Messages in the dead-letter queue [messages]; -1 when the broker cannot be asked. */
    long getDeadLetterQueueDepth();

    /**
     * How the queue depths were counted: "embedded broker" (exact), "browsed" (an external broker, counted by a
     * JMS browser up to a limit: a depth at the limit means at least that many), or why they are unavailable.
     */
    String getQueueDepthSource();

    /** Worker threads of this hub (hub.queue.workers) [threads]. */
    int getWorkersConfigured();

    /** Workers copying an item right now [threads]. */
    int getWorkersBusy();

    /** Migrations loaded from the routes [migrations]. */
    int getMigrationsLoaded();

    /** Migrations with a run going on [migrations]. */
    int getMigrationsRunning();

    /** This hub process: its configured hub.instance-id, else pid@host. */
    String getInstanceId();

    /** When this hub started (ISO-8601). */
    String getStartedAt();

    /** JDBC URL of the ledger, without user info or passwords. */
    String getLedgerUrl();

    /**
     * Sends the dead letters back to the work queue (as {@code hub dlq replay}): of one migration, or of every migration
     * when empty; a tracked route's letters stay (its next poll takes its DEAD items again). Operators only; says how
     * many were sent and how many of tracked routes were skipped.
     */
    String replayDeadLetters(String migration);
}

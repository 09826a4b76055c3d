package id.go.pdn.hub.core;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Settings under {@code hub.*}: where the hub keeps its state, its queue and its retry policy. */
@Validated
@ConfigurationProperties("hub")
public class HubProperties {

    /** Folder for the ledger (H2 default), the Artemis journal and the reports. */
    @NotNull
    private Path dataDir = Path.of("data");

    /** Time zone of cron schedules and of the times in reports. */
    @NotNull
    private ZoneId timeZone = ZoneId.of("Asia/Jakarta");

    @Valid
    private final Queue queue = new Queue();

    @Valid
    private final LedgerStore ledger = new LedgerStore();

    @Valid
    private final Retry retry = new Retry();

    @Valid
    private final Schedules schedules = new Schedules();

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public ZoneId getTimeZone() { return timeZone; }
    public void setTimeZone(ZoneId timeZone) { this.timeZone = timeZone; }
    public Queue getQueue() { return queue; }
    public LedgerStore getLedger() { return ledger; }
    public Retry getRetry() { return retry; }
    public Schedules getSchedules() { return schedules; }

    public Path reportsDir() { return dataDir.resolve("reports"); }

    /** Where the ledger lives: an H2 file under the data folder by default, PostgreSQL in production. */
    public static class LedgerStore {
        /** JDBC URL of the ledger; empty = H2 file {@code <data-dir>/ledger/ledger}. */
        private String url;
        /** User name of the ledger database. */
        private String username;
        /** Password of the ledger database; write {@code ${ENV_VAR}}. */
        private String password;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
    }

    /** The work queue on Artemis. */
    public static class Queue {
        /** Queue that carries work items. */
        @NotBlank
        private String workQueue = "hub.work";
        /** Dead-letter queue: items that failed after every retry. */
        @NotBlank
        private String deadLetterQueue = "hub.DLQ";
        /** Worker threads consuming work items in this hub (a migration's parallelism is capped by it). */
        @Min(1)
        private int workers = 8;
        /** Loopback port on which the embedded broker also listens, so that `hub dlq` reaches a running hub; 0 = none. */
        private int embeddedPort = 61617;

        public String getWorkQueue() { return workQueue; }
        public void setWorkQueue(String workQueue) { this.workQueue = workQueue; }
        public String getDeadLetterQueue() { return deadLetterQueue; }
        public void setDeadLetterQueue(String deadLetterQueue) { this.deadLetterQueue = deadLetterQueue; }
        public int getWorkers() { return workers; }
        public void setWorkers(int workers) { this.workers = workers; }
        public int getEmbeddedPort() { return embeddedPort; }
        public void setEmbeddedPort(int embeddedPort) { this.embeddedPort = embeddedPort; }
    }

    /** Retries of an item that failed for a reason that may pass (lost connection, target briefly down). */
    public static class Retry {
        /** Retries after the first attempt, before the item goes to the dead-letter queue. */
        @Min(0)
        private int maxRetries = 5;
        /** Delay before the first retry; doubles each time. */
        @NotNull
        private Duration initialDelay = Duration.ofSeconds(1);
        /** Longest delay between two retries. */
        @NotNull
        private Duration maxDelay = Duration.ofSeconds(60);

        public int getMaxRetries() { return maxRetries; }
        public void setMaxRetries(int maxRetries) { this.maxRetries = maxRetries; }
        public Duration getInitialDelay() { return initialDelay; }
        public void setInitialDelay(Duration initialDelay) { this.initialDelay = initialDelay; }
        public Duration getMaxDelay() { return maxDelay; }
        public void setMaxDelay(Duration maxDelay) { this.maxDelay = maxDelay; }
    }

    /** Cron schedules (Quartz; in the ledger's database, so several hubs on one ledger fire each schedule once). */
    public static class Schedules {
        /** Whether this hub fires cron schedules; commands that only read (status, report, plan) turn it off. */
        private boolean enabled = true;
        /**
         * What a schedule does about a fire it missed (the hub was down, or the previous run was still going on):
         * {@code run-once} runs it once as soon as possible, {@code skip} waits for the next fire. A migration's
         * {@code misfire} parameter overrides it.
         */
        @NotBlank
        private String misfire = "run-once";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getMisfire() { return misfire; }
        public void setMisfire(String misfire) { this.misfire = misfire; }
    }
}

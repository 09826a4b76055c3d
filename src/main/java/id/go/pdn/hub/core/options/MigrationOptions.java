package id.go.pdn.hub.core.options;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The options every kind of migration takes: which application it belongs to, how wide it runs, and when. */
@UriParams
public class MigrationOptions {

    @UriParam(description = "Application the migration belongs to (e.g. simpeg); reports group its database, files and mail by it.")
    @Metadata(required = true)
    private String application;

    @UriParam(defaultValue = "4", description = "Items of this migration copied at the same time (capped by hub.queue.workers).")
    private int parallelism = 4;

    @UriParam(label = "schedule", description = "Six-field cron (sec min hour day month weekday) in hub.time-zone, fired by a serving hub"
            + " (./hub run, not --once). Example: 0 0 22 * * *")
    private String cron;

    @UriParam(label = "schedule", description = "Maintenance window HH:mm-HH:mm in hub.time-zone (may cross midnight): outside it a run"
            + " takes no new items and waits. Example: 22:00-05:00")
    private String window;

    @UriParam(label = "schedule", enums = "run-once,skip", defaultValueNote = "hub.schedules.misfire",
            description = "A cron fire missed while the hub was down: run-once (at start-up) or skip (wait for the next); default"
                    + " hub.schedules.misfire.")
    private String misfire;

    public void validate() {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parameter 'parallelism' is '" + parallelism + "'; write a whole number above 0");
        }
    }

    public String getApplication() { return application; }
    public void setApplication(String application) { this.application = application; }
    public int getParallelism() { return parallelism; }
    public void setParallelism(int parallelism) { this.parallelism = parallelism; }
    public String getCron() { return cron; }
    public void setCron(String cron) { this.cron = cron; }
    public String getWindow() { return window; }
    public void setWindow(String window) { this.window = window; }
    public String getMisfire() { return misfire; }
    public void setMisfire(String misfire) { this.misfire = misfire; }
}

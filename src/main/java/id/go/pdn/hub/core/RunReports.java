package id.go.pdn.hub.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Writes each run's summary as JSON under {@code <data-dir>/reports/<application>/}, beside its reject files. */
@Component
public class RunReports {

    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);

    private final HubProperties properties;
    private final ObjectMapper json;

    public RunReports(HubProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The folder of an application's reports and reject files. */
    public Path applicationDir(String application) {
        return properties.reportsDir().resolve(application);
    }

    public Path write(RunSummary summary) {
        Path file = applicationDir(summary.application()).resolve(summary.migration() + "-run-" + summary.runId() + ".json");
        try {
            Files.createDirectories(file.getParent());
            json.writeValue(file.toFile(), summary);
        } catch (IOException e) {
            LOG.warn("Cannot write the run report {}: {}", file, e.getMessage());
        }
        return file;
    }
}

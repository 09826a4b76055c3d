package id.go.pdn.hub.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.stereotype.Component;

/** Writes a report as {@code report.json} (Jackson) and {@code report.html} (one self-contained page) into a folder. */
@Component
public class ReportWriter {

    private final ObjectMapper json;

    public ReportWriter(ObjectMapper json) {
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DATES_WITH_CONTEXT_TIME_ZONE); // keep hub.time-zone's offsets
    }

    public record Written(Path json, Path html) {
    }

    public Written write(ApplicationReport report, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path jsonFile = folder.resolve("report.json");
        Path htmlFile = folder.resolve("report.html");
        // written beside and renamed: a reader never sees half a report
        Path jsonPart = folder.resolve(".report.json.part");
        json.writeValue(jsonPart.toFile(), report);
        Files.move(jsonPart, jsonFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path htmlPart = folder.resolve(".report.html.part");
        Files.writeString(htmlPart, HtmlReport.render(report), StandardCharsets.UTF_8);
        Files.move(htmlPart, htmlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Written(jsonFile, htmlFile);
    }

    public String toJson(ApplicationReport report) throws IOException {
        return json.writeValueAsString(report);
    }
}

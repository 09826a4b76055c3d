package id.go.pdn.hub.mail;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/** Messages the target refused, one line each in {@code <migration>.mail.reject.log} beside the run reports. */
final class MailRejects {

    record Reject(String account, String folder, long uid, long size, String targetFolder, String answer) {

        String line() {
            return "account " + account + " folder " + folder + " uid " + uid + " (" + size + " bytes) -> " + targetFolder
                    + ": " + answer;
        }
    }

    private MailRejects() {
    }

    static synchronized Path append(Path dir, String migration, List<Reject> rejects) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(migration + ".mail.reject.log");
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (Reject reject : rejects) {
                out.write(Instant.now() + " " + reject.line());
                out.newLine();
            }
        }
        return log;
    }
}

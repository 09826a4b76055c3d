package id.go.pdn.hub.db;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Rows the target refused, like pgloader's reject.dat: {@code <migration>.<table>.reject.dat} holds the rows in
 * PostgreSQL COPY text format, {@code .reject.log} one line per row with its key, column and the target's error.
 */
final class RejectFile {

    record Reject(String key, String column, String error, String row) {
    }

    private RejectFile() {
    }

    static synchronized Path append(Path dir, String migration, String table, List<Reject> rejects) throws IOException {
        Files.createDirectories(dir);
        String base = (migration + "." + table).replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_");
        Path data = dir.resolve(base + ".reject.dat");
        Path log = dir.resolve(base + ".reject.log");
        try (BufferedWriter d = Files.newBufferedWriter(data, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             BufferedWriter l = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (Reject reject : rejects) {
                d.write(reject.row());
                d.newLine();
                l.write(table + " " + reject.key() + (reject.column() == null ? "" : " column " + reject.column()) + ": " + reject.error());
                l.newLine();
            }
        }
        return data;
    }
}

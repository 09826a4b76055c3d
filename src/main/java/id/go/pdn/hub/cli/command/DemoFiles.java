package id.go.pdn.hub.cli.command;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;

/** The demo application's uploads: a few hundred letters in dated folders, one 4 MB scan, awkward names, an empty folder. */
final class DemoFiles {

    static final int LETTERS = 300;
    static final int SCAN_BYTES = 4 << 20;

    private DemoFiles() {
    }

    static void uploads(Path root) throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < LETTERS; i++) {
            Path letter = root.resolve("surat masuk/2024-" + (1 + i % 12)).resolve("surat " + i + (i % 10 == 0 ? " Ñoman ꦱꦸꦂꦪ" : "") + ".txt");
            Files.createDirectories(letter.getParent());
            Files.writeString(letter, "Nomor: " + i + "/SIMPEG/2024\nPerihal: kenaikan pangkat " + "x".repeat(random.nextInt(2000)),
                    StandardCharsets.UTF_8);
            Files.setLastModifiedTime(letter, FileTime.fromMillis(1_700_000_000_000L + i * 60_000L));
        }
        Path scan = root.resolve("arsip/pindaian SK 1999 (asli).pdf");
        Files.createDirectories(scan.getParent());
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(scan)) {
            for (int written = 0; written < SCAN_BYTES; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        Files.createDirectories(root.resolve("foto/belum diunggah"));
    }
}

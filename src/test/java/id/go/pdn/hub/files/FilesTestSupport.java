package id.go.pdn.hub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Trees with hostile names, route YAML, and tree comparison for the file migration tests. */
public final class FilesTestSupport {

    private FilesTestSupport() {
    }

    /** The names the issue lists: spaces, unicode, quotes, shell characters, a newline, 240 bytes, dot files, depth. */
    public static void hostileTree(Path root) throws IOException {
        write(root.resolve("plain.txt"), "plain");
        write(root.resolve("with space and 'quotes' \"double\".txt"), "quotes");
        write(root.resolve("shell ;&$%#?!`*[x]{y}|<>.txt"), "shell");
        write(root.resolve("new\nline.txt"), "newline in the name");
        write(root.resolve("unicode ñoman ꦱꦸꦂꦪ 文件 🏠.txt"), "unicode");
        write(root.resolve(".hidden"), "dot file");
        write(root.resolve("empty.txt"), "");
        write(root.resolve("é".repeat(120)), "240 bytes of name"); // 120 x 2 bytes in UTF-8
        Path deep = root;
        for (int i = 0; i < 25; i++) {
            deep = deep.resolve("d" + i);
        }
        write(deep.resolve("deep.txt"), "deep");
        Files.createDirectories(root.resolve("empty folder/inner empty"));
        Path exec = root.resolve("bin/run.sh");
        write(exec, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-x---"));
        Path readOnly = root.resolve("bin/readonly.txt");
        write(readOnly, "read only");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
        Files.setLastModifiedTime(root.resolve("plain.txt"), FileTime.fromMillis(1_600_000_000_000L));
        Files.createSymbolicLink(root.resolve("link-out"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("link-in.txt"), Path.of("plain.txt"));
    }

    public static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Relative path -> "size sha256 mode" of every regular file and "dir" of every folder, links left out. */
    public static Map<String, String> tree(Path root, boolean withModes) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty() || Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    tree.put(rel, "dir");
                } else {
                    String mode = withModes ? " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) : "";
                    tree.put(rel, Files.size(p) + " " + sha256(p) + mode);
                }
            }
        }
        return tree;
    }

    public static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void assertNoPartFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            assertThat(paths.map(Path::toString)).noneMatch(p -> p.endsWith(FilesCapability.PART_SUFFIX));
        }
    }

    /** A file migration route in the short form. */
    public static String route(String id, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder("- route:\n    id: " + id + "\n    from:\n      uri: migration:files\n      parameters:\n");
        parameters.forEach((k, v) -> yaml.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("      steps:\n        - log: \"${body}\"\n");
        return yaml.toString();
    }

    /** Writes {@code size} bytes of a repeatable pseudo-random pattern, streaming. */
    public static void bigFile(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        java.util.Random random = new java.util.Random(42);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}

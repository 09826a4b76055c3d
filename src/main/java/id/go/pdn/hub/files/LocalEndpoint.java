package id.go.pdn.hub.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** A folder on a disk of the hub's machine ({@code file:/path}). */
final class LocalEndpoint implements FilesEndpoint {

    private final Path root;

    LocalEndpoint(Path root) {
        this.root = root;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    /** Resolves a relative path and makes sure it stays under the root. */
    Path resolve(String path) {
        Path resolved = path.isEmpty() ? root : root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("path " + path + " is outside " + root);
        }
        return resolved;
    }

    @Override
    public void walk(Visitor visitor) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such folder");
        }
        Deque<int[]> children = new ArrayDeque<>();
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!children.isEmpty()) {
                    children.peek()[0]++;
                    String badName = notUtf8(dir);
                    if (badName != null) {
                        visitor.skipped(badName, FileAttributes.Type.OTHER, notUtf8Reason(badName, true));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!visitor.enterDirectory(relative(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                }
                children.push(new int[1]);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                children.peek()[0]++;
                String badName = notUtf8(file);
                if (badName != null) {
                    visitor.skipped(badName, FileAttributes.Type.OTHER, notUtf8Reason(badName, false));
                    return FileVisitResult.CONTINUE;
                }
                FileAttributes a = attributes(file);
                if (a.isFile()) {
                    visitor.file(relative(file), a);
                } else {
                    visitor.skipped(relative(file), a.type(), a.type().skipReason());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw unlistable(file, e);
                }
                if (!children.isEmpty()) {
                    children.peek()[0]++;
                }
                visitor.skipped(relative(file), FileAttributes.Type.OTHER, "cannot be read: " + e);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw unlistable(dir, e);
                }
                int[] count = children.pop();
                visitor.directoryDone(relative(dir), attributes(dir), count[0]);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * A folder that cannot be read fails the listing: its files missing from it would look deleted at the source (and
     * {@code deletions: mirror} would remove their copies from the target).
     */
    private IOException unlistable(Path dir, IOException cause) {
        return new IOException("cannot list the folder " + dir + " on " + describe() + ": " + cause.getMessage()
                + " (give the hub's user read and execute permission on it, or exclude it)", cause);
    }

    /**
     * The entry's path with every byte that is not printable ASCII written as \xNN, if its name is not valid UTF-8 (the
     * hub's paths are Java strings: such a name cannot be named again to read it); null for a good name.
     */
    private String notUtf8(Path path) {
        if (resolve(relative(path)).equals(path)) {
            return null; // the name went through a string and back to the same bytes
        }
        byte[] bytes = rawBytes(path);
        StringBuilder escaped = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            escaped.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return escaped.toString();
    }

    /** The bytes of a path under the root as the file system holds them (a file URI keeps them, percent-encoded). */
    private byte[] rawBytes(Path path) {
        String base = root.toAbsolutePath().toUri().getRawPath();
        base = base.endsWith("/") ? base : base + "/";
        String raw = path.toAbsolutePath().toUri().getRawPath();
        raw = raw.startsWith(base) ? raw.substring(base.length()) : raw;
        raw = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c); // a URI's raw path is ASCII
            }
        }
        return out.toByteArray();
    }

    static String notUtf8Reason(String escaped, boolean folder) {
        return "its name is not valid UTF-8 (bytes: " + escaped + ")" + (folder ? ", so nothing in this folder is copied" : "")
                + "; the hub names files in UTF-8 on both sides. Rename it at the source to UTF-8 (e.g. convmv -f latin1 -t utf8"
                + " --notest -r on the folder), or exclude it";
    }

    private String relative(Path path) {
        Path rel = root.relativize(path);
        StringBuilder text = new StringBuilder();
        for (Path part : rel) {
            if (text.length() > 0) {
                text.append('/');
            }
            text.append(part);
        }
        return text.toString();
    }

    /**
     * The entry itself (a link is not followed), with the whole mode (file type, setuid, setgid, sticky), ctime and inode
     * where the platform tells them ("unix" view: Linux, macOS), else with the POSIX or basic view.
     */
    static FileAttributes attributes(Path path) throws IOException {
        try {
            java.util.Map<String, Object> unix = Files.readAttributes(path, "unix:mode,ctime,ino,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            long ctime = ((FileTime) unix.get("ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new FileAttributes(FileAttributes.typeOf(mode), (Long) unix.get("size"),
                    ((FileTime) unix.get("lastModifiedTime")).toMillis(), mode & 07777, ctime, (Long) unix.get("ino"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            try {
                return attributes(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            } catch (UnsupportedOperationException e) {
                return attributes(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    static FileAttributes attributes(BasicFileAttributes attrs) {
        FileAttributes.Type type = attrs.isSymbolicLink() ? FileAttributes.Type.SYMLINK : attrs.isRegularFile()
                ? FileAttributes.Type.FILE : attrs.isDirectory() ? FileAttributes.Type.DIRECTORY : FileAttributes.Type.OTHER;
        int mode = attrs instanceof PosixFileAttributes posix ? mode(posix.permissions()) : -1;
        return new FileAttributes(type, attrs.size(), attrs.lastModifiedTime().toMillis(), mode);
    }

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                mode |= 1 << i;
            }
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }

    @Override
    public Optional<FileAttributes> stat(String path) throws IOException {
        try {
            return Optional.of(attributes(resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream read(String path) throws IOException {
        return Files.newInputStream(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public OutputStream write(String path, long offset) throws IOException {
        Path file = resolve(path);
        if (offset == 0) {
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            try {
                // owner-only while it is written: the source's mode is applied once the file is in place
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the platform's default
            }
            return out;
        }
        var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE);
        channel.truncate(offset);
        channel.position(offset);
        return java.nio.channels.Channels.newOutputStream(channel);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(resolve(from), resolve(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        Files.createDirectories(resolve(dir));
    }

    @Override
    public void setAttributes(String path, long mtimeMillis, int permissions) throws IOException {
        Path file = resolve(path);
        if (permissions >= 0) {
            try {
                Files.setAttribute(file, "unix:mode", permissions & 07777, LinkOption.NOFOLLOW_LINKS); // setuid, setgid, sticky too
            } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                Files.setPosixFilePermissions(file, permissions(permissions & 0777));
            }
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
    }

    @Override
    public void delete(String path) throws IOException {
        Files.deleteIfExists(resolve(path));
    }

    @Override
    public boolean removeEmptyFolder(String path) throws IOException {
        Path folder = resolve(path);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.delete(folder);
            return true;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}

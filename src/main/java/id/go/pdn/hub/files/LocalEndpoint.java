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
                FileAttributes a = attrs.isRegularFile() ? posix(file, attrs) : attributes(attrs);
                if (a.isFile()) {
                    visitor.file(relative(file), a);
                } else {
                    visitor.skipped(relative(file), a.type(), a.type() == FileAttributes.Type.SYMLINK
                            ? "a symbolic link (links are not followed)" : "not a regular file");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!children.isEmpty()) {
                    children.peek()[0]++;
                }
                visitor.skipped(relative(file), FileAttributes.Type.OTHER, "cannot be read: " + e);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    visitor.skipped(relative(dir), FileAttributes.Type.DIRECTORY, "cannot be listed: " + e);
                }
                int[] count = children.pop();
                visitor.directoryDone(relative(dir), posix(dir, null), count[0]);
                return FileVisitResult.CONTINUE;
            }
        });
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

    /** With the mode bits: walkFileTree hands out basic attributes only. */
    private static FileAttributes posix(Path path, BasicFileAttributes basic) throws IOException {
        try {
            return attributes(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException e) {
            return attributes(basic != null ? basic : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
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
            return Optional.of(posix(resolve(path), null));
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
            Files.setPosixFilePermissions(file, permissions(permissions & 0777));
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
    }

    @Override
    public void delete(String path) throws IOException {
        Files.deleteIfExists(resolve(path));
    }

    @Override
    public void close() {
        // nothing held
    }
}

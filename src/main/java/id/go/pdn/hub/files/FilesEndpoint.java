package id.go.pdn.hub.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One side of a file migration: a folder on a local disk ({@link LocalEndpoint}) or on an SFTP server
 * ({@link SftpEndpoint}). Paths are relative to the endpoint's root and '/'-separated; an implementation never
 * resolves a path outside its root. A missing file is reported as {@link java.nio.file.NoSuchFileException}.
 */
public interface FilesEndpoint extends Closeable {

    /** The endpoint as the engineer wrote it, without secrets: for messages. */
    String describe();

    /** Lists the tree depth-first, streaming: nothing is collected here. Symbolic links are reported, never followed. */
    void walk(Visitor visitor) throws IOException;

    /** The entry itself (a link is not followed), or empty if there is none. */
    Optional<FileAttributes> stat(String path) throws IOException;

    InputStream read(String path) throws IOException;

    /** Writes from {@code offset}: 0 creates or truncates, more appends to what is there (resuming a transfer). */
    OutputStream write(String path, long offset) throws IOException;

    /** Renames, replacing an existing {@code to}. */
    void rename(String from, String to) throws IOException;

    /** Creates the folder and its parents ("" is the root). */
    void mkdirs(String dir) throws IOException;

    /** Sets the modification time and, if {@code permissions >= 0}, the mode bits. */
    void setAttributes(String path, long mtimeMillis, int permissions) throws IOException;

    /**
     * Why this side cannot carry the mtime (e.g. SFTP v3 before 1970 or after 2106), or null: asked before any byte of
     * the file is written.
     */
    default String cannotCarry(long mtimeMillis) {
        return null;
    }

    void delete(String path) throws IOException;

    /** {@link #stat} of each path, element i for path i; an SFTP server answers all of them in one round trip. */
    default List<Optional<FileAttributes>> statAll(List<String> paths) throws IOException {
        List<Optional<FileAttributes>> result = new ArrayList<>(paths.size());
        for (String path : paths) {
            result.add(stat(path));
        }
        return result;
    }

    /**
     * Reads small files whole (a batch's: {@code batchBytes} at most together), element i for file i: its bytes if they
     * are exactly the listed size (null if the file grew or shrank), and its attributes read after them; or the error
     * (a {@link java.nio.file.NoSuchFileException} if it is gone). An SFTP server answers them all in a few round trips.
     */
    default List<SmallRead> readSmall(List<FileEntry> files) throws IOException {
        List<SmallRead> result = new ArrayList<>(files.size());
        for (FileEntry file : files) {
            try {
                byte[] data;
                try (InputStream in = read(file.path())) {
                    data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, file.size() + 1));
                }
                Optional<FileAttributes> after = stat(file.path());
                if (after.isEmpty()) {
                    throw new java.nio.file.NoSuchFileException(file.path());
                }
                result.add(new SmallRead(data.length == file.size() ? data : null, after.get(), null));
            } catch (IOException e) {
                result.add(new SmallRead(null, null, e));
            }
        }
        return result;
    }

    /** One file of {@link #readSmall}: its bytes (null: not the listed size) and attributes after the read, or the error. */
    record SmallRead(byte[] data, FileAttributes after, IOException error) {
    }

    /** Removes a folder if it is empty; false if it holds something (or is not there). */
    boolean removeEmptyFolder(String path) throws IOException;

    /** Receives the entries of {@link #walk}; paths are relative to the root. */
    interface Visitor {
        /** Whether to list this folder (e.g. not excluded). */
        boolean enterDirectory(String path);

        void file(String path, FileAttributes attributes);

        /** After the folder's children; {@code children} counts every entry listed in it. */
        void directoryDone(String path, FileAttributes attributes, int children);

        /** A link, a device, an unreadable entry, a hostile name: reported, not copied. */
        void skipped(String path, FileAttributes.Type type, String reason);
    }
}

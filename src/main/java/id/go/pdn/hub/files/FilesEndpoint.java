package id.go.pdn.hub.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

package id.go.pdn.hub.files;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The payload of one file item in the ledger: what the listing saw, and so what the next listing compares (the core
 * copies an item again when its payload changed). A re-run that sees another size, mtime or mode (plus, from a local
 * disk, another ctime or inode; with {@code compare: checksum}, another SHA-256) puts the item back in line.
 *
 * @param path relative path under the source root, '/'-separated
 * @param refused why the planner refused the entry (e.g. a remote name that would escape the target root); null if fine
 * @param ctime status change time in nanoseconds (a local source only); null when not compared
 * @param inode inode number (a local source only); null when not compared
 * @param sha256 the source's SHA-256 when listed ({@code compare: checksum}); null when not compared
 */
public record FileEntry(String path, long size, long mtime, int permissions, String refused,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long ctime,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long inode,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String sha256) {

    FileEntry(String path, long size, long mtime, int permissions, String refused) {
        this(path, size, mtime, permissions, refused, null, null, null);
    }

    static FileEntry refused(String path, String reason) {
        return new FileEntry(path, 0, 0, -1, reason);
    }

    FileEntry withSha256(String sha256) {
        return new FileEntry(path, size, mtime, permissions, refused, ctime, inode, sha256);
    }
}

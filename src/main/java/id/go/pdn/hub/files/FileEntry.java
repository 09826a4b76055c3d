package id.go.pdn.hub.files;

/**
 * The payload of one file item in the ledger: what the listing saw. A re-run that sees another size or mtime
 * changes the payload, and the core puts the item back in line.
 *
 * @param path relative path under the source root, '/'-separated
 * @param refused why the planner refused the entry (e.g. a remote name that would escape the target root); null if fine
 */
public record FileEntry(String path, long size, long mtime, int permissions, String refused) {

    static FileEntry refused(String path, String reason) {
        return new FileEntry(path, 0, 0, -1, reason);
    }
}

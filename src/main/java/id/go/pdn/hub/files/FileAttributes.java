package id.go.pdn.hub.files;

/**
 * What a listing or a stat says about one entry, the same for a local folder and an SFTP server.
 *
 * @param mtimeMillis modification time; SFTP (protocol 3) carries whole seconds only
 * @param permissions POSIX mode bits with setuid, setgid and sticky ({@code 04755}), or -1 when the side does not tell
 * @param ctimeNanos status change time (a local disk only: it cannot be set back, so it shows a rewrite whose mtime was
 *     restored), or -1 when the side does not tell (SFTP)
 * @param inode the file's inode on a local disk (a new file renamed over the old one has another), or -1
 */
public record FileAttributes(Type type, long size, long mtimeMillis, int permissions, long ctimeNanos, long inode) {

    public enum Type {
        FILE, DIRECTORY, SYMLINK, FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE, OTHER;

        /** Why an entry of this type is not copied: the ledger's SKIPPED reason. */
        String skipReason() {
            return switch (this) {
                case SYMLINK -> "a symbolic link: links are neither followed nor copied";
                case FIFO -> "a named pipe (fifo): not a regular file, not copied";
                case SOCKET -> "a socket: not a regular file, not copied";
                case CHAR_DEVICE -> "a character device: not a regular file, not copied";
                case BLOCK_DEVICE -> "a block device: not a regular file, not copied";
                default -> "not a regular file, not copied";
            };
        }

        /** Links, pipes, sockets and devices: listed as SKIPPED items with the reason, never copied. */
        boolean special() {
            return this != FILE && this != DIRECTORY && this != OTHER;
        }
    }

    /**
     * The mtime of a folder whose server cannot date it (an FTP server without MLSD that lists no "." entry and refuses
     * MDTM on folders): the target's folder keeps the time it has.
     */
    public static final long UNKNOWN_MTIME = Long.MIN_VALUE;

    public FileAttributes(Type type, long size, long mtimeMillis, int permissions) {
        this(type, size, mtimeMillis, permissions, -1, -1);
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    /** The type from the file-type bits of a full {@code st_mode} (S_IFMT), as a local stat and SFTP both give it. */
    static Type typeOf(int mode) {
        return switch (mode & 0170000) {
            case 0100000 -> Type.FILE;
            case 0040000 -> Type.DIRECTORY;
            case 0120000 -> Type.SYMLINK;
            case 0010000 -> Type.FIFO;
            case 0140000 -> Type.SOCKET;
            case 0020000 -> Type.CHAR_DEVICE;
            case 0060000 -> Type.BLOCK_DEVICE;
            default -> Type.OTHER;
        };
    }
}

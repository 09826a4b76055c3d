package id.go.pdn.hub.files;

/**
 * What a listing or a stat says about one entry, the same for a local folder and an SFTP server.
 *
 * @param mtimeMillis modification time; SFTP (protocol 3) carries whole seconds only
 * @param permissions POSIX mode bits ({@code 0755}), or -1 when the side does not tell
 */
public record FileAttributes(Type type, long size, long mtimeMillis, int permissions) {

    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    public boolean isFile() {
        return type == Type.FILE;
    }
}

package id.go.pdn.hub.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets in the settings: written as {@code ${ENV_VAR}}, or kept in a file whose first line is the secret. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * The inline value if there is one, else the first line of the file (e.g. a mounted secret), else null.
     *
     * @param owner names the setting in the error, e.g. {@code datasource 'simpeg'}
     */
    public static String inlineOrFile(String inline, Path file, String owner) {
        if (inline != null && !inline.isEmpty()) {
            return inline;
        }
        if (file == null) {
            return null;
        }
        try {
            return Files.readAllLines(file).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot read the password file of " + owner + ": "
                    + file + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The secret kept in this file, made on first use: a random password (32 characters) written into a file only its
     * owner can read (mode 600 where the file system knows modes). Two processes making it at once end with the same one.
     */
    public static String randomInFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".new");
                try {
                    ownerOnly(partial);
                    Files.writeString(partial, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
                    Files.createLink(file, partial); // fails if another process made it meanwhile: theirs wins
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // made by another process at the same moment
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            return inlineOrFile(null, file, file.toString());
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot create the password file " + file + ": "
                    + e.getMessage() + "; check that the data folder is writable", e);
        }
    }

    /** Makes the file readable and writable by its owner only, where the file system knows POSIX modes. */
    public static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its ACLs apply
        }
    }
}

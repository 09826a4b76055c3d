package id.go.pdn.hub.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}

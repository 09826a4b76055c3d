package id.go.pdn.hub.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one way the hub reads a secret, for every kind and setting. A secret is written as a reference, never as itself:
 * <ul>
 *   <li>{@code ${VAR}}: an environment variable (or any Spring property, e.g. from {@code spring.config.import:
 *   configtree:/run/secrets/}, whose files become properties);</li>
 *   <li>{@code env:VAR}: an environment variable;</li>
 *   <li>{@code file:/path}: the first line of a file (a mounted secret).</li>
 * </ul>
 * A reference that cannot be read fails with {@link IllegalArgumentException} naming the variable or file and the fix;
 * the secret itself never appears in a message. A secret is read when it is used, so a rotated one is picked up.
 */
public final class Secrets {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");

    private Secrets() {
    }

    /**
     * The secret a reference names.
     *
     * @param placeholders resolves {@code ${...}} (Spring's environment: variables and properties); throws
     *                     IllegalArgumentException for one it cannot resolve
     */
    public static String resolve(String reference, UnaryOperator<String> placeholders) {
        String value = reference.strip();
        if (value.startsWith("env:")) {
            String variable = value.substring(4);
            String secret = System.getenv(variable);
            if (secret == null) {
                throw new IllegalArgumentException("environment variable " + variable + " is not set; export it, or use file:/path/to/secret");
            }
            return secret;
        }
        if (value.startsWith("file:")) {
            return firstLine(Path.of(value.substring(5)));
        }
        if (value.contains("${")) {
            try {
                value = placeholders.apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(unset(value).map(v -> "environment variable " + v + " is not set")
                        .orElse(e.getMessage()) + "; export it, or use file:/path/to/secret");
            }
        }
        unset(value).ifPresent(variable -> {
            throw new IllegalArgumentException("environment variable " + variable + " is not set; export it, or use file:/path/to/secret");
        });
        return value;
    }

    /**
     * A setting's secret given inline (Spring has resolved {@code ${VAR}} in it, or left it as written when VAR is unset)
     * or as a file whose first line is the secret; null if neither is given.
     *
     * @param owner names the setting in the error, e.g. {@code datasource 'simpeg'}
     */
    public static String inlineOrFile(String inline, Path file, String owner) {
        try {
            if (inline != null && !inline.isEmpty()) {
                return resolve(inline, v -> v);
            }
            return file == null ? null : firstLine(file);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot read the password of " + owner + ": " + e.getMessage(), e);
        }
    }

    /** The variable of a {@code ${VAR}} placeholder still in a value: Spring leaves one it cannot resolve as written. */
    public static Optional<String> unset(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
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

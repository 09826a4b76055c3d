package id.go.pdn.hub.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;

/**
 * The parameters of a file migration ({@code migration:files}), checked with messages that name the parameter and
 * the fix. Secrets ({@code password}, key passphrase) are resolved only when a connection needs them and never
 * appear in {@link #toString()} or in messages.
 */
record FilesSpec(Location source, Location target, String include, String exclude, int parallelism, long bandwidthLimit,
                 Verify verify, boolean strictHostKeyChecking, Path knownHostsFile) {

    static final Set<String> PARAMETERS = Set.of("source", "target", "include", "exclude", "parallelism", "bandwidthLimit",
            "verify", "cron", "password", "privateKeyFile", "privateKeyPassphrase", "knownHostsFile", "strictHostKeyChecking",
            "sourcePassword", "sourcePrivateKeyFile", "targetPassword", "targetPrivateKeyFile");

    enum Verify {
        /** Read the target back and compare SHA-256 with the source's. */
        FULL,
        /** Compare sizes only (faster; the source's SHA-256 is still computed while streaming). */
        SIZE
    }

    /** Where files come from or go to: {@code file:/path} or {@code sftp://user@host:port/path}. */
    record Location(String scheme, String user, String host, int port, String path) {

        private static final Pattern SFTP = Pattern.compile("sftp://(?:([^@/]+)@)?(\\[[^\\]]+\\]|[^:/\\[]+)(?::(\\d+))?(/.*)?");

        boolean isSftp() {
            return "sftp".equals(scheme);
        }

        /** As written, without secrets (a password in the URI is refused by {@link #parse}). */
        String describe() {
            return isSftp() ? "sftp://" + (user == null ? "" : user + "@") + host + ":" + port + path : "file:" + path;
        }

        static Location parse(Migration migration, String parameter, String value) {
            if (value == null || value.isBlank()) {
                throw invalid(migration, "parameter '" + parameter + "' is missing; write file:/path/to/folder or "
                        + "sftp://user@host:22/path/to/folder");
            }
            String v = value.strip();
            if (v.startsWith("file:")) {
                String path = v.substring("file:".length()).replaceFirst("^//(?=/)", "");
                if (path.isEmpty()) {
                    throw invalid(migration, "parameter '" + parameter + "' names no folder; write e.g. file:/srv/uploads");
                }
                return new Location("file", null, null, -1, Path.of(path).toAbsolutePath().normalize().toString());
            }
            Matcher m = SFTP.matcher(v);
            if (v.startsWith("sftp://") && m.matches()) {
                if (m.group(1) != null && m.group(1).contains(":")) {
                    throw invalid(migration, "parameter '" + parameter + "' holds a password in the URI; remove it and set "
                            + "parameter 'password' to ${ENV_VAR} or file:/path/to/secret");
                }
                if (m.group(1) == null) {
                    throw invalid(migration, "parameter '" + parameter + "' names no user; write sftp://user@" + m.group(2) + "/...");
                }
                String path = m.group(4) == null || m.group(4).equals("/") ? "/" : m.group(4);
                // sftp://u@h/~/data is relative to the login folder; sftp://u@h/srv/data is absolute
                path = path.startsWith("/~/") ? path.substring(3) : path.equals("/~") ? "." : path;
                if (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                return new Location("sftp", m.group(1), m.group(2).replaceAll("[\\[\\]]", ""),
                        m.group(3) == null ? 22 : Integer.parseInt(m.group(3)), path);
            }
            throw invalid(migration, "parameter '" + parameter + "' is '" + v + "'; write file:/path/to/folder or "
                    + "sftp://user@host:22/path/to/folder");
        }
    }

    static FilesSpec of(Migration migration) {
        for (String key : migration.parameters().keySet()) {
            if (!PARAMETERS.contains(key) && !key.equals("application")) {
                throw invalid(migration, "unknown parameter '" + key + "'; the parameters are " + new java.util.TreeSet<>(PARAMETERS));
            }
        }
        Location source = Location.parse(migration, "source", migration.parameter("source"));
        Location target = Location.parse(migration, "target", migration.parameter("target"));
        if (source.describe().equals(target.describe())) {
            throw invalid(migration, "parameters 'source' and 'target' are the same folder (" + source.describe() + ")");
        }
        int parallelism = (int) positive(migration, "parallelism", "4");
        long bandwidth = migration.parameter("bandwidthLimit") == null || migration.parameter("bandwidthLimit").isBlank()
                ? 0 : positive(migration, "bandwidthLimit", null);
        Verify verify;
        try {
            verify = Verify.valueOf(migration.parameter("verify", "full").strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(migration, "parameter 'verify' is '" + migration.parameter("verify") + "'; write full (read the target "
                    + "back and compare SHA-256) or size (compare sizes only)");
        }
        for (String globs : List.of("include", "exclude")) {
            try {
                Globs.of(migration.parameter(globs));
            } catch (IllegalArgumentException e) { // PatternSyntaxException included
                throw invalid(migration, "parameter '" + globs + "' is not a list of globs: " + e.getMessage()
                        + "; write e.g. *.pdf,scans/**,{2023,2024}/*");
            }
        }
        String strict = migration.parameter("strictHostKeyChecking", "true").strip().toLowerCase(Locale.ROOT);
        if (!List.of("true", "false", "yes", "no").contains(strict)) {
            throw invalid(migration, "parameter 'strictHostKeyChecking' is '" + strict + "'; write true (the default) or false");
        }
        String knownHosts = migration.parameter("knownHostsFile", "~/.ssh/known_hosts").strip()
                .replaceFirst("^~(?=/)", java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home")));
        return new FilesSpec(source, target, migration.parameter("include", ""), migration.parameter("exclude", ""),
                parallelism, bandwidth, verify, strict.equals("true") || strict.equals("yes"), Path.of(knownHosts));
    }

    /** The parameters the plan depends on. */
    String fingerprint() {
        return "source=" + source.describe() + "\ntarget=" + target.describe() + "\ninclude=" + include + "\nexclude=" + exclude;
    }

    /**
     * A secret of one side ({@code sourcePassword} before {@code password}): {@code ${VAR}} placeholders are resolved
     * by {@code resolver} (Spring's environment), a {@code file:} value is the first line of that file.
     */
    static String secret(Migration migration, String side, String name, UnaryOperator<String> resolver) {
        String sideKey = side + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String key = migration.parameter(sideKey) != null ? sideKey : name;
        String value = migration.parameter(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        String resolved;
        try {
            resolved = resolver.apply(value.strip());
        } catch (IllegalArgumentException e) {
            throw invalid(migration, "parameter '" + key + "' refers to a variable that is not set (" + e.getMessage()
                    + "); export it or use file:/path/to/secret");
        }
        if (resolved.startsWith("file:") && !name.equals("privateKeyFile")) {
            Path file = Path.of(resolved.substring("file:".length()));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw invalid(migration, "parameter '" + key + "' names the file " + file + " which cannot be read: " + e);
            }
        }
        return resolved.startsWith("file:") ? resolved.substring("file:".length()) : resolved;
    }

    private static long positive(Migration migration, String name, String defaultValue) {
        String value = migration.parameter(name, defaultValue);
        try {
            long n = Long.parseLong(value.strip().replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid(migration, "parameter '" + name + "' is '" + value + "'; write a whole number above 0");
    }

    static HubException invalid(Migration migration, String what) {
        return new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": " + what);
    }

    @Override
    public String toString() {
        return "FilesSpec[" + source.describe() + " -> " + target.describe() + ", include=" + include + ", exclude=" + exclude
                + ", parallelism=" + parallelism + ", verify=" + verify + "]";
    }
}

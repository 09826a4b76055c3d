package id.go.pdn.hub.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import id.go.pdn.hub.core.Secrets;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import java.util.Map;

/**
 * The accounts file of a mail migration: CSV (RFC 4180: a field may be quoted, {@code "a,b"}, with a quote inside
 * doubled), one account a record, {@code sourceUser,targetUser,sourcePassword,targetPassword}, where each password is a
 * reference, {@code env:VAR} or {@code ${VAR}} (environment variable) or {@code file:/path} (first line of a file, e.g.
 * a mounted secret); never the secret itself. Blank lines, {@code #} comments and a header line starting with
 * {@code sourceUser} are skipped.
 */
final class MailAccounts {

    /** One account; {@link #toString()} never shows the password references' values. */
    record Account(String sourceUser, String targetUser, Secret sourcePassword, Secret targetPassword) {
    }

    /**
     * Where a password comes from: {@code env:VAR}, {@code ${VAR}} or {@code file:/path}, read by the hub's one secrets
     * reader ({@link Secrets}). Read when connecting, so a rotated secret is picked up by the next run.
     */
    record Secret(String reference) {

        static Secret parse(String reference) {
            boolean known = reference.startsWith("env:") || reference.startsWith("file:") || Secrets.unset(reference).isPresent();
            if (!known || reference.indexOf(':') == reference.length() - 1) {
                throw new IllegalArgumentException("a password column holds no reference (never echoed: it may be a password); "
                        + "write env:VARIABLE, ${VARIABLE} or file:/path/to/secret (never the password itself)");
            }
            return new Secret(reference);
        }

        String value() {
            return Secrets.resolve(reference, Secret::environmentVariables);
        }

        /** {@code ${VAR}} from the environment; an unset one is left as written, which {@link Secrets} reports. */
        private static String environmentVariables(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}:]+)}").matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = System.getenv(m.group(1));
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value == null ? m.group() : value));
            }
            m.appendTail(out);
            return out.toString();
        }

        @Override
        public String toString() {
            return reference;
        }
    }

    private final Path file;
    private final Map<String, Account> bySourceUser;

    private MailAccounts(Path file, Map<String, Account> bySourceUser) {
        this.file = file;
        this.bySourceUser = bySourceUser;
    }

    /** The file's format: RFC 4180 (fields may be quoted, a quote inside one doubled), {@code #} comments, blank lines. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setCommentMarker('#').setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true).get();

    /** Reads and checks the file; every problem names the line. Passwords are checked to be readable, not kept. */
    static MailAccounts read(Path file) {
        Map<String, Account> accounts = new LinkedHashMap<>();
        try (CSVParser parser = CSVParser.builder().setPath(file).setCharset(StandardCharsets.UTF_8).setFormat(FORMAT).get()) {
            for (CSVRecord record : parser) {
                // the line the record ends on (the one it is on, unless a quoted field spans lines)
                String where = "accounts file " + file + " line " + parser.getCurrentLineNumber() + ": ";
                if (record.size() == 1 && record.get(0).isEmpty()
                        || record.get(0).toLowerCase(java.util.Locale.ROOT).startsWith("sourceuser")) {
                    continue;
                }
                if (record.size() != 4) {
                    throw new IllegalArgumentException(where + "expected 4 columns (sourceUser,targetUser,sourcePassword,"
                            + "targetPassword), found " + record.size());
                }
                try {
                    Account account = new Account(record.get(0).strip(), record.get(1).strip(), Secret.parse(record.get(2).strip()),
                            Secret.parse(record.get(3).strip()));
                    if (account.sourceUser().isEmpty() || account.targetUser().isEmpty()) {
                        throw new IllegalArgumentException("the source and target users must not be empty");
                    }
                    account.sourcePassword().value();
                    account.targetPassword().value();
                    if (accounts.putIfAbsent(account.sourceUser(), account) != null) {
                        throw new IllegalArgumentException("source user " + account.sourceUser() + " is listed twice");
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + e.getMessage());
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the accounts file " + file + " (" + e.getMessage() + ")");
        }
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("the accounts file " + file + " lists no account; write one line per account: "
                    + "sourceUser,targetUser,env:SOURCE_PASSWORD_VAR,file:/path/to/target-password");
        }
        return new MailAccounts(file, accounts);
    }

    List<Account> all() {
        return new ArrayList<>(bySourceUser.values());
    }

    Account require(String sourceUser) {
        Account account = bySourceUser.get(sourceUser);
        if (account == null) {
            throw new IllegalArgumentException("account " + sourceUser + " is no longer in the accounts file " + file);
        }
        return account;
    }
}

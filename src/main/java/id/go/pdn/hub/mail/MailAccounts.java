package id.go.pdn.hub.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounts file of a mail migration: one account a line, {@code sourceUser,targetUser,sourcePassword,targetPassword},
 * where each password is a reference, {@code env:VAR} (environment variable) or {@code file:/path} (first line of a
 * file, e.g. a mounted secret); never the secret itself. Blank lines, {@code #} comments and a header line starting
 * with {@code sourceUser} are skipped.
 */
final class MailAccounts {

    /** One account; {@link #toString()} never shows the password references' values. */
    record Account(String sourceUser, String targetUser, Secret sourcePassword, Secret targetPassword) {
    }

    /** Where a password comes from. Read when connecting, so a rotated secret is picked up by the next run. */
    record Secret(String reference) {

        static Secret parse(String reference) {
            if (!reference.startsWith("env:") && !reference.startsWith("file:") || reference.indexOf(':') == reference.length() - 1) {
                throw new IllegalArgumentException("a password column holds no reference (never echoed: it may be a password); "
                        + "write env:VARIABLE or file:/path/to/secret (never the password itself)");
            }
            return new Secret(reference);
        }

        String value() {
            if (reference.startsWith("env:")) {
                String value = System.getenv(reference.substring(4));
                if (value == null) {
                    throw new IllegalArgumentException("environment variable " + reference.substring(4) + " is not set");
                }
                return value;
            }
            Path file = Path.of(reference.substring(5));
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the password file " + file + " (" + e.getMessage() + ")");
            }
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

    /** Reads and checks the file; every problem names the line. Passwords are checked to be readable, not kept. */
    static MailAccounts read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the accounts file " + file + " (" + e + ")");
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.toLowerCase(java.util.Locale.ROOT).startsWith("sourceuser")) {
                continue;
            }
            String where = "accounts file " + file + " line " + (i + 1) + ": ";
            String[] cells = line.split(",", -1);
            if (cells.length != 4) {
                throw new IllegalArgumentException(where + "expected 4 columns (sourceUser,targetUser,sourcePassword,"
                        + "targetPassword), found " + cells.length);
            }
            try {
                Account account = new Account(cells[0].strip(), cells[1].strip(), Secret.parse(cells[2].strip()),
                        Secret.parse(cells[3].strip()));
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

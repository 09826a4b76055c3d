package id.go.pdn.hub.mail;

import java.nio.file.Path;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;

/**
 * The parameters of a mail migration (template {@code mail-migration}), checked. Every problem is reported as
 * "Cannot load migration X: parameter 'p' ..." with the fix.
 *
 * @param accounts CSV file of accounts ({@link MailAccounts})
 * @param folders comma-separated globs of source folders to copy, names written with {@code /}
 * @param exclude comma-separated globs of source folders to leave out
 * @param folderMap rename rules {@code source=target}, comma-separated
 * @param targetPrefix folder under which the target receives every folder that is not INBOX or special-use
 * @param uidRangeSize messages per work item
 */
public record MailSpec(MailServer source, MailServer target, Path accounts, String folders, String exclude,
                       String folderMap, String targetPrefix, int uidRangeSize) {

    public static MailSpec of(Migration migration) {
        try {
            return new MailSpec(MailServer.parse("source", required(migration, "source")),
                    MailServer.parse("target", required(migration, "target")),
                    Path.of(required(migration, "accounts")),
                    migration.parameter("folders", "*"), migration.parameter("exclude", ""),
                    migration.parameter("folderMap", ""), migration.parameter("targetPrefix", ""),
                    migration.positiveInt("uidRangeSize", 500));
        } catch (IllegalArgumentException e) {
            throw invalid(migration, e.getMessage());
        }
    }

    /** Checks what can be checked without a server: the accounts file, its password references, the rename rules. */
    void validate(Migration migration) {
        try {
            MailFolders.parseRenames(folderMap);
        } catch (IllegalArgumentException e) {
            throw invalid(migration, e.getMessage());
        }
        try {
            MailAccounts.read(accounts);
        } catch (IllegalArgumentException e) {
            throw invalid(migration, "parameter 'accounts': " + e.getMessage());
        }
    }

    MailFolders folderRules() {
        return new MailFolders(folders, exclude, folderMap, targetPrefix);
    }

    /**
     * The parameters that shape the plan. The accounts file's content is left out on purpose: accounts added to it
     * are new items of the same plan, not a new plan.
     */
    public String fingerprint() {
        return String.join("\n", source.toString(), target.toString(), accounts.toAbsolutePath().normalize().toString(),
                folders, exclude, folderMap, targetPrefix, Integer.toString(uidRangeSize));
    }

    private static String required(Migration migration, String name) {
        String value = migration.parameter(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing" + switch (name) {
                case "source" -> "; write the source IMAP server, e.g. source: imaps://mail.dinas.go.id:993";
                case "target" -> "; write the target IMAP server, e.g. target: imaps://mail.pdn.go.id:993";
                case "accounts" -> "; write the path of the accounts CSV file, e.g. accounts: config/mail-accounts.csv";
                default -> "";
            });
        }
        return value.strip();
    }

    static HubException invalid(Migration migration, String problem) {
        return new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": " + problem);
    }
}

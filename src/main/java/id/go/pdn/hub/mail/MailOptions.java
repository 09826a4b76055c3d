package id.go.pdn.hub.mail;

import java.nio.file.Path;
import id.go.pdn.hub.core.options.KindOptions;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The options of a mail migration ({@code migration:mail}, template {@code mail-migration}). */
@UriParams
public class MailOptions implements KindOptions {

    @UriParam(description = "Source IMAP server: imaps://host:993, or imap://host:143?starttls=true (plain only when asked with"
            + " ?plain=true); or a POP3 server, pop3s://host:995 or pop3://host:110?starttls=true (INBOX only, messages known by"
            + " UIDL). Example: imaps://mail.bkd.example.go.id:993")
    @Metadata(required = true)
    private String source;

    @UriParam(description = "Target IMAP server, written like source. Example: imaps://mail.pdn.example.go.id:993")
    @Metadata(required = true)
    private String target;

    @UriParam(description = "CSV file of accounts: sourceUser,targetUser,sourcePassword,targetPassword (passwords as env:VAR or"
            + " file:/path). Example: routes/examples/mail-accounts.csv")
    @Metadata(required = true)
    private String accounts;

    @UriParam(defaultValue = "*", description = "Comma-separated globs on folder paths written with /.")
    private String folders = "*";

    @UriParam(description = "Comma-separated globs of folders to leave out. Example: Junk,Spam")
    private String exclude = "";

    @UriParam(description = "Rename rules source=target for a folder and its subfolders, comma-separated. Example: Sent Items=Sent")
    private String folderMap = "";

    @UriParam(description = "Parent folder on the target for everything but INBOX and special-use folders.")
    private String targetPrefix = "";

    @UriParam(defaultValue = "500", description = "Messages per work item.")
    private int uidRangeSize = 500;

    @UriParam(defaultValue = "report", enums = "report,mirror", description = "Messages expunged at the source after their copy:"
            + " report (their copies stay on the target; the run, the summary and the report count them as deleted at the source,"
            + " never as verified) or mirror (the hub expunges its own copies of them from the target, with UID EXPUNGE, never"
            + " a message it did not copy).")
    private String deletions = "report";

    private MailServer sourceServer;
    private MailServer targetServer;

    /** Checks what can be checked without a server: the servers' URIs, the rename rules, the accounts file. */
    @Override
    public void validate() {
        sourceServer = MailServer.parse("source", source, true);
        targetServer = MailServer.parse("target", target);
        if (uidRangeSize < 1) {
            throw new IllegalArgumentException("parameter 'uidRangeSize' is '" + uidRangeSize + "'; write a whole number above 0");
        }
        MailFolders.parseRenames(folderMap);
        if (sourceServer.pop3() && (!folders.strip().equals("*") || !exclude.isBlank())) {
            throw new IllegalArgumentException("parameters 'folders' and 'exclude' do not apply to a POP3 source (" + source
                    + "): POP3 has only INBOX; drop them (folderMap: \"INBOX=...\" may still name the target folder)");
        }
        if (!deletions.strip().equals("report") && !deletions.strip().equals("mirror")) {
            throw new IllegalArgumentException("parameter 'deletions' is '" + deletions + "'; write report or mirror");
        }
        try {
            MailAccounts.read(accounts());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter 'accounts': " + e.getMessage(), e);
        }
    }

    /**
     * The options that shape the plan. The accounts file's content is left out on purpose: accounts added to it are new
     * items of the same plan, not a new plan.
     */
    @Override
    public String planFingerprint() {
        return String.join("\n", source().toString(), target().toString(), accounts().toAbsolutePath().normalize().toString(),
                folders, exclude, folderMap, targetPrefix, Integer.toString(uidRangeSize));
    }

    MailFolders folderRules() {
        return new MailFolders(folders, exclude, folderMap, targetPrefix);
    }

    public MailServer source() { return sourceServer; }
    public MailServer target() { return targetServer; }
    public Path accounts() { return Path.of(accounts.strip()); }
    public String folders() { return folders; }
    public String exclude() { return exclude; }
    public String folderMap() { return folderMap; }
    public String targetPrefix() { return targetPrefix; }
    public int uidRangeSize() { return uidRangeSize; }
    public String deletions() { return deletions; }
    boolean mirrorDeletions() { return deletions.strip().equals("mirror"); }

    public void setSource(String source) { this.source = source; }
    public void setTarget(String target) { this.target = target; }
    public void setAccounts(String accounts) { this.accounts = accounts; }
    public void setFolders(String folders) { this.folders = folders; }
    public void setExclude(String exclude) { this.exclude = exclude; }
    public void setFolderMap(String folderMap) { this.folderMap = folderMap; }
    public void setTargetPrefix(String targetPrefix) { this.targetPrefix = targetPrefix; }
    public void setUidRangeSize(int uidRangeSize) { this.uidRangeSize = uidRangeSize; }
    public void setDeletions(String deletions) { this.deletions = deletions; }
}

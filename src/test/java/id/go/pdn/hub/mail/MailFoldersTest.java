package id.go.pdn.hub.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import id.go.pdn.hub.mail.MailFolders.Folder;
import id.go.pdn.hub.mail.MailFolders.Role;
import org.junit.jupiter.api.Test;

/** Where each source folder goes: separators, rename rules, special use, INBOX, prefix, include and exclude. */
class MailFoldersTest {

    private static Folder folder(String fullName, char separator, String... attributes) {
        Folder plain = new Folder(fullName, separator, Optional.empty(), true, false);
        return new Folder(fullName, separator, Role.of(attributes, plain.path()), true, false);
    }

    @Test
    void nestedFoldersTakeTheTargetSeparator() {
        MailFolders rules = new MailFolders("*", "", "", "");
        assertThat(rules.targetName(folder("Archive/2023/Q1", '/'), Map.of(), '.')).isEqualTo("Archive.2023.Q1");
        assertThat(rules.targetName(folder("Archive.2023", '.'), Map.of(), '/')).isEqualTo("Archive/2023");
        assertThat(rules.targetName(folder("Proyek/v1.2", '/'), Map.of(), '.')).as("a dot would nest").isEqualTo("Proyek.v1_2");
    }

    @Test
    void renameRulesWinThenSpecialUseThenInboxThenThePrefix() {
        MailFolders rules = new MailFolders("*", "", "Archive=Arsip Lama, Old Sent=Sent", "Migrasi");
        Map<Role, String> target = Map.of(Role.SENT, "Sent", Role.TRASH, "Deleted Messages");
        assertThat(rules.targetName(folder("Archive/2023", '/'), target, '.')).isEqualTo("Arsip Lama.2023");
        assertThat(rules.targetName(folder("Old Sent", '/'), target, '.')).isEqualTo("Sent");
        assertThat(rules.targetName(folder("Sent Items", '/'), target, '.')).as("by name").isEqualTo("Sent");
        assertThat(rules.targetName(folder("Papierkorb", '/', "\\HasNoChildren", "\\Trash"), target, '.')).as("announced")
                .isEqualTo("Deleted Messages");
        assertThat(rules.targetName(folder("INBOX", '/'), target, '.')).isEqualTo("INBOX");
        assertThat(rules.targetName(folder("Proyek/A", '/'), target, '.')).isEqualTo("Migrasi.Proyek.A");
        assertThat(rules.targetName(folder("Drafts", '/'), target, '.')).as("no \\Drafts on the target")
                .isEqualTo("Migrasi.Drafts");
    }

    @Test
    void globsSelectFoldersByTheirSlashName() {
        MailFolders rules = new MailFolders("INBOX,Archive/*", "archive/tmp*", "", "");
        assertThat(rules.includes(folder("INBOX", '.'))).isTrue();
        assertThat(rules.includes(folder("Archive.2023", '.'))).isTrue();
        assertThat(rules.includes(folder("Archive.tmp1", '.'))).isFalse();
        assertThat(rules.includes(folder("Sent", '.'))).isFalse();
    }

    @Test
    void aBrokenRenameRuleNamesTheParameter() {
        assertThatThrownBy(() -> MailFolders.parseRenames("Sent Items"))
                .hasMessageContaining("parameter 'folderMap': rule 'Sent Items' must read 'source name=target name'");
    }
}

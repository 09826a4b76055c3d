package id.go.pdn.hub.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accounts file is RFC 4180 CSV: quoted fields (commas, doubled quotes inside), comments, a header; errors name the line. */
class MailAccountsTest {

    @TempDir
    Path dir;

    private Path accounts(String text) throws Exception {
        return Files.writeString(dir.resolve("accounts.csv"), text);
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndSpaces() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("secrets, mounted"));
        Files.writeString(folder.resolve("alice"), "s3cret\n");
        Files.writeString(folder.resolve("pdn"), "t4rget\n");
        Path file = accounts("""
                # accounts of simpeg
                sourceUser,targetUser,sourcePassword,targetPassword

                "alice,admin",alice@pdn.go.id,"file:%1$s/alice","file:%1$s/pdn"
                "bob ""the builder""\" , bob@pdn.go.id , file:%2$s , file:%2$s
                carol,"carol@pdn.go.id","file:%1$s/alice","file:%1$s/pdn"
                """.formatted(folder, Files.writeString(dir.resolve("plain"), "t4rget\n")));
        List<MailAccounts.Account> all = MailAccounts.read(file).all();
        assertThat(all).extracting(MailAccounts.Account::sourceUser)
                .containsExactly("alice,admin", "bob \"the builder\"", "carol");
        assertThat(all.get(0).targetUser()).isEqualTo("alice@pdn.go.id");
        assertThat(all.get(0).sourcePassword().value()).isEqualTo("s3cret");
        assertThat(all.get(1).targetPassword().value()).isEqualTo("t4rget");
        assertThat(all.get(0).toString()).doesNotContain("s3cret");
    }

    @Test
    void aWrongRecordIsNamedByItsLine() throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "x\n");
        Path file = accounts("""
                # comment
                alice,alice@pdn.go.id,file:%1$s,file:%1$s

                "bob,x",bob@pdn.go.id,file:%1$s
                """.formatted(secret));
        assertThatThrownBy(() -> MailAccounts.read(file)).hasMessageContaining("line 4")
                .hasMessageContaining("expected 4 columns").hasMessageContaining("found 3");
    }

    @Test
    void aPasswordItselfIsRefusedWithoutBeingEchoed() throws Exception {
        Path file = accounts("alice,alice@pdn.go.id,hunter2,\"env:PDN_PW\"\n");
        assertThatThrownBy(() -> MailAccounts.read(file)).hasMessageContaining("line 1")
                .hasMessageContaining("holds no reference").hasMessageNotContaining("hunter2");
    }

    @Test
    void anUnsetVariableIsNamed() throws Exception {
        Path file = accounts("alice,alice@pdn.go.id,\"${MAIL_ACCOUNTS_TEST_UNSET}\",env:MAIL_ACCOUNTS_TEST_UNSET_TOO\n");
        assertThatThrownBy(() -> MailAccounts.read(file)).hasMessageContaining("line 1")
                .hasMessageContaining("environment variable MAIL_ACCOUNTS_TEST_UNSET is not set");
    }
}

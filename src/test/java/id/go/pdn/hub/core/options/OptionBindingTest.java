package id.go.pdn.hub.core.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.db.DbCapability;
import id.go.pdn.hub.db.DbOptions;
import id.go.pdn.hub.files.FilesCapability;
import id.go.pdn.hub.mail.MailCapability;
import id.go.pdn.hub.support.Declarations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

/** Route options as Camel binds them: typed, exact about names, and every mistake refused with the fix. */
class OptionBindingTest {

    private static final MigrationCapability DB = new DbCapability(null, null, null, null);
    private static final MigrationCapability FILES = new FilesCapability(new ObjectMapper(), new StandardEnvironment());
    private static final MigrationCapability MAIL = new MailCapability(new ObjectMapper(), null, null);

    @TempDir
    Path dir;

    @Test
    void optionsBindTypedWithTheirDefaults() {
        Migration m = Declarations.declare(DB, "surat-db", "routes/surat.yaml:4", "source", "src", "target", "tgt",
                "chunkSize", "1000", "parallelism", "2", "cron", "0 0 22 * * *");
        DbOptions options = m.options(DbOptions.class);
        assertThat(options.chunkSize()).isEqualTo(1000);
        assertThat(options.tables()).isEqualTo("*");
        assertThat(options.onExistingTable()).isEqualTo("fail");
        assertThat(m.common().getParallelism()).isEqualTo(2);
        assertThat(m.common().getCron()).isEqualTo("0 0 22 * * *");
        assertThat(m.application()).isEqualTo("simpeg");
    }

    @Test
    void aMisspeltOptionOfAnyKindIsRefusedWithTheOneMeant() throws Exception {
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", "routes/surat.yaml:4", "source", "src", "target", "tgt",
                "chunksize", "10"))
                .isInstanceOf(HubException.class)
                .hasMessageStartingWith("Cannot load migration surat-db (routes/surat.yaml:4): unknown parameter 'chunksize' of "
                        + "migration:db; did you mean 'chunkSize'?");
        assertThatThrownBy(() -> Declarations.declare(FILES, "docs", null, "source", "file:/a", "target", "file:/b",
                "bandwithLimit", "100"))
                .hasMessageContaining("unknown parameter 'bandwithLimit' of migration:files; did you mean 'bandwidthLimit'?");
        Path accounts = Files.writeString(dir.resolve("accounts.csv"), "a,b,file:" + Files.writeString(dir.resolve("p"), "x")
                + ",file:" + dir.resolve("p") + "\n");
        assertThatThrownBy(() -> Declarations.declare(MAIL, "surat-mail", null, "source", "imaps://a", "target", "imaps://b",
                "accounts", accounts.toString(), "uidRangSize", "10"))
                .hasMessageContaining("unknown parameter 'uidRangSize' of migration:mail; did you mean 'uidRangeSize'?");
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "source", "src", "target", "tgt", "colour", "red"))
                .hasMessageContaining("unknown parameter 'colour' of migration:db (its parameters: application, parallelism")
                .hasMessageNotContaining("did you mean");
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "source", "src", "target", "tgt", "windows", "22:00-05:00"))
                .as("a shared option is suggested too").hasMessageContaining("did you mean 'window'?");
    }

    @Test
    void wrongTypesMissingOptionsAndValuesOutsideTheirChoicesAreNamed() {
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "source", "src", "target", "tgt", "chunkSize", "50k",
                "onExistingTable", "replace"))
                .hasMessageContaining("parameter 'chunkSize' must be a whole number above 0, not '50k'")
                .hasMessageContaining("parameter 'onExistingTable' is 'replace'; write fail or drop or truncate or keep");
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "target", "tgt"))
                .hasMessageContaining("parameter 'source' is missing; Name of the source datasource");
        assertThatThrownBy(() -> Declarations.declare(FILES, "docs", null, "source", "file:/a", "target", "file:/b",
                "strictHostKeyChecking", "maybe"))
                .hasMessageContaining("parameter 'strictHostKeyChecking' must be true or false, not 'maybe'");
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "source", "src", "target", "tgt", "chunkSize", "0"))
                .hasMessageContaining("parameter 'chunkSize' is '0'; write a whole number of rows above 0");
        assertThatThrownBy(() -> Declarations.declare(DB, "surat-db", null, "source", "src", "target", "tgt", "misfire", "later"))
                .hasMessageContaining("parameter 'misfire' is 'later'; write run-once or skip");
    }

    @Test
    void theReportShowsDeclaredOptionsButNoSecretOrSecuritySetting() {
        Migration m = Declarations.declare(FILES, "docs", null, "source", "sftp://u@h/a", "target", "file:/b",
                "password", "hunter2", "knownHostsFile", "/etc/hub/known_hosts", "include", "*.pdf");
        assertThat(id.go.pdn.hub.core.Redaction.safeParameters(m))
                .containsEntry("source", "sftp://h/a").containsEntry("include", "*.pdf").containsEntry("application", "simpeg")
                .doesNotContainKeys("password", "knownHostsFile");
    }
}

package id.go.pdn.hub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.go.pdn.hub.core.Globs;
import id.go.pdn.hub.support.Declarations;
import org.springframework.core.env.StandardEnvironment;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import org.junit.jupiter.api.Test;

/** The parameters of migration:files: bound by Camel, parsed, checked, and refused with messages that name the parameter and the fix. */
class FilesOptionsTest {

    private static final FilesCapability FILES = new FilesCapability(new ObjectMapper(), new StandardEnvironment());

    private static Migration migration(String... keyValues) {
        return Declarations.declare(FILES, "docs", "routes/docs.yaml:3", (Object[]) keyValues);
    }

    private static FilesOptions options(String... keyValues) {
        return migration(keyValues).options(FilesOptions.class);
    }

    @Test
    void parsesLocalAndSftpLocations() {
        FilesOptions spec = options("source", "file:/srv/up loads/", "target", "sftp://pdn@storage.pdn.go.id:2222/simpeg/uploads/");
        assertThat(spec.source().path()).isEqualTo("/srv/up loads");
        assertThat(spec.target()).isEqualTo(new FilesOptions.Location("sftp", "pdn", "storage.pdn.go.id", 2222, "/simpeg/uploads"));
        assertThat(spec.verify()).isEqualTo(FilesOptions.Verify.FULL);
        assertThat(spec.compare()).as("size, mtime, mode (+ ctime, inode locally), as rsync and rclone")
                .isEqualTo(FilesOptions.Compare.ATTRIBUTES);
        assertThat(spec.deletions()).isEqualTo(FilesOptions.Deletions.REPORT);
        assertThat(options("source", "file:/a", "target", "file:/x", "compare", "checksum", "deletions", "mirror"))
                .extracting(FilesOptions::compare, FilesOptions::deletions)
                .containsExactly(FilesOptions.Compare.CHECKSUM, FilesOptions.Deletions.MIRROR);
        assertThat(spec.strictHostKeyChecking()).isTrue();
        assertThat(migration("source", "file:/a", "target", "file:/x").common().getParallelism()).isEqualTo(4);
        assertThat(options("source", "sftp://a@h/~/data", "target", "file:/x").source())
                .isEqualTo(new FilesOptions.Location("sftp", "a", "h", 22, "data"));
    }

    @Test
    void parsesFtpAndFtpsSourcesWithTheirDefaultPorts() {
        assertThat(options("source", "ftp://app@10.1.2.3/srv/arsip/", "target", "file:/x").source())
                .isEqualTo(new FilesOptions.Location("ftp", "app", "10.1.2.3", 21, "/srv/arsip"));
        FilesOptions explicit = options("source", "ftps://app@h/srv", "target", "file:/x");
        assertThat(explicit.source().port()).as("AUTH TLS on the FTP port").isEqualTo(21);
        assertThat(explicit.source().describe()).isEqualTo("ftps://app@h:21/srv");
        assertThat(explicit.ftpImplicit()).isFalse();
        assertThat(explicit.ftpPassive()).isTrue();
        assertThat(options("source", "ftps://app@h/srv", "target", "file:/x", "ftpTls", "implicit").source().port())
                .as("implicit TLS: the ftps port").isEqualTo(990);
        assertThat(options("source", "ftps://app@h:2121/~/data", "target", "file:/x", "ftpTls", "implicit").source())
                .isEqualTo(new FilesOptions.Location("ftps", "app", "h", 2121, "data"));
    }

    @Test
    void refusesWhatCannotWorkAndSaysHowToFixIt() {
        assertThatThrownBy(() -> migration("target", "file:/x"))
                .isInstanceOf(HubException.class).hasMessageContaining("Cannot load migration docs (routes/docs.yaml:3)")
                .hasMessageContaining("parameter 'source' is missing");
        assertThatThrownBy(() -> migration("source", "webdav://a@h/x", "target", "file:/x"))
                .hasMessageContaining("parameter 'source' is 'webdav://a@h/x'; write file:/path/to/folder or sftp://")
                .hasMessageContaining("(or ftp://, ftps://user@host:21/path)");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "ftps://a@h/x"))
                .hasMessageContaining("parameter 'target' is an FTP server (ftps://a@h/x): FTP and FTPS are supported as a source only");
        assertThatThrownBy(() -> migration("source", "ftp://a:hunter2@h/x", "target", "file:/x"))
                .hasMessageContaining("holds a password in the URI").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> migration("source", "ftps://a@h/x", "target", "file:/x", "ftpTls", "starttls"))
                .hasMessageContaining("parameter 'ftpTls' is 'starttls'; write explicit or implicit");
        assertThatThrownBy(() -> migration("source", "ftp://a@h/x", "target", "file:/x", "ftpTrustStore", "/etc/hub/ca.pem"))
                .hasMessageContaining("parameter 'ftpTrustStore' is set but the source is not an ftps:// server");
        assertThatThrownBy(() -> migration("source", "sftp://a:hunter2@h/x", "target", "file:/x"))
                .hasMessageContaining("holds a password in the URI").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> migration("source", "sftp://h/x", "target", "file:/x"))
                .hasMessageContaining("names no user");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "verify", "md5"))
                .hasMessageContaining("parameter 'verify' is 'md5'; write full");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "compare", "md5"))
                .hasMessageContaining("parameter 'compare' is 'md5'; write attributes");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "deletions", "delete"))
                .hasMessageContaining("parameter 'deletions' is 'delete'; write report");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "parallelism", "0"))
                .hasMessageContaining("parameter 'parallelism' is '0'; write a whole number above 0");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "incldue", "*.pdf"))
                .hasMessageContaining("unknown parameter 'incldue' of migration:files; did you mean 'include'?");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/x", "include", "{a,b"))
                .hasMessageContaining("parameter 'include' is not a list of globs: glob '{a,b' opens a { it does not close");
        assertThatThrownBy(() -> migration("source", "file:/a", "target", "file:/a/"))
                .hasMessageContaining("are the same folder");
    }

    @Test
    void secretsComeFromTheEnvironmentOrFilesAndStayOutOfToString() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("secret", ".txt");
        java.nio.file.Files.writeString(file, "from-file\n");
        FilesOptions m = options("source", "sftp://a@h/x", "target", "file:/x", "password", "${SFTP_PASSWORD}",
                "targetPassword", "file:" + file);
        assertThat(m.secret("source", "password", v -> v.replace("${SFTP_PASSWORD}", "from-env"))).isEqualTo("from-env");
        assertThat(m.secret("target", "password", v -> v)).isEqualTo("from-file");
        assertThat(m.toString()).doesNotContain("SFTP_PASSWORD", "from");
        assertThat(m.planFingerprint()).doesNotContain("SFTP_PASSWORD");
    }

    @Test
    void globsMatchTheRelativePath() {
        Globs globs = Globs.of("*.pdf, scans/**, tmp, {a,b}/?.txt");
        assertThat(globs.matches("letter.pdf")).isTrue();
        assertThat(globs.matches("2024/01/letter.pdf")).as("no '/' in the glob: any depth").isTrue();
        assertThat(globs.matches("scans/x/y.tif")).isTrue();
        assertThat(globs.matches("old/scans/x.tif")).isFalse();
        assertThat(globs.matches("a/tmp")).isTrue();
        assertThat(globs.matches("b/1.txt")).isTrue();
        assertThat(globs.matches("c/1.txt")).isFalse();
        assertThat(globs.matches("new\nline.pdf")).isTrue();
        assertThat(Globs.of(" ").isEmpty()).isTrue();
    }
}

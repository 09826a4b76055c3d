package id.go.pdn.hub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.Migration;
import org.junit.jupiter.api.Test;

/** The parameters of migration:files: parsed, checked, and refused with messages that name the parameter and the fix. */
class FilesSpecTest {

    private static Migration migration(String... keyValues) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return new Migration("docs", "simpeg", "files", p, "routes/docs.yaml:3");
    }

    @Test
    void parsesLocalAndSftpLocations() {
        FilesSpec spec = FilesSpec.of(migration("source", "file:/srv/up loads/", "target", "sftp://pdn@storage.pdn.go.id:2222/simpeg/uploads/"));
        assertThat(spec.source().path()).isEqualTo("/srv/up loads");
        assertThat(spec.target()).isEqualTo(new FilesSpec.Location("sftp", "pdn", "storage.pdn.go.id", 2222, "/simpeg/uploads"));
        assertThat(spec.verify()).isEqualTo(FilesSpec.Verify.FULL);
        assertThat(spec.strictHostKeyChecking()).isTrue();
        assertThat(spec.parallelism()).isEqualTo(4);
        assertThat(FilesSpec.of(migration("source", "sftp://a@h/~/data", "target", "file:/x")).source())
                .isEqualTo(new FilesSpec.Location("sftp", "a", "h", 22, "data"));
    }

    @Test
    void refusesWhatCannotWorkAndSaysHowToFixIt() {
        assertThatThrownBy(() -> FilesSpec.of(migration("target", "file:/x")))
                .isInstanceOf(HubException.class).hasMessageContaining("Cannot load migration docs (routes/docs.yaml:3)")
                .hasMessageContaining("parameter 'source' is missing");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "ftp://a@h/x", "target", "file:/x")))
                .hasMessageContaining("parameter 'source' is 'ftp://a@h/x'; write file:/path/to/folder or sftp://");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "sftp://a:hunter2@h/x", "target", "file:/x")))
                .hasMessageContaining("holds a password in the URI").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "sftp://h/x", "target", "file:/x")))
                .hasMessageContaining("names no user");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "file:/a", "target", "file:/x", "verify", "md5")))
                .hasMessageContaining("parameter 'verify' is 'md5'; write full");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "file:/a", "target", "file:/x", "parallelism", "0")))
                .hasMessageContaining("parameter 'parallelism' is '0'; write a whole number above 0");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "file:/a", "target", "file:/x", "incldue", "*.pdf")))
                .hasMessageContaining("unknown parameter 'incldue'");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "file:/a", "target", "file:/x", "include", "{a,b")))
                .hasMessageContaining("parameter 'include' is not a list of globs: glob '{a,b' opens a { it does not close");
        assertThatThrownBy(() -> FilesSpec.of(migration("source", "file:/a", "target", "file:/a/")))
                .hasMessageContaining("are the same folder");
    }

    @Test
    void secretsComeFromTheEnvironmentOrFilesAndStayOutOfToString() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("secret", ".txt");
        java.nio.file.Files.writeString(file, "from-file\n");
        Migration m = migration("source", "sftp://a@h/x", "target", "file:/x", "password", "${SFTP_PASSWORD}",
                "targetPassword", "file:" + file);
        assertThat(FilesSpec.secret(m, "source", "password", v -> v.replace("${SFTP_PASSWORD}", "from-env"))).isEqualTo("from-env");
        assertThat(FilesSpec.secret(m, "target", "password", v -> v)).isEqualTo("from-file");
        assertThat(FilesSpec.of(m).toString()).doesNotContain("SFTP_PASSWORD", "from");
        assertThat(FilesSpec.of(m).fingerprint()).doesNotContain("SFTP_PASSWORD");
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

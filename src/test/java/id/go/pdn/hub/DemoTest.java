package id.go.pdn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `hub demo`, the README's first command, end to end in this JVM: seed, migrate, verify, summary, exit code. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoMigratesTheSeededApplicationAndVerifiesIt() throws Exception {
        HubCli.Result run = HubCli.run("--data-dir", dir.toString(), "demo");
        int exit = run.exit();
        String printed = run.out();

        assertThat(exit).isZero();
        assertThat(printed).containsPattern("simpeg-mail\\s+\\[simpeg, mail\\]\\s+run \\d+: SUCCEEDED")
                .contains("this run: 27 messages");
        assertThat(printed).contains("simpeg-db", "SUCCEEDED", "VERIFIED: every item was copied")
                .containsPattern("PEGAWAI\\s+8,000 rows")
                .containsPattern("RIWAYAT_LOGIN\\s+800 rows");

        // the target really holds the data, unicode and binary included
        Path demo = dir.resolve("demo");
        // the demo's databases have random passwords, in owner-only files beside them
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:file:" + demo.resolve("pdn"), "sa", "").close())
                .hasMessageContaining("Wrong user name or password");
        String pdnPassword = Files.readString(demo.resolve("pdn.db.password")).strip();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve("pdn.db.password"))))
                .isEqualTo("rw-------");
        try (Connection target = DriverManager.getConnection("jdbc:h2:file:" + demo.resolve("pdn"), "sa", pdnPassword)) {
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM PEGAWAI")).isEqualTo(8000);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM PEGAWAI WHERE NAMA LIKE 'Ñoman Ṡuryadi ꦱꦸꦂꦪ %'")).isEqualTo(1600);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM DOKUMEN WHERE ISI IS NULL")).isEqualTo(350);
            // foreign keys and indexes were created after the copy
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                    + "WHERE CONSTRAINT_TYPE = 'FOREIGN KEY'")).isEqualTo(3);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'PEGAWAI_UQ_PEGAWAI_NIP'")).as("index names are per schema in H2: prefixed by the table").isEqualTo(1);
            // the identity counter follows the copied rows
            TestDatabases.execute(target, "INSERT INTO PEGAWAI (NIP, NAMA, UNIT_ID, AKTIF, DIUBAH_PADA) VALUES ('x', 'baru', 1, TRUE, CURRENT_TIMESTAMP)");
            assertThat(TestDatabases.count(target, "SELECT MAX(ID) FROM PEGAWAI")).isEqualTo(8001);
        }
        // the uploads: every file on the target SFTP server, identical, with its mtime; the empty folder too
        Path uploads = demo.resolve("simpeg-sftp/uploads");
        Path copied = demo.resolve("pdn-sftp/simpeg/uploads");
        assertThat(printed).contains("simpeg-files").containsPattern("surat masuk/\\s+300 files");
        assertThat(id.go.pdn.hub.files.FilesTestSupport.tree(copied, true)).isEqualTo(id.go.pdn.hub.files.FilesTestSupport.tree(uploads, true));
        assertThat(Files.getLastModifiedTime(copied.resolve("surat masuk/2024-1/surat 0 Ñoman ꦱꦸꦂꦪ.txt")))
                .isEqualTo(Files.getLastModifiedTime(uploads.resolve("surat masuk/2024-1/surat 0 Ñoman ꦱꦸꦂꦪ.txt")));
        assertThat(Files.isDirectory(copied.resolve("foto/belum diunggah"))).isTrue();
        assertThat(Files.list(demo.resolve("reports").resolve("simpeg"))).anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        // the tools read the same ledger afterwards
        String status = HubCli.ok("--data-dir", demo.toString(), "status", "--ledger");
        assertThat(status).containsPattern("simpeg-db\\s+simpeg\\s+db\\s+14/14\\s+0\\s+0\\s+12,345\\s+#\\d+ SUCCEEDED")
                .containsPattern("simpeg-files\\s+simpeg\\s+files\\s+(\\d+)/\\1\\s+0\\s+0")
                .containsPattern("simpeg-mail\\s+simpeg\\s+mail\\s+(\\d+)/\\1\\s+0\\s+0\\s+27\\s");
        String report = HubCli.ok("--data-dir", demo.toString(), "report", "simpeg");
        assertThat(report).contains("simpeg: COMPLETE AND VERIFIED");
        assertThat(Files.readString(demo.resolve("reports/simpeg/report.json"))).contains("\"text\" : \"COMPLETE AND VERIFIED\"")
                .containsPattern("\"name\" : \"PEGAWAI\",\\s+\"itemsTotal\" : 8,\\s+\"itemsVerified\" : 8,\\s+\"units\" : 8000,");
        assertThat(demo.resolve("reports/simpeg/report.html")).exists(); // its content: ReportTest, ReportInChromiumIT
        assertThat(HubCli.ok("--data-dir", demo.toString(), "dlq", "list")).contains("0 dead letters");

        // the demo's settings and routes for other commands; the secrets only in owner-only files
        String config = Files.readString(demo.resolve("hub-demo.yaml"));
        String sftpPassword = Files.readString(demo.resolve("sftp.password")).strip();
        assertThat(config).contains("password-file: " + demo.resolve("sftp.password"), "known-hosts: " + demo.resolve("known_hosts"),
                "demo-simpeg-local:", "AUTO_SERVER=TRUE", "accounts: " + demo.resolve("mail/mail-accounts.csv"))
                .contains("password-file: " + demo.resolve("pdn.db.password"))
                .doesNotContain(sftpPassword, "budi-lokal", pdnPassword);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve("sftp.password"))))
                .isEqualTo("rw-------");
        assertThat(demo.resolve("routes")).isDirectoryContaining("glob:**/demo-db.yaml").isDirectoryContaining("glob:**/demo-files.yaml")
                .isDirectoryContaining("glob:**/demo-mail.yaml");
        assertThat(printed).contains("The demo's settings: " + demo.resolve("hub-demo.yaml"));

        // the hub's MBean is gone with its context; Camel's were there (checked in DatabaseMigrationIT while running)
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new javax.management.ObjectName("hub:*"), null)).isEmpty();
    }
}

package id.go.pdn.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import id.go.pdn.hub.cli.Main;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `hub demo`, the README's first command, end to end in this JVM: seed, migrate, verify, summary, exit code. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoMigratesTheSeededApplicationAndVerifiesIt() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("--data-dir", dir.toString(), "demo");
        } finally {
            System.setOut(stdout);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(exit).isZero();
        assertThat(printed).containsPattern("simpeg-mail\\s+\\[simpeg, mail\\]\\s+run \\d+: SUCCEEDED")
                .contains("this run: 27 rows");
        assertThat(printed).contains("simpeg-db", "SUCCEEDED", "VERIFIED: every item was copied")
                .containsPattern("PEGAWAI\\s+8,000 rows")
                .containsPattern("RIWAYAT_LOGIN\\s+800 rows");

        // the target really holds the data, unicode and binary included
        Path demo = dir.resolve("demo");
        try (Connection target = DriverManager.getConnection("jdbc:h2:file:" + demo.resolve("pdn"), "sa", "")) {
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM PEGAWAI")).isEqualTo(8000);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM PEGAWAI WHERE NAMA LIKE 'Ñoman Ṡuryadi ꦱꦸꦂꦪ %'")).isEqualTo(1600);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM DOKUMEN WHERE ISI IS NULL")).isEqualTo(350);
            // foreign keys and indexes were created after the copy
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                    + "WHERE CONSTRAINT_TYPE = 'FOREIGN KEY'")).isEqualTo(3);
            assertThat(TestDatabases.count(target, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'UQ_PEGAWAI_NIP'")).isEqualTo(1);
            // the identity counter follows the copied rows
            TestDatabases.execute(target, "INSERT INTO PEGAWAI (NIP, NAMA, UNIT_ID, AKTIF, DIUBAH_PADA) VALUES ('x', 'baru', 1, TRUE, CURRENT_TIMESTAMP)");
            assertThat(TestDatabases.count(target, "SELECT MAX(ID) FROM PEGAWAI")).isEqualTo(8001);
        }
        assertThat(Files.list(demo.resolve("reports").resolve("simpeg"))).anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        // the hub's MBean is gone with its context; Camel's were there (checked in DatabaseMigrationIT while running)
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new javax.management.ObjectName("hub:*"), null)).isEmpty();
    }
}

package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PHP application's MariaDB database into PostgreSQL: types, values, keys, indexes, sequences, re-run. */
class MariaDbToPostgresIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_src");
    String target = TestDatabases.uniqueName("hub_it_dst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, """
                    CREATE TABLE dinas (
                      id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT,
                      kode CHAR(8) NOT NULL,
                      nama VARCHAR(120) NOT NULL,
                      UNIQUE KEY uq_dinas_kode (kode)
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""", """
                    CREATE TABLE surat (
                      id BIGINT PRIMARY KEY AUTO_INCREMENT,
                      dinas_id INT UNSIGNED NOT NULL,
                      nomor VARCHAR(60) NOT NULL,
                      perihal TEXT,
                      status ENUM('draft','terkirim','arsip') NOT NULL,
                      penting TINYINT(1) NOT NULL DEFAULT 0,
                      biaya DECIMAL(14,2),
                      rasio DOUBLE,
                      tanggal DATE,
                      dibuat DATETIME(6) NOT NULL,
                      tahun YEAR,
                      berkas BLOB,
                      hitungan BIGINT UNSIGNED,
                      KEY ix_surat_dinas (dinas_id),
                      CONSTRAINT fk_surat_dinas FOREIGN KEY (dinas_id) REFERENCES dinas (id)
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""", """
                    CREATE TABLE catatan_bebas (teks VARCHAR(200), nilai INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""");
            execute(c, "INSERT INTO dinas (kode, nama) SELECT CONCAT('D', seq), CONCAT('Dinas ', seq, ' — Pemkot ꦱꦸꦫꦧꦪ 🏛') FROM seq_1_to_40");
            execute(c, """
                    INSERT INTO surat (dinas_id, nomor, perihal, status, penting, biaya, rasio, tanggal, dibuat, tahun, berkas, hitungan)
                    SELECT 1 + seq % 40, CONCAT(seq, '/SK/2024'),
                           IF(seq % 9 = 0, NULL, CONCAT('Perihal "', seq, '"\ttab\\\\garis\nbaris baru, Ünïcødé')),
                           ELT(1 + seq % 3, 'draft', 'terkirim', 'arsip'), seq % 5 = 0,
                           IF(seq % 7 = 0, NULL, seq * 1000.25), IF(seq % 11 = 0, NULL, seq / 3),
                           IF(seq % 13 = 0, NULL, DATE('2020-01-01') + INTERVAL seq DAY),
                           TIMESTAMP('2024-01-01 07:00:00.123456') + INTERVAL seq SECOND, 2000 + seq % 25,
                           IF(seq % 4 = 0, NULL, UNHEX(CONCAT(HEX(seq), '00FF'))), 18446744073709551615 - seq
                    FROM seq_1_to_12000""");
            execute(c, "INSERT INTO surat (id, dinas_id, nomor, status, dibuat) VALUES (50000, 1, 'jauh', 'draft', '2024-02-29 23:59:59')");
            execute(c, "INSERT INTO catatan_bebas VALUES ('tanpa kunci', 1), ('tanpa kunci', 1), (NULL, NULL)");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
    }

    @Test
    void copiesVerifiesAndFinishesThenARerunCopiesNothing() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                .route("surat.yaml", TestHub.dbRoute("surat-db", "esurat", "local", "pdn",
                        Map.of("chunkSize", "1000", "parallelism", "3")))
                .start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName mbean = new ObjectName("hub:type=migration,kind=\"db\",application=\"esurat\",name=\"surat-db\"");
            assertThat(jmx.getAttribute(mbean, "State")).isEqualTo("IDLE");
            assertThat(jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)).isNotEmpty();

            RunSummary first = hub.run("surat-db");

            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(first.rows()).isEqualTo(40 + 12001 + 3);
            assertThat(first.itemsVerified()).isEqualTo(first.itemsTotal()).isEqualTo(1 + 13 + 1);
            assertThat(jmx.getAttribute(mbean, "State")).isEqualTo("SUCCEEDED");
            assertThat(jmx.getAttribute(mbean, "ItemsDone")).isEqualTo(15);
            assertThat((Long) jmx.getAttribute(mbean, "Rows")).isEqualTo(12044L);

            try (Connection pg = TestDatabases.postgres(target); Statement s = pg.createStatement()) {
                assertThat(count(pg, "SELECT COUNT(*) FROM surat")).isEqualTo(12001);
                assertThat(count(pg, "SELECT COUNT(*) FROM catatan_bebas")).isEqualTo(3);
                try (ResultSet rs = s.executeQuery("SELECT nomor, perihal, status, penting, biaya, rasio, tanggal, dibuat, tahun, "
                        + "encode(berkas, 'hex'), hitungan FROM surat WHERE id = 10")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("10/SK/2024");
                    assertThat(rs.getString(2)).isEqualTo("Perihal \"10\"\ttab\\garis\nbaris baru, Ünïcødé");
                    assertThat(rs.getString(3)).isEqualTo("terkirim");
                    assertThat(rs.getInt(4)).isEqualTo(1);
                    assertThat(rs.getBigDecimal(5)).isEqualByComparingTo("10002.50");
                    assertThat(rs.getDouble(6)).isCloseTo(3.3333, org.assertj.core.data.Offset.offset(0.001));
                    assertThat(rs.getString(7)).isEqualTo("2020-01-11");
                    assertThat(rs.getString(8)).isEqualTo("2024-01-01 07:00:10.123456");
                    assertThat(rs.getInt(9)).isEqualTo(2010);
                    assertThat(rs.getString(10)).isEqualTo("0a00ff");
                    assertThat(rs.getString(11)).isEqualTo("18446744073709551605");
                }
                assertThat(count(pg, "SELECT COUNT(*) FROM surat WHERE perihal IS NULL")).isEqualTo(1333 + 1); // and the row 50000
                assertThat(count(pg, "SELECT COUNT(*) FROM dinas WHERE nama LIKE '%ꦱꦸꦫꦧꦪ 🏛'")).isEqualTo(40);
                // indexes, foreign key and the identity counter, made after the copy
                assertThat(count(pg, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'surat' AND indexname = 'surat_ix_surat_dinas'")).isOne();
                assertThat(count(pg, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'dinas' AND indexname = 'dinas_uq_dinas_kode'")).isOne();
                assertThat(count(pg, "SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' "
                        + "AND table_name = 'surat'")).isOne();
                execute(pg, "INSERT INTO surat (dinas_id, nomor, status, penting, dibuat) VALUES (1, 'baru', 'draft', 0, now())");
                assertThat(count(pg, "SELECT MAX(id) FROM surat")).isEqualTo(50001);
            }

            RunSummary second = hub.run("surat-db");
            assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(second.rows()).as("a finished migration copies nothing again").isZero();
            assertThat(second.rowsTotal()).isEqualTo(12044);
        }
    }
}

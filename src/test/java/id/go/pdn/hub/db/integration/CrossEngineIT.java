package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/** The other pairs: PostgreSQL into MariaDB (its own types land in MariaDB's), and H2 (the demo's data) into PostgreSQL. */
class CrossEngineIT {

    @TempDir
    Path dir;

    @Test
    void postgresIntoMariaDb() throws Exception {
        String source = TestDatabases.uniqueName("hub_it_xpg");
        String target = TestDatabases.uniqueName("hub_it_xmy");
        TestDatabases.createPostgres(source);
        TestDatabases.createMariaDb(target);
        try {
            try (Connection c = TestDatabases.postgres(source)) {
                execute(c, """
                        CREATE TABLE layanan (
                          id serial PRIMARY KEY, kode uuid NOT NULL, nama text NOT NULL, meta jsonb, label text[],
                          dibuka timestamptz NOT NULL, biaya numeric(18,4), aktif boolean, ikon bytea, tanggal date)""", """
                        INSERT INTO layanan (kode, nama, meta, label, dibuka, biaya, aktif, ikon, tanggal)
                        SELECT md5(g::text)::uuid, 'Layanan ' || g || ' ñ 🏢', jsonb_build_object('n', g), ARRAY['x', 'y' || g],
                               timestamptz '2024-05-01 10:00:00.25+07' + g * interval '1 hour', g * 1.0001, g % 2 = 0,
                               CASE WHEN g % 3 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END, date '2024-01-01' + g
                        FROM generate_series(1, 3000) g""");
            }
            try (TestHub hub = TestHub.builder(dir)
                    .datasource("local", TestDatabases.postgresUrl(source), "postgres")
                    .datasource("pdn", TestDatabases.mariaDbUrl(target), "root")
                    .route("layanan.yaml", TestHub.dbRoute("layanan-db", "sipp", "local", "pdn", Map.of("chunkSize", "1000")))
                    .start()) {
                RunSummary run = hub.run("layanan-db");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.rows()).isEqualTo(3000);
            }
            try (Connection my = TestDatabases.mariaDb(target); Statement s = my.createStatement();
                 ResultSet rs = s.executeQuery("SELECT kode, nama, meta, label, dibuka, biaya, aktif, HEX(ikon) FROM layanan WHERE id = 2")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("c81e728d-9d4c-2f63-6f06-7f89cc14862c");
                assertThat(rs.getString(2)).isEqualTo("Layanan 2 ñ 🏢");
                assertThat(rs.getString(3)).isEqualTo("{\"n\": 2}");
                assertThat(rs.getString(4)).isEqualTo("{x,y2}");
                assertThat(rs.getString(5)).as("timestamptz as UTC wall-clock time").isEqualTo("2024-05-01 05:00:00.250000");
                assertThat(rs.getBigDecimal(6)).isEqualByComparingTo("2.0002");
                assertThat(rs.getInt(7)).isEqualTo(1);
                assertThat(rs.getString(8)).isEqualToIgnoringCase("c81e728d9d4c2f636f067f89cc14862c");
            }
        } finally {
            TestDatabases.dropPostgres(source);
            TestDatabases.dropMariaDb(target);
        }
    }

    @Test
    void h2DemoDataIntoPostgres() throws Exception {
        String target = TestDatabases.uniqueName("hub_it_xh2");
        TestDatabases.createPostgres(target);
        String source = "jdbc:h2:file:" + dir.resolve("simpeg");
        try {
            try (Connection h2 = DriverManager.getConnection(source, "sa", "")) {
                ScriptUtils.executeSqlScript(h2, new ClassPathResource("demo/simpeg-source.sql"));
            }
            try (TestHub hub = TestHub.builder(dir)
                    .datasource("local", source, "sa")
                    .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                    .route("simpeg.yaml", TestHub.dbRoute("simpeg-db", "simpeg", "local", "pdn", Map.of("chunkSize", "3000")))
                    .start()) {
                RunSummary run = hub.run("simpeg-db");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.rows()).isEqualTo(12_345);
            }
            try (Connection pg = TestDatabases.postgres(target)) {
                // H2's upper-case names become PostgreSQL's lower case
                assertThat(count(pg, "SELECT COUNT(*) FROM pegawai WHERE nama LIKE 'Ñoman Ṡuryadi ꦱꦸꦂꦪ %'")).isEqualTo(1600);
                assertThat(count(pg, "SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY'")).isEqualTo(3);
                assertThat(count(pg, "SELECT COUNT(*) FROM riwayat_login")).isEqualTo(800);
            }
        } finally {
            TestDatabases.dropPostgres(target);
        }
    }
}

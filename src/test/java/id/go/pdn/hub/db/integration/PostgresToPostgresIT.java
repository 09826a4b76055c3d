package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL into PostgreSQL: the engine's own types (jsonb, uuid, arrays, timestamptz) keep their exact type. */
class PostgresToPostgresIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_pgsrc");
    String target = TestDatabases.uniqueName("hub_it_pgdst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createPostgres(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.postgres(source)) {
            execute(c, """
                    CREATE TABLE penduduk (
                      id serial PRIMARY KEY,
                      nik char(16) NOT NULL,
                      nama text NOT NULL,
                      data jsonb,
                      token uuid,
                      tag text[],
                      lahir date,
                      tercatat timestamptz NOT NULL,
                      saldo numeric(18,4),
                      aktif boolean,
                      foto bytea
                    )""", "CREATE UNIQUE INDEX uq_nik ON penduduk (nik)", """
                    INSERT INTO penduduk (nik, nama, data, token, tag, lahir, tercatat, saldo, aktif, foto)
                    SELECT lpad(g::text, 16, '0'), 'Warga ' || g || ' ñ 🏠',
                           CASE WHEN g % 5 = 0 THEN NULL ELSE jsonb_build_object('rt', g % 20, 'rw', g % 7, 'catatan', 'a"b') END,
                           md5(g::text)::uuid, ARRAY['a', 'b' || g], date '1980-01-01' + g,
                           timestamptz '2024-05-01 10:00:00+07' + g * interval '1 minute 1.5 second',
                           CASE WHEN g % 3 = 0 THEN NULL ELSE g * 1.0001 END, g % 2 = 0,
                           CASE WHEN g % 4 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END
                    FROM generate_series(1, 7000) g""");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropPostgres(source);
        TestDatabases.dropPostgres(target);
    }

    @Test
    void copiesEveryRowWithItsExactTypes() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", TestDatabases.postgresUrl(source), "postgres")
                .datasource("pdn", TestDatabases.postgresUrl(target), "postgres")
                .route("penduduk.yaml", TestHub.dbRoute("penduduk-db", "siak", "local", "pdn", Map.of("chunkSize", "2000")))
                .start()) {
            RunSummary run = hub.run("penduduk-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.rows()).isEqualTo(7000);
        }
        try (Connection src = TestDatabases.postgres(source); Connection dst = TestDatabases.postgres(target)) {
            String columns = "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) "
                    + "FROM information_schema.columns WHERE table_name = 'penduduk'";
            assertThat(text(dst, columns)).isEqualTo(text(src, columns));
            String digest = "SELECT md5(string_agg(p::text, '|' ORDER BY id)) FROM penduduk p";
            assertThat(text(dst, digest)).as("every value, as PostgreSQL prints it").isEqualTo(text(src, digest));
            assertThat(count(dst, "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'penduduk_uq_nik'")).isOne();
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode sync, PostgreSQL into PostgreSQL: a serial key (its sequence follows), a composite key of text and integer and a
 * textual key with mixed case and accents (keyset chunks in binary order whatever the database's collation), a uuid key
 * (not cut: compared whole).
 */
class DbSyncPostgresIT {

    private static final String ID = "sinkron-pg";
    private static final Map<String, String> TABLES = Map.of(
            "syncpg_surat", "id, perihal",
            "syncpg_nilai", "kelas, nomor, nilai",
            "syncpg_kode", "kode, ket",
            "syncpg_token", "token, ket");

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_syncpg_src");
    String target = TestDatabases.uniqueName("hub_syncpg_dst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createPostgres(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.postgres(source)) {
            execute(c, "CREATE TABLE syncpg_surat (id serial PRIMARY KEY, perihal text NOT NULL)",
                    "INSERT INTO syncpg_surat (perihal) SELECT 'surat ' || g FROM generate_series(1, 2500) g",
                    "CREATE TABLE syncpg_nilai (kelas varchar(10) NOT NULL, nomor int NOT NULL, nilai int, PRIMARY KEY (kelas, nomor))",
                    "INSERT INTO syncpg_nilai SELECT (ARRAY['b', 'A', 'a', 'É'])[1 + g % 4], g, g FROM generate_series(1, 1600) g",
                    "CREATE TABLE syncpg_kode (kode varchar(20) PRIMARY KEY, ket text)",
                    "INSERT INTO syncpg_kode SELECT (ARRAY['x', 'X', 'ä', 'Z', '_'])[1 + g % 5] || lpad(g::text, 5, '0'), 'ket ' || g "
                            + "FROM generate_series(1, 1500) g",
                    "CREATE TABLE syncpg_token (token uuid PRIMARY KEY, ket text)",
                    "INSERT INTO syncpg_token SELECT md5(g::text)::uuid, 'token ' || g FROM generate_series(1, 300) g");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropPostgres(source);
        TestDatabases.dropPostgres(target);
    }

    @Test
    void eachRunBringsEveryKindOfKeyToTheSourcesState() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("asal", TestDatabases.postgresUrl(source), "postgres")
                .datasource("tujuan", TestDatabases.postgresUrl(target), "postgres")
                .route("sinkron.yaml", TestHub.dbRoute(ID, "sinkron", "asal", "tujuan",
                        Map.of("chunkSize", "400", "parallelism", "3", "tables", "syncpg_*")))
                .start()) {
            RunSummary first = hub.run(ID);
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertEqual();
            List<String> keys = hub.bean(Ledger.class).items(ID, ItemStatus.VERIFIED).stream().map(i -> i.key()).toList();
            assertThat(keys).filteredOn(k -> k.startsWith("syncpg_nilai (kelas, nomor) [")).hasSize(4);
            assertThat(keys).filteredOn(k -> k.startsWith("syncpg_kode (kode) [")).hasSize(4);
            assertThat(keys).contains("syncpg_token (whole table)");

            try (Connection c = TestDatabases.postgres(source)) {
                execute(c, "INSERT INTO syncpg_surat (perihal) SELECT 'baru ' || g FROM generate_series(1, 30) g",
                        "DELETE FROM syncpg_surat WHERE id % 250 = 3",
                        "UPDATE syncpg_surat SET perihal = perihal || ' (ubah)' WHERE id IN (10, 1200)",
                        "INSERT INTO syncpg_nilai VALUES ('0', 1, 1), ('a', 99999, 2), ('Ä', 5, 5)",
                        "DELETE FROM syncpg_nilai WHERE nomor IN (7, 800)",
                        "UPDATE syncpg_kode SET ket = 'ubah' WHERE kode IN ('x00005', 'Z00003', 'ä00002')",
                        "INSERT INTO syncpg_kode VALUES ('0', 'awal'), ('ü', 'akhir'), ('X00004a', 'tengah')",
                        "DELETE FROM syncpg_kode WHERE kode LIKE '_0100_'",
                        "UPDATE syncpg_token SET ket = 'ubah' WHERE ket = 'token 7'");
            }
            RunSummary second = hub.run(ID);
            assertThat(second.state()).as(second.toString()).isEqualTo(RunState.SUCCEEDED);
            assertEqual();
            try (Connection pg = TestDatabases.postgres(target)) {
                execute(pg, "INSERT INTO syncpg_surat (perihal) VALUES ('aplikasi')");
                assertThat(count(pg, "SELECT id FROM syncpg_surat WHERE perihal = 'aplikasi'")).isEqualTo(2531);
                execute(pg, "DELETE FROM syncpg_surat WHERE perihal = 'aplikasi'");
            }
            assertThat(hub.run(ID).rows()).as("nothing changed since: nothing copied").isZero();
        }
    }

    private void assertEqual() throws Exception {
        try (Connection c = TestDatabases.postgres(source); Connection pg = TestDatabases.postgres(target)) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                String select = "SELECT concat_ws('|', " + table.getValue() + ") FROM " + table.getKey();
                assertThat(rows(pg, select)).as("target table %s equals the source", table.getKey()).isEqualTo(rows(c, select));
            }
        }
    }

    private static List<String> rows(Connection connection, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        Collections.sort(rows);
        return rows;
    }
}

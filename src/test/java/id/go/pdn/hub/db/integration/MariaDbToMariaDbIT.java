package id.go.pdn.hub.db.integration;

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

/** MariaDB into MariaDB: column types are copied exactly (enum, unsigned, tinyint(1)), and so is every value. */
class MariaDbToMariaDbIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("hub_it_msrc");
    String target = TestDatabases.uniqueName("hub_it_mdst");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createMariaDb(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, """
                    CREATE TABLE pajak (
                      id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT,
                      npwp VARCHAR(20) NOT NULL,
                      jenis ENUM('pbb','bphtb','reklame') NOT NULL,
                      lunas TINYINT(1) NOT NULL,
                      nilai DECIMAL(15,2),
                      jatuh_tempo DATE,
                      dicatat DATETIME NOT NULL,
                      catatan MEDIUMTEXT,
                      KEY ix_npwp (npwp)
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""", """
                    INSERT INTO pajak (npwp, jenis, lunas, nilai, jatuh_tempo, dicatat, catatan)
                    SELECT LPAD(seq, 15, '0'), ELT(1 + seq % 3, 'pbb', 'bphtb', 'reklame'), seq % 7,
                           IF(seq % 6 = 0, NULL, seq * 10.5), IF(seq % 8 = 0, NULL, '2025-01-01' + INTERVAL seq DAY),
                           '2023-01-01' + INTERVAL seq HOUR, IF(seq % 3 = 0, NULL, CONCAT('ꦥꦗꦏ ', seq))
                    FROM seq_1_to_5000""");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropMariaDb(target);
    }

    @Test
    void copiesTypesAndValuesExactly() throws Exception {
        try (TestHub hub = TestHub.builder(dir)
                .datasource("local", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.mariaDbUrl(target), "root")
                .route("pajak.yaml", TestHub.dbRoute("pajak-db", "sipd", "local", "pdn", Map.of("chunkSize", "700")))
                .start()) {
            RunSummary run = hub.run("pajak-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsTotal()).isEqualTo(8);
        }
        try (Connection src = TestDatabases.mariaDb(source); Connection dst = TestDatabases.mariaDb(target)) {
            String columns = "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) ORDER BY ORDINAL_POSITION) "
                    + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pajak'";
            assertThat(text(dst, columns)).isEqualTo(text(src, columns)).contains("enum('pbb','bphtb','reklame')", "tinyint(1)", "int(10) unsigned");
            String digest = "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, npwp, jenis, lunas, IFNULL(nilai, 'N'), IFNULL(jatuh_tempo, 'N'), "
                    + "dicatat, IFNULL(catatan, 'N')) ORDER BY id SEPARATOR '#')) FROM pajak";
            execute(src, "SET SESSION group_concat_max_len = 100000000");
            execute(dst, "SET SESSION group_concat_max_len = 100000000");
            assertThat(text(dst, digest)).isEqualTo(text(src, digest));
            assertThat(text(dst, "SELECT COUNT(*) FROM pajak WHERE lunas = 6")).isEqualTo("714");
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package id.go.pdn.hub.db;

import static id.go.pdn.hub.support.ExternalServers.Server.POSTGIS;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.db.copy.RowChecksum;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checksum PostgreSQL computes in SQL ({@link SqlSums}) is the one the hub computes of the same rows read back
 * ({@link RowChecksum}), row by row and summed, over a zoo of types; a table with floats has no SQL form (read back).
 */
@Needs(POSTGIS)
class SqlSumsPostgresIT {

    String db = TestDatabases.uniqueName("hub_sqlsums");

    @BeforeEach
    void database() throws Exception {
        TestDatabases.createPostgres(db);
        try (Connection c = TestDatabases.postgres(db)) {
            execute(c, "CREATE EXTENSION IF NOT EXISTS postgis", "CREATE TYPE mood AS ENUM ('sedih', 'senang')", """
                    CREATE TABLE zoo (id bigint PRIMARY KEY, i2 smallint, i4 integer, n numeric(14,4), nn numeric, t text,
                      v varchar(40), c char(6), b bytea, d date, tm time, ts timestamp(6), tz timestamptz, ok boolean, j json,
                      jb jsonb, u uuid, m mood, g geometry, arr integer[])""", """
                    INSERT INTO zoo VALUES
                      (1, 1, -2147483648, 0.0000, 100, 'plain', 'x', 'ab', '\\x00ff10', '2024-02-29', '07:00:00', '2024-01-01 07:00:00',
                       '2024-01-01 07:00:00+07', true, '{"a": [1, 2]}', '{"b": 1, "a": "ü"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                       'senang', 'SRID=4326;POINT(106.8 -6.2)', '{1,2,3}'),
                      (2, -32768, 7, -12345678.1200, 1.50, E'tab\\there\\nnew line \\\\ back € 𝄞 ñ 日本', '', 'ü     ', '\\x', '0999-12-31',
                       '23:59:59.5', '1999-12-31 23:59:59.123456', '2024-06-30 23:30:00.25-02', false, 'null', '[]', NULL, 'sedih',
                       'POINT(1 2)', '{}'),
                      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                      (4, 0, 0, 99999.9999, 0.000000001, '', 'spasi di akhir  ', 'abcdef', '\\x1f1e', '2038-01-19', '00:00:00.000001',
                       '2000-02-29 00:00:00.1', '1970-01-01 00:00:00+00', true, '"teks"', '{"x": null}',
                       '00000000-0000-0000-0000-000000000000', 'senang', 'LINESTRING(0 0, 1 1)', NULL)""",
                    "CREATE TABLE floats (id bigint PRIMARY KEY, r real, dp double precision)",
                    "INSERT INTO floats VALUES (1, 1.5, 0.1), (2, NULL, 1e300)",
                    "CREATE TABLE money_bits (id bigint PRIMARY KEY, m money, bits bit(3))");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropPostgres(db);
    }

    /** What the hub's target select reads of each column of zoo: geometry as EWKB, as the PostgreSQL dialect reads it. */
    private static final List<String> ZOO_READS = List.of("\"id\"", "\"i2\"", "\"i4\"", "\"n\"", "\"nn\"", "\"t\"", "\"v\"", "\"c\"",
            "\"b\"", "\"d\"", "\"tm\"", "\"ts\"", "\"tz\"", "\"ok\"", "\"j\"", "\"jb\"", "\"u\"", "\"m\"", "ST_AsEWKB(\"g\", 'NDR')",
            "\"arr\"");

    @Test
    void sqlChecksumIsTheHubsRowByRowAndSummed() throws Exception {
        try (Connection c = TestDatabases.postgres(db)) {
            String select = "SELECT " + String.join(", ", ZOO_READS) + " FROM zoo";
            String row;
            Map<Long, String> javaRows = new LinkedHashMap<>();
            RowChecksum javaSum = new RowChecksum();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select + " ORDER BY id")) {
                row = SqlSums.rowExpression(ZOO_READS, rs.getMetaData());
                RowReader reader = new RowReader(rs, null);
                Object[] values = new Object[reader.kinds.length];
                while (rs.next()) {
                    reader.read(rs, values);
                    long[] hash = javaSum.addAndHash(values, reader.kinds);
                    javaRows.put((Long) values[0], String.format("%016x%016x", hash[0], hash[1]));
                }
            }
            assertThat(row).as("every column of the zoo has a SQL form").isNotNull();
            Map<Long, String> sqlRows = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, " + row + " FROM zoo ORDER BY id")) {
                while (rs.next()) {
                    sqlRows.put(rs.getLong(1), rs.getString(2));
                }
            }
            assertThat(javaRows).hasSize(4);
            assertThat(sqlRows).as("MD5 of each row: in SQL as the hub computes it").isEqualTo(javaRows);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SqlSums.query(row, " FROM zoo"))) {
                assertThat(SqlSums.value(rs)).isEqualTo(javaSum.value()).startsWith("4:");
            }
            // one value changed: the SQL sum is no longer the hub's sum of the rows as they were
            execute(c, "UPDATE zoo SET t = 'plain.' WHERE id = 1");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SqlSums.query(row, " FROM zoo"))) {
                assertThat(SqlSums.value(rs)).isNotEqualTo(javaSum.value()).startsWith("4:");
            }
        }
    }

    @Test
    void floatsMoneyAndBitStringsHaveNoSqlFormAndAreReadBack() throws Exception {
        try (Connection c = TestDatabases.postgres(db)) {
            for (String table : List.of("floats", "money_bits")) {
                List<String> reads = table.equals("floats") ? List.of("\"id\"", "\"r\"", "\"dp\"") : List.of("\"id\"", "\"m\"", "\"bits\"");
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT " + String.join(", ", reads) + " FROM " + table + " WHERE 1 = 0")) {
                    assertThat(SqlSums.rowExpression(reads, rs.getMetaData())).as(table).isNull();
                }
            }
        }
    }
}

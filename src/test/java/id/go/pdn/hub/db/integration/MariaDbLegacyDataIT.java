package id.go.pdn.hub.db.integration;

import static id.go.pdn.hub.support.ExternalServers.Server.POSTGIS;
import static id.go.pdn.hub.support.TestDatabases.count;
import static id.go.pdn.hub.support.TestDatabases.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.MigrationRunner;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestDatabases;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the rest of "application-ready": a legacy MariaDB database into PostgreSQL. Text of latin1 (Windows-1252 with
 * its C1 holes), gbk, big5, sjis, utf8mb3 and utf8mb4 columns decoded by each column's own charset, bytes that are no
 * text rejected (never {@code ?}); spatial columns as PostGIS geometry keeping their SRID, or WKB bytea where PostGIS
 * cannot be created; MySQL enums as PostgreSQL enum types with {@code enumAs: type}.
 */
@Needs(POSTGIS)
class MariaDbLegacyDataIT {

    @TempDir
    Path dir;
    String source = TestDatabases.uniqueName("db13_legacy");
    String target = TestDatabases.uniqueName("db13_legacy_pg");
    String role = TestDatabases.uniqueName("db13_nogis");

    @BeforeEach
    void databases() throws Exception {
        TestDatabases.createMariaDb(source);
        TestDatabases.createPostgres(target);
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, """
                    CREATE TABLE Texts (
                      id INT PRIMARY KEY,
                      t_latin1 VARCHAR(40) CHARACTER SET latin1,
                      t_cp1252 VARCHAR(40) CHARACTER SET latin1,
                      t_gbk VARCHAR(40) CHARACTER SET gbk,
                      t_big5 VARCHAR(40) CHARACTER SET big5,
                      t_sjis VARCHAR(40) CHARACTER SET sjis,
                      t_utf8mb3 VARCHAR(40) CHARACTER SET utf8mb3,
                      t_utf8mb4 VARCHAR(40) CHARACTER SET utf8mb4,
                      c_gbk CHAR(6) CHARACTER SET gbk,
                      note TEXT CHARACTER SET latin1
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
                    // the exact bytes: the server's conversion to UTF-8 gives '?' for A2E3 and AAA1 in gbk
                    "INSERT INTO Texts VALUES (1, X'636166E920F120FC', X'80939481', X'D6D0CEC4BCF2CCE5A2E3', X'A4A4A4E5C163C5E9',"
                            + " X'93FA967B8CEA8365834C83588367', 'Ünïcødé', 'emoji 😀 ok', X'6162', X'E0E8')",
                    "INSERT INTO Texts VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                    "INSERT INTO Texts (id, t_gbk, t_latin1) VALUES (3, X'AAA1', X'9D')",
                    // C879: a Big5 byte pair MariaDB accepts and neither it nor Java can map: no text
                    "INSERT INTO Texts (id, t_big5, t_sjis) VALUES (4, X'41C879', X'8540')",
                    "INSERT INTO Texts (id, t_latin1) VALUES (5, 'akhir')", """
                    CREATE TABLE Places (
                      id INT PRIMARY KEY,
                      name VARCHAR(40) NOT NULL,
                      pt POINT NOT NULL,
                      area POLYGON NULL,
                      shape GEOMETRY NULL,
                      kind ENUM('kota','desa','pulau') NOT NULL DEFAULT 'kota',
                      tags SET('a','b') NOT NULL DEFAULT ''
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
                    "INSERT INTO Places VALUES (1, 'Jakarta', ST_GeomFromText('POINT(106.8456 -6.2088)', 4326),"
                            + " ST_GeomFromText('POLYGON((106 -6, 107 -6, 107 -7, 106 -6))', 4326), ST_GeomFromText('LINESTRING(0 0, 1 1)'),"
                            + " 'pulau', 'a')",
                    "INSERT INTO Places VALUES (2, 'Nowhere', ST_GeomFromText('POINT(1 2)'), NULL,"
                            + " ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 2 2))', 3857), 'desa', 'a,b')",
                    "CREATE TABLE Armenian (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET armscii8) ENGINE=InnoDB");
        }
    }

    @AfterEach
    void drop() throws Exception {
        TestDatabases.dropMariaDb(source);
        TestDatabases.dropPostgres(target);
        try (Connection pg = DriverManager.getConnection("jdbc:postgresql://" + TestDatabases.PG_HOST + "/test", "postgres", "")) {
            execute(pg, "DROP ROLE IF EXISTS " + role);
        }
    }

    private TestHub hub(String targetUser) throws Exception {
        return TestHub.builder(dir)
                .datasource("legacy", TestDatabases.mariaDbUrl(source), "root")
                .datasource("pdn", TestDatabases.postgresUrl(target), targetUser)
                .route("texts.yaml", TestHub.dbRoute("texts-db", "arsip", "legacy", "pdn", Map.of("chunkSize", "2", "tables", "Texts")))
                .route("places.yaml", TestHub.dbRoute("places-db", "arsip", "legacy", "pdn", Map.of("tables", "Places", "enumAs", "type")))
                .route("armenian.yaml", TestHub.dbRoute("armenian-db", "arsip", "legacy", "pdn", Map.of("tables", "Armenian")))
                .start();
    }

    @Test
    void eachColumnIsDecodedByItsOwnCharsetAndBytesThatAreNoTextAreRejected() throws Exception {
        try (TestHub hub = hub("postgres")) {
            RunSummary run = hub.run("texts-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(run.itemsVerified()).as("the chunks without such bytes, compared as decoded text").isEqualTo(2);
            List<LedgerItem> failed = hub.ledger().items("texts-db", ItemStatus.FAILED);
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).attempts()).as("bytes that are no text are not retried").isOne();
            assertThat(failed.get(0).lastError()).contains("Cannot copy Texts id [3, 5) of migration texts-db",
                    "table Texts, rows id >= 3 AND id < 5: 1 of 2 rows hold bytes that are no text of their column's charset",
                    "first: key id=4, column t_big5: bytes c8 at byte 1 are not big5 text", "the value is x'41c879'",
                    "arsip/texts-db.texts.reject.dat");
            String log = Files.readString(dir.resolve("reports/arsip/texts-db.texts.reject.log"));
            assertThat(log).startsWith("texts id=4 column t_big5: bytes c8 at byte 1 are not big5 text (malformed in Java's Big5); "
                    + "the value is x'41c879'");
            assertThat(Files.readAllLines(dir.resolve("reports/arsip/texts-db.texts.reject.dat")))
                    .as("the row, the bytes that are no text in bytea's hex form").singleElement().asString()
                    .startsWith("4\t\\N\t\\N\t\\N\t\\\\x41c879\t");
        }
        try (Connection pg = TestDatabases.postgres(target); Statement s = pg.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT t_latin1, t_cp1252, t_gbk, t_big5, t_sjis, t_utf8mb3, t_utf8mb4, c_gbk, note "
                    + "FROM texts WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("café ñ ü");
                assertThat(rs.getString(2)).as("Windows-1252, and 0x81 as MySQL maps it").isEqualTo("€“”\u0081");
                assertThat(rs.getString(3)).as("not '?' as the server's conversion gives").isEqualTo("中文简体€");
                assertThat(rs.getString(4)).isEqualTo("中文繁體");
                assertThat(rs.getString(5)).isEqualTo("日本語テキスト");
                assertThat(rs.getString(6)).isEqualTo("Ünïcødé");
                assertThat(rs.getString(7)).isEqualTo("emoji 😀 ok");
                assertThat(rs.getString(8)).isEqualTo("ab");
                assertThat(rs.getString(9)).isEqualTo("àè");
            }
            assertThat(count(pg, "SELECT COUNT(*) FROM texts WHERE id = 2 AND t_gbk IS NULL AND note IS NULL")).isOne();
            assertThat(count(pg, "SELECT COUNT(*) FROM texts WHERE id >= 3 AND id < 5")).as("the failed chunk left nothing").isZero();
            assertThat(count(pg, "SELECT COUNT(*) FROM texts WHERE id = 5 AND t_latin1 = 'akhir'")).isOne();
            assertThat(count(pg, "SELECT COUNT(*) FROM texts WHERE t_gbk LIKE '%?%' OR t_big5 LIKE '%?%'")).as("no '?'").isZero();
        }

        // the source fixed: the next run copies the chunk, and the gbk user-defined area arrives as Java maps it (U+E000)
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "UPDATE Texts SET t_big5 = X'41', t_sjis = NULL WHERE id = 4");
        }
        try (TestHub hub = hub("postgres")) {
            RunSummary run = hub.run("texts-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
        }
        try (Connection pg = TestDatabases.postgres(target); Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT t_gbk, t_latin1 FROM texts WHERE id = 3")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("\uE000");
            assertThat(rs.getString(2)).isEqualTo("\u009D");
        }

        // a verified chunk whose source row now holds such bytes: the sync listing sees it changed, its copy rejects the row
        try (Connection c = TestDatabases.mariaDb(source)) {
            execute(c, "UPDATE Texts SET t_sjis = X'8540' WHERE id = 5");
        }
        try (TestHub hub = hub("postgres")) {
            RunSummary run = hub.run("texts-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.FAILED);
            assertThat(hub.ledger().items("texts-db", ItemStatus.FAILED)).singleElement().extracting(LedgerItem::lastError).asString()
                    .contains("Cannot copy Texts id [5, end)", "rows id >= 5: 1 of 1 rows hold bytes",
                            "key id=5, column t_sjis: bytes 85 at byte 0 are not sjis text");
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            assertThat(count(pg, "SELECT COUNT(*) FROM texts WHERE id = 5 AND t_latin1 = 'akhir' AND t_sjis IS NULL"))
                    .as("the target keeps its verified copy").isOne();
        }
        assertThat(Files.readString(dir.resolve("reports/arsip/texts-db.texts.reject.log"))).contains("texts id=5 column t_sjis");
    }

    @Test
    void spatialColumnsBecomePostgisGeometryWithTheirSridAndEnumsEnumTypes() throws Exception {
        try (TestHub hub = hub("postgres")) {
            RunSummary run = hub.run("places-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsVerified()).as("compared as EWKB on both sides").isOne();

            try (Connection pg = TestDatabases.postgres(target); Statement s = pg.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT ST_AsText(pt), ST_SRID(pt), ST_AsText(area), ST_SRID(area), ST_AsText(shape), "
                        + "ST_SRID(shape) FROM places ORDER BY id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("POINT(106.8456 -6.2088)");
                    assertThat(rs.getInt(2)).isEqualTo(4326);
                    assertThat(rs.getString(3)).isEqualTo("POLYGON((106 -6,107 -6,107 -7,106 -6))");
                    assertThat(rs.getInt(4)).isEqualTo(4326);
                    assertThat(rs.getString(5)).isEqualTo("LINESTRING(0 0,1 1)");
                    assertThat(rs.getInt(6)).isZero();
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("POINT(1 2)");
                    assertThat(rs.getInt(2)).isZero();
                    assertThat(rs.getString(3)).isNull();
                    assertThat(rs.getString(5)).isEqualTo("GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,2 2))");
                    assertThat(rs.getInt(6)).isEqualTo(3857);
                }
                assertThat(types(pg, "places")).containsExactly("id integer", "name varchar(40)", "pt geometry(Point)",
                        "area geometry(Polygon)", "shape geometry", "kind places_kind", "tags varchar(3)");
                // a spatial query of the application
                assertThat(count(pg, "SELECT COUNT(*) FROM places WHERE ST_Contains(area, ST_SetSRID(ST_MakePoint(106.5, -6.2), 4326))")).isOne();

                // the enum type: its values in declared order, others refused; the set stays a check
                assertThat(strings(pg, "SELECT unnest(enum_range(NULL::places_kind))::text")).containsExactly("kota", "desa", "pulau");
                assertThat(strings(pg, "SELECT name FROM places ORDER BY kind")).containsExactly("Nowhere", "Jakarta");
                execute(pg, "INSERT INTO places (id, name, pt) VALUES (3, 'Bogor', ST_MakePoint(106.8, -6.6))");
                assertThat(strings(pg, "SELECT kind::text FROM places WHERE id = 3")).containsExactly("kota");
                assertThatThrownBy(() -> execute(pg, "INSERT INTO places (id, name, pt, kind) VALUES (4, 'x', ST_MakePoint(0, 0), 'dusun')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("invalid input value for enum places_kind");
                assertThatThrownBy(() -> execute(pg, "INSERT INTO places (id, name, pt, tags) VALUES (4, 'x', ST_MakePoint(0, 0), 'c')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("places_tags_set");
                execute(pg, "DELETE FROM places WHERE id = 3",
                        "UPDATE places SET pt = ST_SetSRID(pt, 3857) WHERE id = 2"); // the SRID alone differs
            }
            RunSummary verify = hub.bean(MigrationRunner.class).verify("places-db", "test");
            assertThat(verify.state()).as(verify.toString()).isEqualTo(RunState.FAILED);
            assertThat(hub.ledger().items("places-db", ItemStatus.FAILED)).singleElement().extracting(LedgerItem::lastError).asString()
                    .contains("rows whole table (id 1 to 2 read): column that differs: pt");
        }
    }

    @Test
    void withoutPostgisSpatialColumnsAreWkbByteaAndACharsetWithoutJavaTableFailsThePlan() throws Exception {
        try (Connection pg = DriverManager.getConnection("jdbc:postgresql://" + TestDatabases.PG_HOST + "/test", "postgres", "")) {
            // the target's owner is no superuser: PostGIS (an untrusted extension) cannot be created there
            execute(pg, "CREATE ROLE " + role + " LOGIN", "ALTER DATABASE " + target + " OWNER TO " + role);
        }
        try (Connection pg = TestDatabases.postgres(target)) {
            execute(pg, "ALTER SCHEMA public OWNER TO " + role);
        }
        try (TestHub hub = hub(role)) {
            RunSummary run = hub.run("places-db");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.itemsVerified()).as("compared as WKB").isOne();

            RunSummary armenian = hub.run("armenian-db");
            assertThat(armenian.state()).isEqualTo(RunState.FAILED);
            assertThat(armenian.message()).contains("column name of table Armenian cannot be copied: its charset armscii8 has no "
                    + "decoding table in Java", "exclude: Armenian");
        }
        try (Connection pg = TestDatabases.postgres(target); Statement s = pg.createStatement()) {
            assertThat(count(pg, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'postgis'")).isZero();
            assertThat(types(pg, "places")).contains("pt bytea", "area bytea", "shape bytea");
            try (ResultSet rs = s.executeQuery("SELECT encode(pt, 'hex'), encode(shape, 'hex') FROM places WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(mariaDb("SELECT LOWER(HEX(ST_AsBinary(pt))) FROM Places WHERE id = 2"));
                assertThat(rs.getString(2)).isEqualTo(mariaDb("SELECT LOWER(HEX(ST_AsBinary(shape))) FROM Places WHERE id = 2"));
            }
            assertThat(count(pg, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'armenian'")).isZero();
        }
    }

    private String mariaDb(String sql) throws SQLException {
        try (Connection my = TestDatabases.mariaDb(source); Statement s = my.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> types(Connection pg, String table) throws SQLException {
        return strings(pg, "SELECT a.attname || ' ' || replace(format_type(a.atttypid, a.atttypmod), 'character varying', 'varchar') "
                + "FROM pg_attribute a WHERE a.attrelid = '" + table + "'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
    }

    private static List<String> strings(Connection pg, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}

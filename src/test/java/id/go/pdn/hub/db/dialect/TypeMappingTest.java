package id.go.pdn.hub.db.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.db.ColumnInfo;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The type mapping of each source/target pair, one case per row of the dialects' tables. */
class TypeMappingTest {

    private final Dialect mariadb = Dialects.forUrl("jdbc:mariadb://h/db");
    private final Dialect postgres = Dialects.forUrl("jdbc:postgresql://h/db");
    private final Dialect h2 = Dialects.forUrl("jdbc:h2:mem:x");

    private static ColumnInfo maria(int type, String typeName, int size, int scale, String nativeType) {
        return new ColumnInfo("c", type, typeName, size, scale, true, false, nativeType);
    }

    @Test
    void mariaDbToPostgres() {
        assertThat(postgres.columnType(maria(Types.TINYINT, "TINYINT", 3, 0, "tinyint(1)"), mariadb))
                .as("TINYINT(1) stays a number: 2..127 must not become true").isEqualTo("smallint");
        assertThat(postgres.columnType(maria(Types.BIT, "BIT", 1, 0, "bit(1)"), mariadb)).isEqualTo("boolean");
        assertThat(postgres.columnType(maria(Types.INTEGER, "INT UNSIGNED", 10, 0, "int(10) unsigned"), mariadb)).isEqualTo("bigint");
        assertThat(postgres.columnType(maria(Types.BIGINT, "BIGINT UNSIGNED", 20, 0, "bigint(20) unsigned"), mariadb)).isEqualTo("numeric(20,0)");
        assertThat(postgres.columnType(maria(Types.DECIMAL, "DECIMAL", 14, 2, "decimal(14,2)"), mariadb)).isEqualTo("numeric(14,2)");
        assertThat(postgres.columnType(maria(Types.REAL, "FLOAT", 12, 0, "float"), mariadb)).isEqualTo("real");
        assertThat(postgres.columnType(maria(Types.DOUBLE, "DOUBLE", 22, 0, "double"), mariadb)).isEqualTo("double precision");
        assertThat(postgres.columnType(maria(Types.CHAR, "CHAR", 8, 0, "char(8)"), mariadb)).isEqualTo("varchar(8)");
        assertThat(postgres.columnType(maria(Types.VARCHAR, "VARCHAR", 120, 0, "varchar(120)"), mariadb)).isEqualTo("varchar(120)");
        assertThat(postgres.columnType(maria(Types.CHAR, "CHAR", 8, 0, "enum('draft','arsip')"), mariadb)).isEqualTo("varchar(8)");
        assertThat(postgres.columnType(maria(Types.LONGVARCHAR, "MEDIUMTEXT", 16777215, 0, "mediumtext"), mariadb)).isEqualTo("text");
        assertThat(postgres.columnType(maria(Types.LONGVARCHAR, "LONGTEXT", Integer.MAX_VALUE, 0, "json"), mariadb)).isEqualTo("text");
        assertThat(postgres.columnType(maria(Types.DATE, "YEAR", 4, 0, "year(4)"), mariadb)).isEqualTo("smallint");
        assertThat(postgres.columnType(maria(Types.TIMESTAMP, "DATETIME", 26, 6, "datetime(6)"), mariadb)).isEqualTo("timestamp");
        assertThat(postgres.columnType(maria(Types.LONGVARBINARY, "BLOB", 65535, 0, "blob"), mariadb)).isEqualTo("bytea");
    }

    @Test
    void postgresToMariaDbAndH2() {
        ColumnInfo jsonb = new ColumnInfo("c", Types.OTHER, "jsonb", Integer.MAX_VALUE, 0, true, false, "jsonb");
        ColumnInfo text = new ColumnInfo("c", Types.VARCHAR, "text", Integer.MAX_VALUE, 0, true, false, "text");
        ColumnInfo tstz = new ColumnInfo("c", Types.TIMESTAMP, "timestamptz", 35, 6, true, false, "timestamp with time zone");
        ColumnInfo uuid = new ColumnInfo("c", Types.OTHER, "uuid", 2147483647, 0, true, false, "uuid");
        assertThat(mariadb.columnType(jsonb, postgres)).isEqualTo("longtext");
        assertThat(mariadb.columnType(text, postgres)).isEqualTo("longtext");
        assertThat(mariadb.columnType(tstz, postgres)).isEqualTo("datetime(6)");
        assertThat(mariadb.columnType(uuid, postgres)).isEqualTo("char(36)");
        assertThat(h2.columnType(uuid, postgres)).isEqualTo("UUID");
        assertThat(h2.columnType(tstz, postgres)).isEqualTo("TIMESTAMP(9) WITH TIME ZONE");
    }

    @Test
    void sameEngineKeepsTheExactNativeType() {
        assertThat(postgres.columnType(new ColumnInfo("c", Types.OTHER, "jsonb", 0, 0, true, false, "jsonb"), postgres)).isEqualTo("jsonb");
        assertThat(postgres.columnType(new ColumnInfo("c", Types.ARRAY, "_text", 0, 0, true, false, "text[]"), postgres)).isEqualTo("text[]");
        assertThat(mariadb.columnType(maria(Types.CHAR, "CHAR", 5, 0, "enum('a','b')"), mariadb)).isEqualTo("enum('a','b')");
    }

    @Test
    void h2NamesFoldToTheTargetsCase() {
        assertThat(postgres.targetName("PEGAWAI", h2)).isEqualTo("pegawai");
        assertThat(postgres.targetName("MixedCase", h2)).isEqualTo("MixedCase");
        assertThat(h2.targetName("surat", mariadb)).isEqualTo("surat");
    }

    @Test
    void anUnknownJdbcUrlIsAClearError() {
        Assertions.assertThatThrownBy(() -> Dialects.forUrl("jdbc:oracle:thin:@h:1521/x"))
                .isInstanceOf(HubException.class).hasMessageContaining("jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: and jdbc:h2:");
    }

    private static ColumnInfo text(String nativeType, String charset) {
        return new ColumnInfo("c", Types.VARCHAR, "VARCHAR", 20, 0, true, false, nativeType, null, null, false, false, charset);
    }

    @Test
    void mariaDbReadsLegacyCharsetsRawAndSpatialAsTheTargetHoldsIt() {
        assertThat(mariadb.selectColumn(text("varchar(20)", "gbk"), postgres, "character varying(20)")).isEqualTo("CAST(`c` AS BINARY)");
        assertThat(mariadb.rawValue(text("varchar(20)", "gbk"), postgres, null)).hasToString("gbk (Java GBK)");
        assertThat(mariadb.selectColumn(text("varchar(20)", "latin1"), mariadb, null)).as("into MariaDB too").isEqualTo("CAST(`c` AS BINARY)");
        assertThat(mariadb.selectColumn(text("varchar(20)", "utf8mb4"), postgres, null)).isEqualTo("`c`");
        // UTF-8 text is read as the bytes the server sends (no String between), selected as it is
        assertThat(mariadb.rawValue(text("varchar(20)", "utf8mb3"), postgres, null)).isSameAs(id.go.pdn.hub.db.copy.Utf8Text.INSTANCE);
        assertThat(mariadb.unreadable(text("varchar(20)", "armscii8"))).contains("armscii8 has no decoding table in Java");
        assertThat(mariadb.unreadable(text("varchar(20)", "big5"))).isNull();

        ColumnInfo point = maria(Types.BINARY, "GEOMETRY", 0, 0, "point");
        assertThat(mariadb.spatialType(point)).isEqualTo("Point");
        assertThat(mariadb.selectColumn(point, postgres, "bytea")).isEqualTo("ST_AsBinary(`c`)");
        assertThat(mariadb.selectColumn(point, postgres, "geometry(Point)")).as("SRID and WKB, made EWKB by the hub").isEqualTo("`c`");
        assertThat(mariadb.rawValue(point, postgres, "public.geometry(Point,4326)")).isNotNull();
        assertThat(postgres.geometryType("Point", "public")).isEqualTo("\"public\".geometry(Point)");
        assertThat(postgres.geometryType("Geometry", "gis")).isEqualTo("\"gis\".geometry");
        assertThat(postgres.selectTargetColumn("\"c\"", "geometry(Point)")).isEqualTo("ST_AsEWKB(\"c\", 'NDR')");
        assertThat(postgres.selectTargetColumn("\"c\"", "gis.geometry")).isEqualTo("gis.ST_AsEWKB(\"c\", 'NDR')");
        assertThat(postgres.selectTargetColumn("\"c\"", "bytea")).isEqualTo("\"c\"");
        assertThat(postgres.createEnumType("public", "customer_tier", java.util.List.of("bronze", "o'neil")))
                .containsExactly("DROP TYPE IF EXISTS \"public\".\"customer_tier\"",
                        "CREATE TYPE \"public\".\"customer_tier\" AS ENUM ('bronze', 'o''neil')");
        assertThat(h2.createEnumType("PUBLIC", "T_C", java.util.List.of("a"))).as("checks stay").isNull();
    }
}

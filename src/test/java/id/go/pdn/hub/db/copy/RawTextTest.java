package id.go.pdn.hub.db.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** MySQL charset names to Java decoders, strict: what decodes, what is refused and how the refusal reads. */
class RawTextTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String decode(String charset, String hex) throws RawValue.Undecodable {
        return RawText.ofMySql(charset).decode(hex(hex));
    }

    @Test
    void latin1IsWindows1252WithTheFiveHolesAsC1Controls() throws Exception {
        assertThat(decode("latin1", "636166e9")).isEqualTo("café");
        assertThat(decode("latin1", "80")).isEqualTo("€"); // cp1252, not ISO-8859-1
        assertThat(decode("latin1", "93949f")).isEqualTo("\u201c\u201d\u0178");
        assertThat(decode("latin1", "818d8f909d")).isEqualTo("\u0081\u008d\u008f\u0090\u009d"); // as MySQL maps them
        for (int b = 0; b < 256; b++) {
            assertThat(RawText.ofMySql("LATIN1").decode(new byte[] {(byte) b})).hasSize(1); // every byte is a character
        }
    }

    @Test
    void eastAsianCharsetsDecodeByTheirJavaTables() throws Exception {
        assertThat(decode("gbk", "d6d0cec4bcf2cce5")).isEqualTo("中文简体");
        assertThat(decode("gbk", "a2e3")).isEqualTo("€"); // the server's conversion to UTF-8 gives '?' for it
        assertThat(decode("big5", "a4a4a4e5c163c5e9")).isEqualTo("中文繁體");
        assertThat(decode("sjis", "93fa967b8cea")).isEqualTo("日本語");
        assertThat(decode("cp932", "8740")).isEqualTo("①"); // NEC row 13: windows-31j, not Shift_JIS
        assertThat(decode("ujis", "c6fccbdc")).isEqualTo("日本");
        assertThat(decode("euckr", "c7d1b1b9")).isEqualTo("한국");
        assertThat(RawText.ofMySql("gbk").javaName()).isEqualTo("GBK");
        assertThat(RawText.ofMySql("big5").javaName()).isEqualTo("Big5");
        assertThat(RawText.ofMySql("sjis").javaName()).isEqualTo("Shift_JIS");
        assertThat(RawText.ofMySql("cp932").javaName()).isEqualTo("windows-31j");
        assertThat(RawText.ofMySql("ujis").javaName()).isEqualTo("EUC-JP");
        assertThat(RawText.ofMySql("euckr").javaName()).isEqualTo("EUC-KR");
    }

    @Test
    void utf8IsDecodedStrictly() throws Exception {
        assertThat(decode("utf8mb4", "f09f9880")).isEqualTo("😀");
        assertThat(decode("utf8mb3", "c39c6ec3af")).isEqualTo("Ünï");
        assertThatThrownBy(() -> decode("utf8mb4", "41c328")).isInstanceOf(RawValue.Undecodable.class)
                .hasMessageContaining("not utf8mb4 text");
        assertThat(RawText.readAsIs("utf8mb4")).isTrue();
        assertThat(RawText.readAsIs("utf8mb3")).isTrue();
        assertThat(RawText.readAsIs("latin1")).isFalse();
        assertThat(RawText.readAsIs("gbk")).isFalse();
    }

    @Test
    void bytesThatAreNoTextAreRefusedNamingThemInHex() {
        assertThatThrownBy(() -> decode("big5", "41c879")).isInstanceOf(RawValue.Undecodable.class)
                .hasMessage("bytes c8 at byte 1 are not big5 text (malformed in Java's Big5); the value is x'41c879'");
        assertThatThrownBy(() -> decode("sjis", "8540")).isInstanceOf(RawValue.Undecodable.class)
                .hasMessageContaining("are not sjis text").hasMessageContaining("x'8540'");
        assertThatThrownBy(() -> decode("gbk", "80")).isInstanceOf(RawValue.Undecodable.class)
                .hasMessageContaining("bytes 80 at byte 0 are not gbk text");
        byte[] longValue = new byte[100];
        longValue[99] = (byte) 0xff;
        assertThatThrownBy(() -> RawText.ofMySql("ascii").decode(longValue)).hasMessageContaining("at byte 99")
                .hasMessageContaining("... (100 bytes)");
    }

    @Test
    void aCharsetWithoutAJavaTableHasNoDecoder() {
        assertThat(RawText.ofMySql("armscii8")).isNull();
        assertThat(RawText.ofMySql("keybcs2")).isNull();
        assertThat(RawText.ofMySql("geostd8")).isNull();
        assertThat(RawText.ofMySql("cp1251")).isNotNull();
    }

    @Test
    void mariaDbGeometryBecomesEwkbWithItsSrid() throws Exception {
        // POINT(1 2) SRID 4326 as MariaDB stores it: SRID (little endian), then WKB
        byte[] stored = hex("e6100000" + "0101000000" + "000000000000f03f" + "0000000000000040");
        assertThat(HexFormat.of().formatHex(Ewkb.FROM_MYSQL.decode(stored)))
                .isEqualTo("0101000020" + "e6100000" + "000000000000f03f" + "0000000000000040"); // PostGIS ST_AsEWKB(g, 'NDR')
        byte[] noSrid = hex("00000000" + "0101000000" + "000000000000f03f" + "0000000000000040");
        assertThat(HexFormat.of().formatHex(Ewkb.FROM_MYSQL.decode(noSrid))).isEqualTo("0101000000000000000000f03f0000000000000040");
        assertThatThrownBy(() -> Ewkb.FROM_MYSQL.decode(hex("0102"))).isInstanceOf(RawValue.Undecodable.class);
    }
}

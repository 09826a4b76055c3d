package id.go.pdn.hub.db.copy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Text of a MySQL/MariaDB column decoded by the hub from the column's own bytes and charset, strictly: bytes that are no
 * character of the charset are {@link RawValue.Undecodable}, never a {@code ?} or a replacement character (which is
 * what the server's own conversion to UTF-8 gives, and what would then be verified as equal on both sides).
 *
 * <p>MySQL's {@code latin1} is Windows-1252, except that MySQL maps the five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same number: every byte is a character, as on the server.
 */
public final class RawText implements RawValue {

    /** MySQL charset name to Java charset name; latin1 is handled by its own table. */
    private static final Map<String, String> JAVA = Map.ofEntries(
            Map.entry("utf8mb4", "UTF-8"), Map.entry("utf8mb3", "UTF-8"), Map.entry("utf8", "UTF-8"),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("cp1252", "windows-1252"), // not a MySQL name, but what latin1 is; accepted for completeness
            Map.entry("latin2", "ISO-8859-2"), Map.entry("latin5", "ISO-8859-9"), Map.entry("latin7", "ISO-8859-13"),
            Map.entry("greek", "ISO-8859-7"), Map.entry("hebrew", "ISO-8859-8"),
            Map.entry("cp1250", "windows-1250"), Map.entry("cp1251", "windows-1251"), Map.entry("cp1256", "windows-1256"),
            Map.entry("cp1257", "windows-1257"), Map.entry("cp850", "IBM850"), Map.entry("cp852", "IBM852"),
            Map.entry("cp866", "IBM866"), Map.entry("koi8r", "KOI8-R"), Map.entry("koi8u", "KOI8-U"),
            Map.entry("macroman", "x-MacRoman"), Map.entry("macce", "x-MacCentralEurope"), Map.entry("tis620", "TIS-620"),
            Map.entry("gbk", "GBK"), Map.entry("gb2312", "GB2312"), Map.entry("gb18030", "GB18030"), Map.entry("big5", "Big5"),
            Map.entry("sjis", "Shift_JIS"), Map.entry("cp932", "windows-31j"), Map.entry("ujis", "EUC-JP"),
            Map.entry("euckr", "EUC-KR"),
            Map.entry("ucs2", "UTF-16BE"), Map.entry("utf16", "UTF-16BE"), Map.entry("utf16le", "UTF-16LE"),
            Map.entry("utf32", "UTF-32BE"));

    /** MySQL latin1: Windows-1252 with its five holes as C1 controls. */
    private static final char[] LATIN1 = latin1();

    private static final HexFormat HEX = HexFormat.of();
    /** Bytes shown at most in a message about a value. */
    private static final int SHOWN = 64;

    private final String mysqlName;
    private final Charset charset; // null: the latin1 table

    private RawText(String mysqlName, Charset charset) {
        this.mysqlName = mysqlName;
        this.charset = charset;
    }

    /** The decoder of a MySQL charset name ({@code CHARACTER_SET_NAME}), or null when Java has no table for it. */
    public static RawText ofMySql(String charsetName) {
        String name = charsetName.toLowerCase(Locale.ROOT);
        if (name.equals("latin1")) {
            return new RawText(name, null);
        }
        String java = JAVA.get(name);
        if (java == null || !Charset.isSupported(java)) {
            return null;
        }
        return new RawText(name, Charset.forName(java));
    }

    /** Whether the source server's own conversion to UTF-8 loses nothing for this charset (no need to read it raw). */
    public static boolean readAsIs(String charsetName) {
        String name = charsetName.toLowerCase(Locale.ROOT);
        return name.equals("utf8mb4") || name.equals("utf8mb3") || name.equals("utf8");
    }

    /** The MySQL charset name. */
    public String mysqlName() {
        return mysqlName;
    }

    /** The Java charset it decodes with ({@code windows-1252+C1} for MySQL latin1). */
    public String javaName() {
        return charset == null ? "windows-1252+C1" : charset.name();
    }

    @Override
    public ValueKind kind() {
        return ValueKind.TEXT;
    }

    @Override
    public String decode(byte[] raw) throws Undecodable {
        if (charset == null) {
            char[] text = new char[raw.length];
            for (int i = 0; i < raw.length; i++) {
                text[i] = LATIN1[raw[i] & 0xff];
            }
            return new String(text);
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(raw.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int length = Math.min(result.length(), raw.length - at);
            throw new Undecodable("bytes " + HEX.formatHex(raw, at, at + length) + " at byte " + at + " are not "
                    + mysqlName + " text (" + (result.isMalformed() ? "malformed" : "no character") + " in Java's " + javaName()
                    + "); the value is " + hex(raw));
        }
        return out.flip().toString();
    }

    /** The bytes in hex, cut after {@link #SHOWN} of them. */
    public static String hex(byte[] raw) {
        return raw.length <= SHOWN ? "x'" + HEX.formatHex(raw) + "'"
                : "x'" + HEX.formatHex(raw, 0, SHOWN) + "'... (" + raw.length + " bytes)";
    }

    private static char[] latin1() {
        char[] table = new char[256];
        String decoded = new String(allBytes(), Charset.forName("windows-1252"));
        for (int i = 0; i < 256; i++) {
            char c = decoded.charAt(i);
            table[i] = c == '\uFFFD' ? (char) i : c; // 0x81, 0x8D, 0x8F, 0x90, 0x9D: the C1 control of that number
        }
        return table;
    }

    private static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @Override
    public String toString() {
        return mysqlName + " (Java " + javaName() + ")";
    }
}

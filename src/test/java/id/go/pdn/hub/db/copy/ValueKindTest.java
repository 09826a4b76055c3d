package id.go.pdn.hub.db.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ValueKindTest {

    private static final Object[][] SAMPLES = {
            {ValueKind.INTEGER, 0L}, {ValueKind.INTEGER, -42L}, {ValueKind.INTEGER, Long.MAX_VALUE}, {ValueKind.INTEGER, Long.MIN_VALUE},
            {ValueKind.DECIMAL, new BigDecimal("1200.50")}, {ValueKind.DECIMAL, new BigDecimal("0.00")}, {ValueKind.DECIMAL, new BigDecimal("-1E+3")},
            {ValueKind.REAL, 1.1f}, {ValueKind.DOUBLE, 1.0E10}, {ValueKind.DOUBLE, Double.NaN},
            {ValueKind.BOOLEAN, true}, {ValueKind.BOOLEAN, false},
            {ValueKind.DATE, LocalDate.of(2024, 2, 29)}, {ValueKind.DATE, LocalDate.of(12, 1, 1)},
            {ValueKind.TIME, LocalTime.of(7, 5, 0)}, {ValueKind.TIME, LocalTime.of(23, 59, 59, 120_000_000)},
            {ValueKind.TIMESTAMP, LocalDateTime.of(2024, 1, 1, 0, 0)}, {ValueKind.TIMESTAMP, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000)},
            {ValueKind.TIMESTAMP_TZ, OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.ofHours(7))},
            {ValueKind.TEXT, "plain"}, {ValueKind.TEXT, "tab\there\nnew \\ back \r cr"}, {ValueKind.TEXT, "Ünïcødé ꦱꦸꦫꦧꦪ 🏛 \"q\""},
            {ValueKind.TEXT, ""}, {ValueKind.OTHER, "{\"a\": 1}"}, {ValueKind.BINARY, new byte[] {0, 1, (byte) 0xff, 0x10}},
    };

    @Test
    void byteWritersProduceExactlyTheTextOfTheStringForms() {
        ByteSink sink = new ByteSink(4);
        for (Object[] sample : SAMPLES) {
            ValueKind kind = (ValueKind) sample[0];
            Object value = sample[1];
            sink.reset();
            kind.appendNormalized(value, sink);
            assertThat(new String(Arrays.copyOf(sink.array(), sink.length()), StandardCharsets.UTF_8))
                    .as("normalized %s %s", kind, value).isEqualTo(kind.normalized(value));
            sink.reset();
            kind.appendCopy(value, sink);
            assertThat(new String(Arrays.copyOf(sink.array(), sink.length()), StandardCharsets.UTF_8))
                    .as("copy %s %s", kind, value).isEqualTo(escape(kind.copyText(value)));
        }
    }

    @Test
    void equalValuesNormalizeAlikeAcrossEngines() {
        // MariaDB DECIMAL(12,2) 5.00 on one side, a BIGINT 5 on the other; TINYINT 1 against a boolean
        assertThat(ValueKind.DECIMAL.normalized(new BigDecimal("5.00"))).isEqualTo(ValueKind.INTEGER.normalized(5L));
        assertThat(ValueKind.BOOLEAN.normalized(true)).isEqualTo(ValueKind.INTEGER.normalized(1L));
        assertThat(ValueKind.DECIMAL.normalized(new BigDecimal("0.000"))).isEqualTo("0");
        assertThat(ValueKind.TIMESTAMP.normalized(LocalDateTime.of(2024, 1, 1, 7, 0, 0, 500_000_000))).isEqualTo("2024-01-01 07:00:00.5");
        assertThat(ValueKind.TIMESTAMP_TZ.normalized(OffsetDateTime.of(2024, 1, 1, 7, 0, 0, 0, ZoneOffset.ofHours(7))))
                .isEqualTo(ValueKind.TIMESTAMP_TZ.normalized(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void checksumIgnoresRowOrderButSeesEveryChange() {
        ValueKind[] kinds = {ValueKind.INTEGER, ValueKind.TEXT};
        RowChecksum a = new RowChecksum();
        a.add(new Object[] {1L, "satu"}, kinds);
        a.add(new Object[] {2L, null}, kinds);
        RowChecksum b = new RowChecksum();
        b.add(new Object[] {2L, null}, kinds);
        b.add(new Object[] {1L, "satu"}, kinds);
        assertThat(a.value()).isEqualTo(b.value()).startsWith("2:");
        RowChecksum c = new RowChecksum();
        c.add(new Object[] {1L, "satu"}, kinds);
        c.add(new Object[] {2L, ""}, kinds);
        assertThat(c.value()).as("NULL and empty text differ").isNotEqualTo(a.value());
        RowChecksum d = new RowChecksum();
        d.add(new Object[] {1L, "satu"}, kinds);
        assertThat(d.value()).isNotEqualTo(a.value());
    }

    /** The row form PostgreSQL rebuilds in SQL (SqlSums): 0x1f before each value, 0x1e for NULL, MD5 of the UTF-8 bytes. */
    @Test
    void rowHashIsTheMd5OfTheNormalizedRowText() throws Exception {
        ValueKind[] kinds = {ValueKind.INTEGER, ValueKind.TEXT, ValueKind.BOOLEAN};
        long[] hash = new RowChecksum().hash(new Object[] {1L, "satu ü", null}, kinds);
        byte[] md5 = java.security.MessageDigest.getInstance("MD5")
                .digest("\u001f1\u001fsatu ü\u001e".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(String.format("%016x%016x", hash[0], hash[1])).isEqualTo(java.util.HexFormat.of().formatHex(md5));
        RowChecksum sum = new RowChecksum();
        sum.add(new Object[] {1L, "satu ü", null}, kinds);
        sum.add(new Object[] {1L, "satu ü", null}, kinds);
        assertThat(sum.value()).isEqualTo(RowChecksum.value(2, hash[0] * 2, hash[1] * 2));
    }

    /**
     * The copy's one pass (COPY text and normalized text together, as PgCopyWriter sums the rows it writes) gives the same
     * bytes as the two separate writers, for every kind, text read as UTF-8 bytes too; and the same row checksum.
     */
    @Test
    void onePassWritesTheSameCopyAndNormalizedBytesAsTwo() throws Exception {
        Object[][] more = {
                {ValueKind.DECIMAL, new BigDecimal("1200")}, {ValueKind.DECIMAL, new BigDecimal("-0.50")},
                {ValueKind.DECIMAL, new BigDecimal("0E+3")}, {ValueKind.DECIMAL, new BigDecimal("100.000")},
                {ValueKind.DECIMAL, new BigDecimal("-5000.00")}, {ValueKind.DECIMAL, new BigDecimal("12345678901234567890.0001000")},
                {ValueKind.DECIMAL, new BigDecimal("1E-12")}, {ValueKind.GEOMETRY, new byte[] {1, 2, 3}},
                {ValueKind.TEXT, "lone \uD800 surrogate and \\ back"}, {ValueKind.TEXT, "\\"},
                {ValueKind.TEXT_BYTES, "plain".getBytes(StandardCharsets.UTF_8)},
                {ValueKind.TEXT_BYTES, "tab\there\nnew \\ back \r cr ꦱꦸ 🏛".getBytes(StandardCharsets.UTF_8)},
                {ValueKind.TEXT_BYTES, new byte[0]},
        };
        ValueKind[] kinds = new ValueKind[SAMPLES.length + more.length];
        Object[] row = new Object[kinds.length];
        int n = 0;
        for (Object[][] samples : new Object[][][] {SAMPLES, more}) {
            for (Object[] sample : samples) {
                ValueKind kind = (ValueKind) sample[0];
                Object value = sample[1];
                ByteSink copy = new ByteSink(2);
                ByteSink normalized = new ByteSink(2);
                copy.write((byte) 'x'); // not at the start of the buffer, as in a row
                kind.appendCopyAndNormalized(value, copy, normalized);
                ByteSink copyAlone = new ByteSink(2).write((byte) 'x');
                kind.appendCopy(value, copyAlone);
                ByteSink normalizedAlone = new ByteSink(2);
                kind.appendNormalized(value, normalizedAlone);
                assertThat(Arrays.copyOf(copy.array(), copy.length())).as("copy %s %s", kind, value)
                        .isEqualTo(Arrays.copyOf(copyAlone.array(), copyAlone.length()));
                assertThat(Arrays.copyOf(normalized.array(), normalized.length())).as("normalized %s %s", kind, value)
                        .isEqualTo(Arrays.copyOf(normalizedAlone.array(), normalizedAlone.length()));
                kinds[n] = kind;
                row[n++] = value;
            }
        }
        row[3] = null;
        RowChecksum twoPasses = new RowChecksum();
        twoPasses.add(row, kinds);
        RowChecksum onePass = new RowChecksum();
        ByteSink copy = new ByteSink(16);
        ByteSink normalized = onePass.startRow();
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                normalized.write(RowChecksum.NULL);
            } else {
                normalized.write(RowChecksum.VALUE);
                kinds[i].appendCopyAndNormalized(row[i], copy, normalized);
            }
        }
        onePass.addStarted();
        assertThat(onePass.value()).isEqualTo(twoPasses.value()).startsWith("1:");
        assertThat(onePass.bytes()).isEqualTo(twoPasses.bytes());
    }

    /** Text read as UTF-8 bytes sums and copies as the same text read as a String. */
    @Test
    void textAsBytesIsTheSameValueAsText() {
        for (String text : new String[] {"", "plain", "tab\there\nnew \\ back \r cr", "Ünïcødé ꦱꦸꦫꦧꦪ 🏛 \"q\""}) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(ValueKind.TEXT_BYTES.normalized(utf8)).isEqualTo(ValueKind.TEXT.normalized(text));
            assertThat(ValueKind.TEXT_BYTES.copyText(utf8)).isEqualTo(ValueKind.TEXT.copyText(text));
            ByteSink a = new ByteSink(1);
            ValueKind.TEXT_BYTES.appendCopy(utf8, a);
            ByteSink b = new ByteSink(1);
            ValueKind.TEXT.appendCopy(text, b);
            assertThat(Arrays.copyOf(a.array(), a.length())).isEqualTo(Arrays.copyOf(b.array(), b.length()));
            assertThat(new RowChecksum().hash(new Object[] {utf8}, new ValueKind[] {ValueKind.TEXT_BYTES}))
                    .isEqualTo(new RowChecksum().hash(new Object[] {text}, new ValueKind[] {ValueKind.TEXT}));
        }
    }

    /** Utf8Text keeps well-formed UTF-8 as it is and makes of the rest what the driver's String decoding makes of it. */
    @Test
    void utf8TextIsWhatJavasDecoderAccepts() {
        byte[][] cases = {
                {}, {'a'}, {(byte) 0xC3, (byte) 0xBC}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x8F, (byte) 0x9B},
                {(byte) 0xC3}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {'a', (byte) 0xE2, (byte) 0x82}, {(byte) 0xE2, 'a', 'b'},
                {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xEE, (byte) 0x80, (byte) 0x80},
        };
        for (byte[] bytes : cases) {
            java.nio.charset.CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
            boolean javaAccepts;
            try {
                strict.decode(java.nio.ByteBuffer.wrap(bytes));
                javaAccepts = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                javaAccepts = false;
            }
            assertThat(Utf8Text.valid(bytes)).as(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(javaAccepts);
            byte[] value = Utf8Text.INSTANCE.decode(bytes);
            assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
            if (javaAccepts) {
                assertThat(value).isSameAs(bytes);
            }
        }
    }

    @Test
    void digitsAreLongToString() {
        java.util.Random random = new java.util.Random(14);
        java.util.List<Long> values = new java.util.ArrayList<>(java.util.List.of(0L, 1L, -1L, 9L, 10L, 99L, 100L, -100L,
                (long) Integer.MAX_VALUE, Integer.MAX_VALUE - 1L, Integer.MAX_VALUE + 1L, (long) Integer.MIN_VALUE,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 999_999_999_999L, 1_000_000_000_000_000_000L));
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        ByteSink sink = new ByteSink(1);
        for (long value : values) {
            sink.reset();
            sink.write((byte) 'x').digits(value);
            assertThat(new String(sink.array(), 1, sink.length() - 1, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
        }
    }

    /** A DECIMAL read as its text stays that text only where it is the plain text of its value; either way it is the value. */
    @Test
    void decimalTextIsKeptOnlyWhenPlain() {
        for (String plain : new String[] {"0", "0.00", "-12.50", "1200", "18446744073709551615", "0.5", "-0.001", "100.000"}) {
            assertThat(ValueKind.plainDecimal(plain)).as(plain).isEqualTo(plain);
            assertThat(new BigDecimal(plain).toPlainString()).isEqualTo(plain);
        }
        for (String other : new String[] {"001.50", "-0.00", "-0", "+1", "1E+3", "1.", ".5", "00", "1.5e2"}) {
            assertThat(ValueKind.plainDecimal(other)).as(other).isEqualTo(new BigDecimal(other));
        }
        ValueKind[] kinds = {ValueKind.DECIMAL};
        for (String text : new String[] {"0.00", "-12.50", "1200", "100.000", "001.50", "-0.00"}) {
            Object value = ValueKind.plainDecimal(text);
            BigDecimal decimal = new BigDecimal(text);
            assertThat(ValueKind.DECIMAL.normalized(value)).isEqualTo(ValueKind.DECIMAL.normalized(decimal));
            assertThat(ValueKind.DECIMAL.copyText(value)).isEqualTo(ValueKind.DECIMAL.copyText(decimal));
            assertThat(new RowChecksum().hash(new Object[] {value}, kinds)).isEqualTo(new RowChecksum().hash(new Object[] {decimal}, kinds));
            ByteSink copy = new ByteSink(1);
            ByteSink normalized = new ByteSink(1);
            ValueKind.DECIMAL.appendCopyAndNormalized(value, copy, normalized);
            assertThat(new String(normalized.array(), 0, normalized.length(), StandardCharsets.US_ASCII))
                    .isEqualTo(ValueKind.DECIMAL.normalized(decimal));
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}

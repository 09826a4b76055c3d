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

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}

package id.go.pdn.hub.db.copy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;

/**
 * A reusable byte buffer with the few writers the copy path needs: UTF-8 text (optionally escaped for COPY),
 * decimal digits, ISO dates and times. It spares the hot loop a String per value and per row.
 */
public final class ByteSink {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    public ByteSink(int capacity) {
        bytes = new byte[capacity];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public void reset() {
        length = 0;
    }

    /** Drops what was written after the first {@code length} bytes. */
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IndexOutOfBoundsException(length);
        }
        this.length = length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    public ByteSink write(byte b) {
        ensure(1);
        bytes[length++] = b;
        return this;
    }

    public ByteSink ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** UTF-8 of {@code text}; with {@code copyEscape}, backslash, tab, newline and CR as PostgreSQL's COPY text format wants. */
    public ByteSink utf8(String text, boolean copyEscape) {
        encode(text, copyEscape);
        return this;
    }

    /**
     * {@link #utf8 utf8(text, true)}; returns whether a character was escaped (else the bytes written are the plain UTF-8
     * of the text, which a checksum can take as they are).
     */
    public boolean utf8Escaped(String text) {
        return encode(text, true);
    }

    /** {@code length} bytes of {@code data} from {@code offset}, as they are. */
    public ByteSink write(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, bytes, this.length, length);
        this.length += length;
        return this;
    }

    /**
     * UTF-8 bytes (valid, see {@link Utf8Text}) escaped as PostgreSQL's COPY text format wants: backslash, tab, newline
     * and CR; the other bytes as they are.
     */
    public ByteSink copyEscaped(byte[] utf8) {
        int n = utf8.length;
        ensure(n);
        byte[] out = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            byte b = utf8[i];
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                length = at;
                ensure(2 + (n - i));
                out = bytes;
                out[at++] = '\\';
                out[at++] = (byte) (b == '\\' ? '\\' : b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
            } else {
                out[at++] = b;
            }
        }
        length = at;
        return this;
    }

    /** Writes the UTF-8 of the text (escaped for COPY or not); returns whether a character was escaped. */
    private boolean encode(String text, boolean copyEscape) {
        boolean escaped = false;
        int n = text.length();
        ensure(n * 2);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (copyEscape && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
                    escaped = true;
                    ensure(2 + (n - i) * 3);
                    bytes[length++] = '\\';
                    bytes[length++] = (byte) (c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
                } else {
                    if (length == bytes.length) {
                        ensure(1 + (n - i) * 3);
                    }
                    bytes[length++] = (byte) c;
                }
            } else {
                ensure(4 + (n - i) * 3);
                int codePoint = c;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, text.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    codePoint = '?'; // a lone surrogate has no UTF-8 form; String.getBytes does the same
                }
                if (codePoint < 0x80) {
                    bytes[length++] = (byte) codePoint;
                } else if (codePoint < 0x800) {
                    bytes[length++] = (byte) (0xC0 | (codePoint >> 6));
                    bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
                } else if (codePoint < 0x10000) {
                    bytes[length++] = (byte) (0xE0 | (codePoint >> 12));
                    bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
                } else {
                    bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
                    bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                    bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
                }
            }
        }
        return escaped;
    }

    /** The two digits of 0..99, tens then ones: a number is written two digits per division. */
    private static final byte[] TWO_DIGITS = twoDigits();

    private static byte[] twoDigits() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    public ByteSink digits(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        int at = length + n;
        while (value >= Integer.MAX_VALUE) {
            int pair = (int) (value % 100);
            value /= 100;
            bytes[--at] = TWO_DIGITS[2 * pair + 1];
            bytes[--at] = TWO_DIGITS[2 * pair];
        }
        int v = (int) value;
        while (v >= 100) {
            int pair = v % 100;
            v /= 100;
            bytes[--at] = TWO_DIGITS[2 * pair + 1];
            bytes[--at] = TWO_DIGITS[2 * pair];
        }
        if (v >= 10) {
            bytes[--at] = TWO_DIGITS[2 * v + 1];
            bytes[--at] = TWO_DIGITS[2 * v];
        } else {
            bytes[--at] = (byte) ('0' + v);
        }
        length += n;
        return this;
    }

    private void padded(int value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    /** yyyy-MM-dd (years outside 0..9999 through java.time's own text). */
    public ByteSink date(LocalDate date) {
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return ascii(date.toString());
        }
        padded(year, 4);
        write((byte) '-');
        padded(date.getMonthValue(), 2);
        write((byte) '-');
        padded(date.getDayOfMonth(), 2);
        return this;
    }

    /** HH:mm:ss, then the fraction without trailing zeros, if any. */
    public ByteSink time(LocalTime time) {
        padded(time.getHour(), 2);
        write((byte) ':');
        padded(time.getMinute(), 2);
        write((byte) ':');
        padded(time.getSecond(), 2);
        int nanos = time.getNano();
        if (nanos > 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            write((byte) '.');
            padded(nanos, digits);
        }
        return this;
    }

    /** yyyy-MM-dd HH:mm:ss[.fraction] */
    public ByteSink timestamp(LocalDateTime value) {
        date(value.toLocalDate());
        write((byte) ' ');
        return time(value.toLocalTime());
    }

    public ByteSink hex(byte[] data) {
        ensure(data.length * 2);
        for (byte b : data) {
            bytes[length++] = HEX[(b >> 4) & 0xF];
            bytes[length++] = HEX[b & 0xF];
        }
        return this;
    }
}

package id.go.pdn.hub.db.copy;

import java.nio.charset.StandardCharsets;

/**
 * Text of a UTF-8 column (MariaDB/MySQL utf8mb4, utf8mb3) taken as the bytes the server sends: the copy escapes them for
 * COPY and the checksum hashes them as they are, with no {@code String} between (decoding and encoding again cost as much
 * as the rest of the copy). The value is the same as the driver's {@code getString}: bytes that are no UTF-8 become
 * what Java's decoder makes of them (U+FFFD), exactly as {@code new String(bytes, UTF_8)} does.
 */
public final class Utf8Text implements RawValue {

    public static final Utf8Text INSTANCE = new Utf8Text();

    private Utf8Text() {
    }

    @Override
    public ValueKind kind() {
        return ValueKind.TEXT_BYTES;
    }

    /** The bytes themselves when they are UTF-8 (the usual case: the array the driver made is kept), else as re-encoded. */
    @Override
    public byte[] decode(byte[] raw) {
        return valid(raw) ? raw : new String(raw, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
    public static boolean valid(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            if (c < 0xC2) {
                return false; // continuation byte first, or an overlong 2-byte form
            }
            if (c < 0xE0) {
                if (i + 1 >= n || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    @Override
    public String toString() {
        return "utf8 (bytes as sent)";
    }
}

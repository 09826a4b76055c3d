package id.go.pdn.hub.core;

import java.util.Locale;

/** How the hub writes sizes and durations for people, the same in every command and report. */
public final class Units {

    private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 4.3 MiB}, ... (powers of 1024). */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY[unit]);
    }

    /** {@code < 0.1 s}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 07 min}. */
    public static String duration(double seconds) {
        if (seconds < 0.1) {
            return "< 0.1 s";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}

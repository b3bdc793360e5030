package io.pprocess.indexer;

import java.util.Locale;

/**
 * Formats sizes and rates, for the progress bar and the summary alike: decimal units (1 kB =
 * 1000 bytes, 1 MB = 10^6 bytes), one decimal from a kilobyte up.
 */
final class Sizes {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

    private Sizes() {
    }

    /**
     * Formats a size.
     *
     * @param bytes the size, at least 0
     * @return for example {@code 512 B}, {@code 1.2 kB}, {@code 59.1 MB}
     */
    static String bytes(double bytes) {
        if (bytes < 999.5) {
            return Math.round(bytes) + " B";
        }
        double v = bytes / 1000;
        int unit = 0;
        while (v >= 999.95 && unit < UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /**
     * Formats a rate.
     *
     * @param bytes bytes done
     * @param nanos in this many nanoseconds
     * @return for example {@code 28.1 MB/s}; {@code 0 B/s} when no time has passed
     */
    static String rate(long bytes, long nanos) {
        return bytes(nanos > 0 ? bytes * 1e9 / nanos : 0) + "/s";
    }

    /**
     * Formats a duration in seconds as {@code m:ss}, or {@code h:mm:ss} from an hour.
     *
     * @param seconds the duration
     * @return the text
     */
    static String clock(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

package io.pprocess;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar on standard error, for a terminal: a ready {@link ProgressListener}.
 *
 * <pre>{@code
 * PProcess.pmap(fn, items, PoolOptions.defaults().progress(ConsoleProgress.create("pages")))
 * }</pre>
 *
 * <p>It draws one line, redrawn in place ({@code pages [#######.......]  1234/2000  62%  3 failed
 * 410/s  0:02 left}), and ends it when the map finishes. When standard error is not a terminal
 * (output piped or redirected, a build, a test) it prints nothing at all. Thread-safe.
 *
 * <p>A program that reports its own {@link Progress} values (not from a {@code pmap}) may count
 * bytes instead of items ({@link #inBytes()}: sizes in decimal units, {@code 24.8 MB/59.1 MB
 * 12.3 MB/s}), fit the line to its terminal's width ({@link #columns(int)}), and show a short
 * text of its own at the end of the line ({@link #note(String)}, such as a second count).
 */
public final class ConsoleProgress implements ProgressListener {
    private static final int WIDTH = 30;
    private static final int NARROWEST = 10;
    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB"};

    private final String label;
    private final PrintStream out;
    private final boolean bytes;
    private final int columns;
    private String note = "";
    private int lastLength;
    // With columns, the bar only narrows, so that it does not change width with every figure.
    private int cells = WIDTH;

    private ConsoleProgress(String label, PrintStream out, boolean bytes, int columns) {
        this.label = label;
        this.out = out;
        this.bytes = bytes;
        this.columns = columns;
    }

    /**
     * Makes a bar that draws on standard error when this JVM has a terminal, and otherwise a
     * listener that does nothing.
     *
     * @param label what is counted, shown before the bar
     * @return the listener
     */
    public static ConsoleProgress create(String label) {
        return new ConsoleProgress(label, System.console() != null ? System.err : null, false, 0);
    }

    /**
     * Makes a bar that draws on {@code out} whether or not it is a terminal.
     *
     * @param label what is counted
     * @param out where to draw
     * @return the listener
     */
    public static ConsoleProgress to(String label, PrintStream out) {
        if (out == null) {
            throw new NullPointerException("out == null");
        }
        return new ConsoleProgress(label, out, false, 0);
    }

    /**
     * Returns a bar like this one whose counts are bytes: done, total and failed are drawn as
     * sizes in decimal units (1 kB = 1000 bytes, one decimal from a kilobyte up) and the rate as
     * a size per second.
     *
     * @return the new bar (this one is unchanged)
     */
    public ConsoleProgress inBytes() {
        return new ConsoleProgress(label, out, true, columns);
    }

    /**
     * Returns a bar like this one whose lines take fewer than {@code columns} characters (a
     * line that filled the terminal's last column would wrap): the bar narrows, then is left
     * out, then the line is cut. The bar does not widen again once it has narrowed.
     *
     * @param columns the terminal's width, at least 1; 0 for no limit (the default)
     * @return the new bar (this one is unchanged)
     * @throws IllegalArgumentException if {@code columns} is negative
     */
    public ConsoleProgress columns(int columns) {
        if (columns < 0) {
            throw new IllegalArgumentException("columns < 0: " + columns);
        }
        return new ConsoleProgress(label, out, bytes, columns);
    }

    /**
     * Sets a short text drawn at the end of the line from the next redraw on, such as a second
     * count ({@code 120/400 files}). Any thread may call it.
     *
     * @param text the text; {@code null} or empty for none
     */
    public synchronized void note(String text) {
        note = text == null ? "" : text;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (out == null) {
            return;
        }
        String line = line(p);
        StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        lastLength = line.length();
        if (p.finished()) {
            sb.append(System.lineSeparator());
            lastLength = 0;
        }
        out.print(sb);
        out.flush();
    }

    /**
     * Renders one line of a bar that counts items, without a width limit or a note.
     *
     * @param label what is counted
     * @param p the figures
     * @return the line, without line ending
     */
    static String render(String label, Progress p) {
        return new ConsoleProgress(label, null, false, 0).line(p);
    }

    /**
     * Renders one line as this bar draws it.
     *
     * @param p the figures
     * @return the line, without line ending
     */
    synchronized String line(Progress p) {
        long finished = p.done() + p.failed();
        String head = label != null && !label.isEmpty() ? label + " " : "";
        StringBuilder tail = new StringBuilder();
        if (p.total() > 0) {
            tail.append(count(finished)).append('/').append(count(p.total()));
            tail.append(String.format(Locale.ROOT, " %3d%%", finished * 100 / p.total()));
        } else {
            tail.append(count(finished)).append(p.total() == 0 ? "/" + count(0) : bytes ? "" : " items");
        }
        if (p.failed() > 0) {
            tail.append("  ").append(count(p.failed())).append(" failed");
        }
        tail.append("  ").append(bytes ? size(p.rate()) + "/s" : String.format(Locale.ROOT, "%.0f/s", p.rate()));
        if (!p.finished()) {
            p.estimatedTimeLeft().ifPresent(left -> tail.append("  ").append(clock(left)).append(" left"));
        } else {
            tail.append("  ").append(clock(p.elapsed()));
        }
        if (!note.isEmpty()) {
            tail.append("  ").append(note);
        }
        if (p.total() <= 0) {
            return fit(head + tail);
        }
        if (columns > 0) {
            int room = columns - 1 - head.length() - tail.length() - 3;
            if (room < NARROWEST) {
                return fit(head + tail);
            }
            cells = Math.min(cells, room);
        }
        int filled = (int) Math.min(cells, finished * cells / p.total());
        return head + "[" + "#".repeat(filled) + ".".repeat(cells - filled) + "] " + tail;
    }

    private String fit(String line) {
        return columns > 0 && line.length() > columns - 1 ? line.substring(0, Math.max(0, columns - 1)) : line;
    }

    private String count(long n) {
        return bytes ? size(n) : Long.toString(n);
    }

    /** Formats a size: {@code 512 B}, {@code 1.2 kB}, {@code 59.1 MB}. */
    static String size(double n) {
        if (n < 999.5) {
            return Math.round(Math.max(0, n)) + " B";
        }
        double v = n / 1000;
        int unit = 0;
        while (v >= 999.95 && unit < UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

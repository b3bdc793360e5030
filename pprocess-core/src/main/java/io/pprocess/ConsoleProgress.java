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
 */
public final class ConsoleProgress implements ProgressListener {
    private static final int WIDTH = 30;

    private final String label;
    private final PrintStream out;
    private int lastLength;

    private ConsoleProgress(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    /**
     * Makes a bar that draws on standard error when this JVM has a terminal, and otherwise a
     * listener that does nothing.
     *
     * @param label what is counted, shown before the bar
     * @return the listener
     */
    public static ConsoleProgress create(String label) {
        return new ConsoleProgress(label, System.console() != null ? System.err : null);
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
        return new ConsoleProgress(label, out);
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (out == null) {
            return;
        }
        String line = render(label, p);
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
     * Renders one line of the bar.
     *
     * @param label what is counted
     * @param p the figures
     * @return the line, without line ending
     */
    static String render(String label, Progress p) {
        long finished = p.done() + p.failed();
        StringBuilder sb = new StringBuilder();
        if (label != null && !label.isEmpty()) {
            sb.append(label).append(' ');
        }
        if (p.total() > 0) {
            int filled = (int) Math.min(WIDTH, finished * WIDTH / p.total());
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(finished).append('/').append(p.total());
            sb.append(String.format(Locale.ROOT, " %3d%%", finished * 100 / p.total()));
        } else {
            sb.append(finished).append(p.total() == 0 ? "/0" : " items");
        }
        if (p.failed() > 0) {
            sb.append("  ").append(p.failed()).append(" failed");
        }
        sb.append(String.format(Locale.ROOT, "  %.0f/s", p.rate()));
        if (!p.finished()) {
            p.estimatedTimeLeft().ifPresent(left -> sb.append("  ").append(clock(left)).append(" left"));
        } else {
            sb.append("  ").append(clock(p.elapsed()));
        }
        return sb.toString();
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

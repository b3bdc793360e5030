package io.pprocess.examples.raytrace;

import java.io.PrintStream;

/**
 * Reports how much of a job is done as a percentage: on a terminal one line rewritten in place
 * with {@code \r}; otherwise (a pipe or a file) one line each time another tenth is done.
 *
 * <p>Not thread-safe: call it from the thread that collects the results.
 */
public final class Progress {

    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean inPlace;
    private int done;
    private int shown = -1;

    /**
     * Creates a progress report and shows 0%.
     *
     * @param out where to print
     * @param label what is being done, printed before the percentage
     * @param total how many steps make the whole job, positive
     * @param inPlace whether to rewrite one line (for a terminal) instead of printing a line per 10%
     */
    public Progress(PrintStream out, String label, int total, boolean inPlace) {
        if (total <= 0) {
            throw new IllegalArgumentException("total must be positive: " + total);
        }
        this.out = out;
        this.label = label;
        this.total = total;
        this.inPlace = inPlace;
        show();
    }

    /**
     * Creates a progress report on standard output, in place when the JVM has a console.
     *
     * @param label what is being done
     * @param total how many steps make the whole job, positive
     * @return the report
     */
    public static Progress onStandardOutput(String label, int total) {
        return new Progress(System.out, label, total, System.console() != null);
    }

    /**
     * Records that one more step is done.
     *
     * @throws IllegalStateException if every step was already done
     */
    public void step() {
        if (done == total) {
            throw new IllegalStateException("all " + total + " steps of " + label + " are already done");
        }
        done++;
        show();
        if (done == total && inPlace) {
            out.println();
        }
    }

    /** @return how many steps are done */
    public int done() {
        return done;
    }

    private void show() {
        int percent = (int) (100L * done / total);
        if (inPlace) {
            if (percent != shown) {
                out.print("\r" + label + ": " + percent + "%");
                out.flush();
                shown = percent;
            }
        } else {
            int tenth = percent / 10;
            if (tenth != shown) {
                out.println(label + ": " + tenth * 10 + "%");
                shown = tenth;
            }
        }
    }
}

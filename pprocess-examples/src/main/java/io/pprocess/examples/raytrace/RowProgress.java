package io.pprocess.examples.raytrace;

import io.pprocess.ConsoleProgress;
import io.pprocess.Progress;
import io.pprocess.ProgressListener;
import java.time.Duration;

/**
 * Counts rendered rows into a {@link ConsoleProgress} bar, for the renderers whose rows no pool
 * counts: the sequential one, the queue of continuous children (each child sends many rows)
 * and the cluster. The {@code pmap} and reusing renderers give the bar to
 * {@link io.pprocess.PoolOptions#progress} instead. Like any {@link ConsoleProgress}, it draws
 * on standard error only when the JVM has a terminal.
 *
 * <p>Not thread-safe: call it from the thread that collects the rows.
 */
final class RowProgress {
    private final ProgressListener bar;
    private final long total;
    private final long start = System.nanoTime();
    private long done;

    /**
     * Shows the bar at 0.
     *
     * @param bar where the figures go
     * @param total how many rows the image has
     */
    RowProgress(ProgressListener bar, long total) {
        this.bar = bar;
        this.total = total;
        report();
    }

    /**
     * @param total how many rows the image has
     * @return a counter drawing {@link ConsoleProgress#create ConsoleProgress.create("rows")}
     */
    static RowProgress onTerminal(long total) {
        return new RowProgress(ConsoleProgress.create("rows"), total);
    }

    /**
     * Counts one more row; the last one finishes the bar.
     *
     * @throws IllegalStateException if every row was already counted
     */
    void step() {
        if (done == total) {
            throw new IllegalStateException("all " + total + " rows are already counted");
        }
        done++;
        report();
    }

    private void report() {
        bar.onProgress(new Progress(done, 0, 0, total, Duration.ofNanos(System.nanoTime() - start), done == total));
    }
}

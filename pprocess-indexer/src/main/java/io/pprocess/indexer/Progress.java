package io.pprocess.indexer;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Shows how far indexing has gone. Called from the indexing thread only. */
interface Progress extends AutoCloseable {

    /**
     * Records finished files.
     *
     * @param files how many more files are done (indexed, skipped or failed)
     * @param bytes how many more bytes they had
     */
    void advance(int files, long bytes);

    /** Removes or completes the display. */
    @Override
    void close();

    /** @return a progress display that shows nothing */
    static Progress silent() {
        return new Progress() {
            @Override
            public void advance(int files, long bytes) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Returns a progress bar drawn on a terminal (by progressbar's refresh thread): the share
     * done, the bytes done out of the listed total and the rate (formatted by {@link Sizes}, as
     * in the summary), the time left, and the files done out of the total.
     *
     * @param terminal the terminal's stream
     * @param width the terminal's width in columns
     * @param totalFiles the number of files
     * @param totalBytes their total size
     * @return the bar
     */
    static Progress bar(PrintStream terminal, int width, int totalFiles, long totalBytes) {
        long start = System.nanoTime();
        int[] files = new int[1];
        ProgressBar bar = new ProgressBarBuilder()
                .setInitialMax(Math.max(1, totalBytes))
                .setConsumer(new ConsoleProgressBarConsumer(terminal, Math.max(40, width - 1)))
                .setUpdateIntervalMillis(200)
                .setRenderer((state, length) -> render(state.getCurrent(), totalBytes, files[0], totalFiles,
                        System.nanoTime() - start, length))
                .build();
        return new Progress() {
            @Override
            public void advance(int doneFiles, long bytes) {
                files[0] += doneFiles;
                bar.stepBy(bytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /**
     * Draws the bar's line.
     *
     * @param doneBytes bytes of the files done
     * @param totalBytes bytes of all files
     * @param doneFiles files done
     * @param totalFiles all files
     * @param nanos time since indexing started
     * @param length the most characters
     * @return for example {@code Indexing  42% [████      ] 24.8 MB/59.1 MB, 12.3 MB/s, 0:03 left, 120/400 files}
     */
    static String render(long doneBytes, long totalBytes, int doneFiles, int totalFiles, long nanos, int length) {
        double share = totalBytes > 0 ? Math.min(1, (double) doneBytes / totalBytes) : doneFiles >= totalFiles ? 1 : 0;
        String left = doneBytes > 0 && share < 1
                ? Sizes.clock(Math.round(nanos / 1e9 * (1 - share) / share)) + " left"
                : share >= 1 ? "done" : "?:?? left";
        String tail = String.format(java.util.Locale.ROOT, " %s/%s, %s, %s, %d/%d files", Sizes.bytes(doneBytes),
                Sizes.bytes(totalBytes), Sizes.rate(doneBytes, nanos), left, doneFiles, totalFiles);
        String head = String.format(java.util.Locale.ROOT, "Indexing %3d%% ", (int) Math.floor(share * 100));
        int cells = Math.min(30, length - head.length() - tail.length() - 2);
        if (cells < 5) {
            String line = head + tail.strip();
            return line.length() <= length ? line : line.substring(0, Math.max(0, length));
        }
        int full = (int) Math.floor(share * cells);
        return head + "[" + "\u2588".repeat(full) + " ".repeat(cells - full) + "]" + tail;
    }
}

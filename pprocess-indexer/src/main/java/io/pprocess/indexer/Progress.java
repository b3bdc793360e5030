package io.pprocess.indexer;

import io.pprocess.ConsoleProgress;
import io.pprocess.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows how far indexing has gone: a thin adapter that turns the children's reports (files and
 * bytes read) into the core's {@link io.pprocess.Progress} values for a {@link ProgressListener}
 * (on a terminal, the core's {@link ConsoleProgress}). The values count bytes, not items: files
 * differ in size by orders of magnitude, and the time left follows the bytes. Called from the
 * indexing thread only.
 */
interface Progress extends AutoCloseable {
    /** The least time between two reports to the listener (the last one is always made). */
    long REPORT_NANOS = 100_000_000L;

    /**
     * Records finished files.
     *
     * @param files how many more files are done (indexed, skipped or failed)
     * @param bytes how many more bytes they had
     */
    void advance(int files, long bytes);

    /** Completes the display. */
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
     * Returns the indexer's progress bar on a terminal: the core's {@link ConsoleProgress},
     * counting bytes ({@link ConsoleProgress#inBytes()}), fitted to the terminal's width, with
     * the files done out of the listed files at the end of the line, for example
     * {@code Indexing [#########.....................] 24.8 MB/59.1 MB  42%  12.3 MB/s  0:03 left  120/400 files}.
     *
     * @param terminal the terminal's stream
     * @param width the terminal's width in columns
     * @param totalFiles the number of files
     * @param totalBytes their total size
     * @return the bar
     */
    static Progress bar(PrintStream terminal, int width, int totalFiles, long totalBytes) {
        ConsoleProgress bar = ConsoleProgress.to("Indexing", terminal).inBytes().columns(Math.max(20, width));
        return to(bar, files -> bar.note(String.format(Locale.ROOT, "%d/%d files", files, totalFiles)),
                totalBytes);
    }

    /**
     * Reports to a listener: done is the bytes of the files done, total the listed bytes, the
     * elapsed time counts from this call; one report at once, then at most one per
     * {@link #REPORT_NANOS}, and a finished one at {@link #close()}.
     *
     * @param listener where reports go
     * @param files told the number of files done before each report
     * @param totalBytes the listed bytes
     * @return the display
     */
    static Progress to(ProgressListener listener, java.util.function.IntConsumer files, long totalBytes) {
        long start = System.nanoTime();
        return new Progress() {
            private int doneFiles;
            private long doneBytes;
            private long lastReport = Long.MIN_VALUE;
            private boolean closed;

            {
                report(false);
            }

            @Override
            public void advance(int moreFiles, long moreBytes) {
                doneFiles += moreFiles;
                doneBytes += moreBytes;
                if (System.nanoTime() - lastReport >= REPORT_NANOS) {
                    report(false);
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    report(true);
                }
            }

            private void report(boolean finished) {
                lastReport = System.nanoTime();
                files.accept(doneFiles);
                listener.onProgress(new io.pprocess.Progress(Math.min(doneBytes, totalBytes), 0,
                        0, totalBytes, Duration.ofNanos(lastReport - start), finished));
            }
        };
    }
}

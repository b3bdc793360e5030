package io.pprocess.indexer;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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
     * Returns a progress bar drawn on a terminal: bytes done out of the total (in MB), the rate,
     * the time left, and files done out of the total.
     *
     * @param terminal the terminal's stream
     * @param width the terminal's width in columns
     * @param totalFiles the number of files
     * @param totalBytes their total size
     * @return the bar
     */
    static Progress bar(PrintStream terminal, int width, int totalFiles, long totalBytes) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("Indexing")
                .setInitialMax(Math.max(1, totalBytes))
                .setUnit(" MB", 1_000_000)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(terminal, Math.max(40, width - 1)))
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .build();
        bar.setExtraMessage(fileCount(0, totalFiles));
        return new Progress() {
            private int files;

            @Override
            public void advance(int doneFiles, long bytes) {
                files += doneFiles;
                bar.stepBy(bytes);
                bar.setExtraMessage(fileCount(files, totalFiles));
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    private static String fileCount(int done, int total) {
        return " " + done + "/" + total + " files";
    }
}

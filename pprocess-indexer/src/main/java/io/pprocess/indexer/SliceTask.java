package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.indexer.Messages.Batch;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.nio.file.Path;
import java.util.List;

/**
 * The child's work: analyses the files of one slice and streams their words to the parent.
 *
 * <p>Batches, skip notices and progress reports are sent without waiting for
 * acknowledgements, so the child keeps reading while the parent merges; the final batch
 * (possibly empty) is acknowledged, so the child ends only after the parent has read
 * everything. Progress is reported at most every {@link #PROGRESS_MILLIS} (after a file), and
 * words only in large batches, so that the parent has few words to look up.
 */
final class SliceTask {
    /** The task as the parent starts it. */
    static final ChannelTask1<Slice> TASK = SliceTask::run;

    /** The least time between two progress reports. */
    static final long PROGRESS_MILLIS = 200;

    private SliceTask() {
    }

    /**
     * Indexes a slice, sending {@link Batch}, {@link FileSkipped} and {@link ReadProgress} messages
     * on {@code channel}.
     *
     * @param channel the child's end of the channel
     * @param slice the files
     * @throws InterruptedException if interrupted during the delay
     */
    static void run(Channel channel, Slice slice) throws InterruptedException {
        BatchBuilder last;
        try (Sender sender = new Sender(channel)) {
            last = index(sender, slice);
        }
        last.finish(channel::send);
    }

    /**
     * Indexes a slice, sending all but the last batch through {@code sender}.
     *
     * @param sender where messages go
     * @param slice the files
     * @return the builder holding the last batch (possibly empty), for the caller to send
     * @throws InterruptedException if interrupted during the delay
     */
    static BatchBuilder index(Sender sender, Slice slice) throws InterruptedException {
        List<String> paths = slice.paths();
        BatchBuilder batches = new BatchBuilder(sender::send);
        long lastReport = System.nanoTime();
        int files = 0;
        long bytes = 0;
        try (FileAnalyzer analyzer = new FileAnalyzer()) {
            for (int i = 0; i < paths.size(); i++) {
                if (slice.delayMillis() > 0) {
                    Thread.sleep(slice.delayMillis());
                }
                int file = slice.firstFile() + i;
                batches.startFile(file);
                FileAnalyzer.Result result = analyzer.analyze(Path.of(paths.get(i)), batches::add);
                if (result.isSkipped()) {
                    batches.abandonFile();
                    sender.send(new FileSkipped(file, result.skipReason()));
                } else {
                    batches.endFile(result.bytes());
                }
                files++;
                bytes += result.bytes();
                if (System.nanoTime() - lastReport >= PROGRESS_MILLIS * 1_000_000) {
                    sender.send(new ReadProgress(files, bytes));
                    files = 0;
                    bytes = 0;
                    lastReport = System.nanoTime();
                }
            }
        }
        return batches;
    }
}

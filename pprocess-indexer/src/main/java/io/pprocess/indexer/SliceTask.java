package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.indexer.Messages.Batch;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.Slice;
import java.nio.file.Path;
import java.util.List;

/**
 * The child's work: analyses the files of one slice and streams their words to the parent.
 *
 * <p>Batches and skip notices are sent without waiting for acknowledgements, so the child keeps
 * reading while the parent merges; the final batch (possibly empty) is acknowledged, so the child
 * ends only after the parent has read everything.
 */
final class SliceTask {
    /** The task as the parent starts it. */
    static final ChannelTask1<Slice> TASK = SliceTask::run;

    private SliceTask() {
    }

    /**
     * Indexes a slice, sending {@link Batch} and {@link FileSkipped} messages on {@code channel}.
     *
     * @param channel the child's end of the channel
     * @param slice the files
     * @throws InterruptedException if interrupted during the delay
     */
    static void run(Channel channel, Slice slice) throws InterruptedException {
        List<String> paths = slice.paths();
        BatchBuilder batches = new BatchBuilder(channel::sendUnacknowledged);
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
                    channel.sendUnacknowledged(new FileSkipped(file, result.skipReason()));
                } else {
                    batches.endFile(result.bytes());
                }
            }
        }
        batches.finish(channel::send);
    }
}

package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.nio.file.Path;
import java.util.List;

/**
 * The child's work: analyses the files of one slice and sends their index to the parent.
 *
 * <p>The words of the files go through a {@link BatchBuilder} into a {@link SliceIndex}, which
 * the child sends as one {@link IndexPart} at the end of the slice (and one at the end of a
 * file whenever {@link SliceIndex#PART_PLACE_BYTES} of places have gathered), so the parent
 * adds sorted parts instead of merging every word. Skip notices and progress reports are sent
 * without waiting for acknowledgements, from a {@link Sender} thread; the final part (possibly
 * empty) is acknowledged, so the child ends only after the parent has read everything.
 * Progress is reported at most every {@link #PROGRESS_MILLIS} (after a file).
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
        SliceIndex index = new SliceIndex();
        try (Sender sender = new Sender(channel)) {
            index(sender, slice, index);
        }
        channel.send(index.take());
    }

    /**
     * Indexes a slice into {@code index}, sending skip notices, progress reports and all but the
     * last part through {@code sender}.
     *
     * @param sender where messages go
     * @param slice the files
     * @param index receives the words; holds the last part (possibly empty) on return, for the
     *     caller to send
     * @throws InterruptedException if interrupted during the delay
     */
    static void index(Sender sender, Slice slice, SliceIndex index) throws InterruptedException {
        List<String> paths = slice.paths();
        BatchBuilder batches = new BatchBuilder(index::add);
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
                    if (index.placeBytes() >= SliceIndex.PART_PLACE_BYTES) {
                        batches.flush();
                        sender.send(index.take());
                    }
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
        batches.flush();
    }
}

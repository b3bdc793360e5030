package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The child's work: analyses the files of its slices and sends their index to the parent.
 *
 * <p>The words of the files go through a {@link BatchBuilder} into a {@link SliceIndex}, which
 * the child sends as one {@link IndexPart} at the end of its work (and one at the end of a
 * file whenever {@link SliceIndex#PART_PLACE_BYTES} of places have gathered), so the parent
 * adds sorted parts instead of merging every word. Each batch's array of places is sent as a
 * {@link ByteBuffer} as soon as the batch is made, so that at the end only the part's
 * dictionary (the words and where their places are) is left to make and send. Arrays of
 * places, skip notices and progress reports are sent without waiting for acknowledgements, from
 * a {@link Sender} thread; the final part (possibly empty) is acknowledged, so the child ends
 * only after the parent has read everything.
 * Progress is reported at most every {@link #PROGRESS_MILLIS} (after a file).
 *
 * <p>A shared slice ({@link Slice#shared()}) is one piece of the work: when the child starts it,
 * it asks for the next piece ({@link Messages.WantSlice}), and when it has read it, it takes the
 * parent's answer, until that answer is empty. One index gathers all the pieces' words.
 */
final class SliceTask {
    /** The task as the parent starts it. */
    static final ChannelTask1<Slice> TASK = SliceTask::run;

    /** The least time between two progress reports. */
    static final long PROGRESS_MILLIS = 200;

    private SliceTask() {
    }

    /**
     * Indexes a slice (and, when it is shared, the slices the parent hands out after it),
     * sending index parts, {@link FileSkipped} and {@link ReadProgress} messages on
     * {@code channel}.
     *
     * @param channel the child's end of the channel
     * @param slice the first files
     * @throws InterruptedException if interrupted during the delay
     */
    static void run(Channel channel, Slice slice) throws InterruptedException {
        Sender sender = new Sender(channel);
        SliceIndex index = new SliceIndex(places -> sender.send(ByteBuffer.wrap(places)));
        try (sender) {
            index(sender, slice, index, channel);
        }
        channel.send(index.take());
    }

    /** Receives the parent's answer to a {@link Messages.WantSlice}. */
    private static Slice next(Channel channel) {
        Object answer = channel.receive();
        if (answer instanceof Slice s) {
            return s;
        }
        throw new IllegalStateException("expected a slice from the parent, got "
                + (answer == null ? "null" : answer.getClass().getName()));
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
        index(sender, slice, index, null);
    }

    /**
     * As {@link #index(Sender, Slice, SliceIndex)}, asking {@code channel} for the next slice
     * while a shared one is read. The request is sent on this thread before the slice's first
     * file is read, so that a parent that sees this child die knows which slices it had started.
     */
    private static void index(Sender sender, Slice first, SliceIndex index, Channel channel)
            throws InterruptedException {
        if (first.shared() && channel == null) {
            throw new IllegalStateException("a shared slice needs a channel to ask for more");
        }
        BatchBuilder batches = new BatchBuilder(index::add);
        long lastReport = System.nanoTime();
        int files = 0;
        long bytes = 0;
        try (FileAnalyzer analyzer = new FileAnalyzer()) {
            for (Slice slice = first; slice != null; ) {
                if (slice.shared()) {
                    channel.sendUnacknowledged(new Messages.WantSlice());
                }
                if (slice.last() && batches.places() > 0) {
                    // What gathered before the last piece goes now, so that the final batch,
                    // made after the last file, is small.
                    batches.flush();
                }
                List<String> paths = slice.paths();
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
                slice = slice.shared() ? next(channel) : null;
            }
        }
        if (files > 0) {
            sender.send(new ReadProgress(files, bytes));
        }
        batches.flush();
    }
}

package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.FileWords;
import io.pprocess.indexer.Messages.Slice;
import java.nio.file.Path;
import java.util.List;

/**
 * The child's work: analyses the files of one slice and streams their words to the parent.
 *
 * <p>Each file is sent as soon as it is analysed, in parts of at most {@link #PART_WORDS} words,
 * without waiting for acknowledgements; the last message of the slice is acknowledged, so the
 * child ends only after the parent has read everything.
 */
final class SliceTask {
    /** The most distinct words sent in one message. */
    static final int PART_WORDS = 4096;

    /** The task as the exchange starts it. */
    static final ChannelTask1<Slice> TASK = SliceTask::run;

    private SliceTask() {
    }

    /**
     * Indexes a slice, sending {@link FileWords} and {@link FileSkipped} messages on {@code channel}.
     *
     * @param channel the child's end of the channel
     * @param slice the files
     * @throws InterruptedException if interrupted during the delay
     */
    static void run(Channel channel, Slice slice) throws InterruptedException {
        List<String> paths = slice.paths();
        try (FileAnalyzer analyzer = new FileAnalyzer()) {
            for (int i = 0; i < paths.size(); i++) {
                if (slice.delayMillis() > 0) {
                    Thread.sleep(slice.delayMillis());
                }
                boolean lastOfSlice = i == paths.size() - 1;
                int file = slice.firstFile() + i;
                FileAnalyzer.Result result = analyzer.analyze(Path.of(paths.get(i)));
                if (result.isSkipped()) {
                    send(channel, new FileSkipped(file, result.skipReason()), lastOfSlice);
                    continue;
                }
                int n = result.words().size();
                int from = 0;
                do {
                    int to = Math.min(n, from + PART_WORDS);
                    String[] words = result.words().subList(from, to).toArray(new String[0]);
                    int[][] lines = result.lines().subList(from, to).toArray(new int[0][]);
                    boolean last = to == n;
                    send(channel, new FileWords(file, result.bytes(), words, lines, last), lastOfSlice && last);
                    from = to;
                } while (from < n);
            }
        }
    }

    private static void send(Channel channel, Object message, boolean acknowledged) {
        if (acknowledged) {
            channel.send(message);
        } else {
            channel.sendUnacknowledged(message);
        }
    }
}

package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.lucene.analysis.CharArrayMap;

/**
 * Gathers the words of consecutive files into {@link Batch}es; runs in the child.
 *
 * <p>Each word is looked up once per occurrence, without making a string, and its places are
 * appended to one growing int array, so the parent merges one block list per word and batch
 * rather than one entry per word and file; the larger the batches, the fewer the lookups. A
 * batch is handed to the consumer after a file once {@link #FLUSH_INTS} ints have gathered,
 * and in the middle of a file only if it reaches {@link #HARD_INTS}. Not thread-safe.
 */
final class BatchBuilder {
    /** Places (in ints) after which a batch is sent at the end of a file. */
    static final int FLUSH_INTS = 8 << 20;
    /** Places (in ints) after which a batch is sent even in the middle of a file. */
    static final int HARD_INTS = 16 << 20;

    private final Consumer<Batch> consumer;
    private final CharArrayMap<Entry> map = new CharArrayMap<>(1 << 14, false);
    private final List<Entry> entries = new ArrayList<>();
    private final List<Entry> touched = new ArrayList<>();
    private int[] doneFiles = new int[16];
    private long[] doneBytes = new long[16];
    private int doneCount;
    private long ints;
    private int file = -1;

    /**
     * Creates a builder.
     *
     * @param consumer receives each batch (sends it to the parent)
     */
    BatchBuilder(Consumer<Batch> consumer) {
        this.consumer = consumer;
    }

    /**
     * Starts the words of a file.
     *
     * @param fileNumber the file's number in the parent's list; larger than any before
     */
    void startFile(int fileNumber) {
        if (fileNumber <= file) {
            throw new IllegalArgumentException("file numbers must increase: " + fileNumber + " after " + file);
        }
        file = fileNumber;
        touched.clear();
    }

    /**
     * Adds one occurrence of a word in the current file.
     *
     * @param buffer the word's characters
     * @param length how many characters of {@code buffer} are the word
     * @param line its line number, from 1
     */
    void add(char[] buffer, int length, int line) {
        Entry e = map.get(buffer, 0, length);
        if (e == null) {
            e = new Entry(new String(buffer, 0, length));
            map.put(e.word, e);
            entries.add(e);
        }
        ints += e.add(file, line, touched);
        if (ints >= HARD_INTS) {
            flush();
        }
    }

    /**
     * Ends the current file: it counts as completed in the next batch.
     *
     * @param bytes the file's size as read
     */
    void endFile(long bytes) {
        if (doneCount == doneFiles.length) {
            doneFiles = Arrays.copyOf(doneFiles, doneCount * 2);
            doneBytes = Arrays.copyOf(doneBytes, doneCount * 2);
        }
        doneFiles[doneCount] = file;
        doneBytes[doneCount] = bytes;
        doneCount++;
        touched.clear();
        if (ints >= FLUSH_INTS) {
            flush();
        }
    }

    /**
     * Drops the words of the current file that have not been sent yet, for a file that turned
     * out to be unreadable.
     */
    void abandonFile() {
        for (Entry e : touched) {
            ints -= e.dropCurrentBlock();
        }
        touched.clear();
    }

    /** Hands what has gathered to the consumer as one batch, even if it is empty. */
    void flush() {
        consumer.accept(take());
    }

    /**
     * Hands what has gathered, as one batch (possibly empty), to {@code last} instead of the
     * consumer: for the final message of a slice.
     *
     * @param last receives the batch
     */
    void finish(Consumer<Batch> last) {
        last.accept(take());
    }

    private Batch take() {
        List<String> words = new ArrayList<>(entries.size());
        List<int[]> places = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.size > 0) {
                words.add(e.word);
                places.add(Arrays.copyOf(e.data, e.size));
            }
        }
        Batch batch = new Batch(words.toArray(new String[0]), places.toArray(new int[0][]),
                Arrays.copyOf(doneFiles, doneCount), Arrays.copyOf(doneBytes, doneCount));
        map.clear();
        entries.clear();
        touched.clear();
        doneCount = 0;
        ints = 0;
        return batch;
    }

    /** One word's places in this batch: blocks of {@code [file, n, line1 .. linen]}. */
    private static final class Entry {
        final String word;
        int[] data = new int[4];
        int size;
        private int file = -1;
        private int blockStart;
        private int lastLine;

        Entry(String word) {
            this.word = word;
        }

        /** @return how many ints were added */
        int add(int fileNumber, int line, List<Entry> touched) {
            int added = 0;
            if (fileNumber != file) {
                ensure(3);
                blockStart = size;
                data[size++] = fileNumber;
                data[size++] = 0;
                file = fileNumber;
                lastLine = 0;
                touched.add(this);
                added = 2;
            }
            if (line > lastLine) {
                ensure(1);
                data[size++] = line;
                data[blockStart + 1]++;
                lastLine = line;
                return added + 1;
            }
            if (line == lastLine) {
                return added;
            }
            // Out of order (possible after mark-up stripping): insert into the current block.
            int from = blockStart + 2;
            int at = Arrays.binarySearch(data, from, size, line);
            if (at >= 0) {
                return added;
            }
            at = -at - 1;
            ensure(1);
            System.arraycopy(data, at, data, at + 1, size - at);
            data[at] = line;
            size++;
            data[blockStart + 1]++;
            return added + 1;
        }

        /** @return how many ints were removed */
        int dropCurrentBlock() {
            int removed = size - blockStart;
            size = blockStart;
            file = -1;
            return removed;
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(size + more, data.length * 2));
            }
        }
    }
}

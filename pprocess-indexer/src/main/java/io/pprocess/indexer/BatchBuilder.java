package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Gathers the words of consecutive files into {@link Batch}es; runs in the child.
 *
 * <p>Each occurrence costs one probe of an open-addressing table whose per-word state lives in
 * flat int arrays (no string or object is made per token), and the word's places are appended
 * to one growing int array, so the parent merges one block list per word and batch rather
 * than one entry per word and file; the larger the batches, the fewer the parent's lookups. A
 * batch is handed to the consumer after a file once {@link #FLUSH_INTS} ints have gathered,
 * and in the middle of a file only if it reaches {@link #HARD_INTS}. Not thread-safe.
 */
final class BatchBuilder {
    /** Places (in ints) after which a batch is sent at the end of a file. */
    static final int FLUSH_INTS = 8 << 20;
    /** Places (in ints) after which a batch is sent even in the middle of a file. */
    static final int HARD_INTS = 16 << 20;

    // Per-word state, STRIDE ints per word: hash, key offset in pool, key length, current
    // file, last line, start of the current block in data, size of data.
    private static final int STRIDE = 8;
    private static final int HASH = 0;
    private static final int KEY = 1;
    private static final int LENGTH = 2;
    private static final int FILE = 3;
    private static final int LINE = 4;
    private static final int BLOCK = 5;
    private static final int SIZE = 6;

    private final Consumer<Batch> consumer;
    private int[] slots = new int[1 << 15];
    private int[] words = new int[STRIDE << 14];
    private int[][] data = new int[1 << 14][];
    private char[] pool = new char[1 << 16];
    private int poolSize;
    private int count;
    private int[] touched = new int[1 << 10];
    private int touchedCount;
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
        touchedCount = 0;
    }

    /**
     * Adds one occurrence of a word in the current file.
     *
     * @param buffer the word's characters
     * @param length how many characters of {@code buffer} are the word
     * @param line its line number, from 1
     */
    void add(char[] buffer, int length, int line) {
        int w = find(buffer, length);
        int at = w * STRIDE;
        int[] d = data[w];
        int size = words[at + SIZE];
        if (words[at + FILE] != file) {
            if (size + 3 > d.length) {
                d = grow(w, size + 3);
            }
            words[at + FILE] = file;
            words[at + BLOCK] = size;
            d[size] = file;
            d[size + 1] = 1;
            d[size + 2] = line;
            words[at + LINE] = line;
            words[at + SIZE] = size + 3;
            ints += 3;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = w;
        } else {
            int last = words[at + LINE];
            if (line == last) {
                return;
            }
            if (size + 1 > d.length) {
                d = grow(w, size + 1);
            }
            int block = words[at + BLOCK];
            if (line > last) {
                d[size] = line;
                words[at + LINE] = line;
            } else {
                // Out of order (possible after mark-up stripping): insert into the current block.
                int pos = Arrays.binarySearch(d, block + 2, size, line);
                if (pos >= 0) {
                    return;
                }
                pos = -pos - 1;
                System.arraycopy(d, pos, d, pos + 1, size - pos);
                d[pos] = line;
            }
            d[block + 1]++;
            words[at + SIZE] = size + 1;
            ints++;
        }
        if (ints >= HARD_INTS) {
            flush();
        }
    }

    /** Returns the number of the word, adding it if it is new. */
    private int find(char[] buffer, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer[i];
        }
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        int mask = slots.length - 1;
        int slot = h & mask;
        while (true) {
            int w = slots[slot] - 1;
            if (w < 0) {
                return insert(slot, h, buffer, length);
            }
            int at = w * STRIDE;
            if (words[at + HASH] == h && words[at + LENGTH] == length
                    && Arrays.equals(pool, words[at + KEY], words[at + KEY] + length, buffer, 0, length)) {
                return w;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int insert(int slot, int h, char[] buffer, int length) {
        int w = count++;
        if (w == data.length) {
            data = Arrays.copyOf(data, w * 2);
            words = Arrays.copyOf(words, w * 2 * STRIDE);
        }
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(poolSize + length, pool.length * 2));
        }
        System.arraycopy(buffer, 0, pool, poolSize, length);
        int at = w * STRIDE;
        words[at + HASH] = h;
        words[at + KEY] = poolSize;
        words[at + LENGTH] = length;
        words[at + FILE] = -1;
        words[at + SIZE] = 0;
        poolSize += length;
        data[w] = new int[4];
        slots[slot] = w + 1;
        if (count * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return w;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int w = 0; w < count; w++) {
            int slot = words[w * STRIDE + HASH] & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = w + 1;
        }
    }

    private int[] grow(int w, int need) {
        int[] d = Arrays.copyOf(data[w], Math.max(need, data[w].length * 2));
        data[w] = d;
        return d;
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
        touchedCount = 0;
        if (ints >= FLUSH_INTS) {
            flush();
        }
    }

    /**
     * Drops the words of the current file that have not been sent yet, for a file that turned
     * out to be unreadable.
     */
    void abandonFile() {
        for (int i = 0; i < touchedCount; i++) {
            int at = touched[i] * STRIDE;
            ints -= words[at + SIZE] - words[at + BLOCK];
            words[at + SIZE] = words[at + BLOCK];
            words[at + FILE] = -1;
        }
        touchedCount = 0;
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
        int n = 0;
        for (int w = 0; w < count; w++) {
            if (words[w * STRIDE + SIZE] > 0) {
                n++;
            }
        }
        String[] batchWords = new String[n];
        int[][] places = new int[n][];
        int k = 0;
        for (int w = 0; w < count; w++) {
            int at = w * STRIDE;
            int size = words[at + SIZE];
            if (size > 0) {
                batchWords[k] = new String(pool, words[at + KEY], words[at + LENGTH]);
                places[k] = data[w].length == size ? data[w] : Arrays.copyOf(data[w], size);
                k++;
            }
            data[w] = null;
        }
        Batch batch = new Batch(batchWords, places, Arrays.copyOf(doneFiles, doneCount),
                Arrays.copyOf(doneBytes, doneCount));
        Arrays.fill(slots, 0);
        count = 0;
        poolSize = 0;
        touchedCount = 0;
        doneCount = 0;
        ints = 0;
        return batch;
    }
}

package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Gathers the words of consecutive files into {@link Batch}es; runs in the child.
 *
 * <p>Each occurrence costs one lookup in the {@link WordTable} of the words seen so far
 * (per-word state here in flat int arrays, no object per token) and, unless the word was already
 * seen on the same line, the append of one (word, line) pair to a reusable buffer: a
 * sequential write, whatever the number of distinct words. A batch is built from the buffer
 * only when it is sent: a counting pass sizes each word's block list, a second pass fills them
 * in, one after another in one reused array, which goes out packed by {@link Varints}. A batch
 * is made after a file once {@link #FLUSH_PLACES} places have gathered, and in the middle of a
 * file when the buffer reaches {@link #HARD_PLACES}, which bounds the buffer. Batches name words
 * by their number in the word table and carry the text only of words new since the previous
 * batch, so the {@link SliceIndex} that takes them meets each word's text once. The word table
 * lives across batches (words are looked up, not inserted, after the first batch) unless it
 * has grown beyond {@link #MAX_KEPT_WORDS}. Not thread-safe.
 */
final class BatchBuilder {
    /** Places (word, line) after which a batch is sent at the end of a file. */
    static final int FLUSH_PLACES = 1 << 20;
    /** Places (word, line) after which a batch is sent even in the middle of a file. */
    static final int HARD_PLACES = 1 << 21;
    /** Distinct words beyond which the word table is emptied after a batch. */
    static final int MAX_KEPT_WORDS = 1 << 20;

    // Per-word state of the batches, STRIDE ints per word: the file and line of its latest
    // occurrence, the batch in which it was last listed, the batch in which it came out of
    // line order.
    private static final int STRIDE = 4;
    private static final int FILE = 0;
    private static final int LINE = 1;
    private static final int LISTED = 2;
    private static final int UNORDERED = 3;

    private final Consumer<Batch> consumer;
    private final int flushPlaces;
    private final int hardPlaces;
    private final int maxKeptWords;
    private final WordTable table = new WordTable();
    // Sized from the start for tens of thousands of words (see WordTable).
    private int[] words = new int[STRIDE << 15];
    private int capacity = 1 << 15;
    /** Words below this number have their state here (the table's words as of the last new one). */
    private int known;
    // Words below this number have had their text sent since the numbering last started.
    private int named;
    private boolean renumber;

    // The batch being gathered: (word, line) pairs; runs of pairs of one file; the words in
    // order of their first place in the batch.
    private int[] pairs;
    private int places;
    private int[] runFile = new int[64];
    private int[] runStart = new int[64];
    private int runs;
    private int[] listed = new int[1 << 12];
    private int listedCount;
    private int batchNumber = 1;
    private int[] doneFiles = new int[16];
    private long[] doneBytes = new long[16];
    private int doneCount;
    private int file = -1;
    private boolean fileOpen;

    // Per-word scratch used while a batch is built: size, then write position (then end of
    // its list); start of its current block; file of its current block.
    private int[] buildSize = new int[1 << 15];
    private int[] buildBlock = new int[1 << 15];
    private int[] buildFile = new int[1 << 15];
    // The block lists of a batch, one word's after another's.
    private int[] flat = new int[1 << 16];

    /**
     * Creates a builder.
     *
     * @param consumer receives each batch (the child's {@link SliceIndex})
     */
    BatchBuilder(Consumer<Batch> consumer) {
        this(consumer, FLUSH_PLACES, HARD_PLACES, MAX_KEPT_WORDS);
    }

    /**
     * Creates a builder with other limits than the defaults (for tests).
     *
     * @param consumer receives each batch
     * @param flushPlaces places after which a batch is sent at the end of a file, at least 1
     * @param hardPlaces places after which a batch is sent in the middle of a file, at least 1
     * @param maxKeptWords distinct words beyond which the table is emptied after a batch
     * @throws IllegalArgumentException if a limit is out of range
     */
    BatchBuilder(Consumer<Batch> consumer, int flushPlaces, int hardPlaces, int maxKeptWords) {
        if (flushPlaces < 1 || hardPlaces < 1 || maxKeptWords < 0) {
            throw new IllegalArgumentException("limits out of range: flushPlaces " + flushPlaces + ", hardPlaces "
                    + hardPlaces + ", maxKeptWords " + maxKeptWords);
        }
        this.consumer = consumer;
        this.flushPlaces = flushPlaces;
        this.hardPlaces = hardPlaces;
        this.maxKeptWords = maxKeptWords;
        // A quarter of a batch (a megabyte): batches are gathered in one array for the whole
        // slice, grown a few times, not from a few kilobytes on.
        this.pairs = new int[2 * (int) Math.min(hardPlaces, (flushPlaces >> 2) + 16L)];
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
        fileOpen = true;
        openRun();
    }

    private void openRun() {
        if (runs > 0 && runStart[runs - 1] == places) {
            runs--;
        }
        if (runs == runFile.length) {
            runFile = Arrays.copyOf(runFile, runs * 2);
            runStart = Arrays.copyOf(runStart, runs * 2);
        }
        runFile[runs] = file;
        runStart[runs] = places;
        runs++;
    }

    /**
     * Adds one occurrence of a word in the current file.
     *
     * @param buffer the word's characters
     * @param length how many characters of {@code buffer} are the word
     * @param line its line number, from 1
     * @throws IllegalStateException if no file is started
     */
    void add(char[] buffer, int length, int line) {
        if (!fileOpen) {
            throw new IllegalStateException("no file started: a word comes before startFile or after endFile");
        }
        int w = table.find(buffer, length);
        if (w == known) {
            addWord(w);
        }
        int at = w * STRIDE;
        if (words[at + FILE] == file) {
            int last = words[at + LINE];
            if (line == last) {
                return;
            }
            if (line < last) {
                // Out of order (possible after mark-up stripping): sorted when the batch is built.
                words[at + UNORDERED] = batchNumber;
            }
        } else {
            words[at + FILE] = file;
        }
        words[at + LINE] = line;
        if (words[at + LISTED] != batchNumber) {
            words[at + LISTED] = batchNumber;
            if (listedCount == listed.length) {
                listed = Arrays.copyOf(listed, listedCount * 2);
            }
            listed[listedCount++] = w;
        }
        int p = places << 1;
        if (p == pairs.length) {
            pairs = Arrays.copyOf(pairs, p * 2);
        }
        pairs[p] = w;
        pairs[p + 1] = line;
        if (++places >= hardPlaces) {
            flush();
        }
    }

    /** Makes room for the state of a word new to the table, and starts it. */
    private void addWord(int w) {
        if (w == capacity) {
            capacity = w * 2;
            words = Arrays.copyOf(words, capacity * STRIDE);
            buildSize = Arrays.copyOf(buildSize, capacity);
            buildBlock = Arrays.copyOf(buildBlock, capacity);
            buildFile = Arrays.copyOf(buildFile, capacity);
        }
        int at = w * STRIDE;
        words[at + FILE] = -1;
        words[at + LINE] = 0;
        words[at + LISTED] = 0;
        words[at + UNORDERED] = 0;
        known = w + 1;
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
        fileOpen = false;
        if (places >= flushPlaces) {
            flush();
        }
    }

    /**
     * Drops the words of the current file that have not been sent yet, for a file that turned
     * out to be unreadable.
     */
    void abandonFile() {
        if (runs > 0 && runFile[runs - 1] == file) {
            places = runStart[runs - 1];
            runs--;
        }
        fileOpen = false;
    }

    /** @return the places (word, line) gathered for the next batch */
    int places() {
        return places;
    }

    /**
     * Hands what has gathered to the consumer as one batch, even if it is empty. In the middle
     * of a file, the file's later words go to the next batch.
     */
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
        // Size each listed word's block list: a header of two ints per (word, file) run, one
        // int per place. A word listed only in an abandoned file gets size 0 and is left out.
        for (int i = 0; i < listedCount; i++) {
            int w = listed[i];
            buildSize[w] = 0;
            buildFile[w] = -1;
        }
        for (int r = 0; r < runs; r++) {
            size(runStart[r], r + 1 < runs ? runStart[r + 1] : places, runFile[r]);
        }
        // Lay the lists out one after another, in the order of the words.
        int n = 0;
        int total = 0;
        for (int i = 0; i < listedCount; i++) {
            int w = listed[i];
            if (buildSize[w] > 0) {
                listed[n++] = w;
                int size = buildSize[w];
                buildSize[w] = total;
                buildFile[w] = -1;
                total += size;
            }
        }
        if (flat.length < total) {
            flat = new int[Math.max(total, flat.length * 2)];
        }
        for (int r = 0; r < runs; r++) {
            fill(runStart[r], r + 1 < runs ? runStart[r + 1] : places, runFile[r]);
        }
        // Now buildSize[w] is the end of w's list; sort the lists of words with lines out of order.
        int[] ids = new int[n];
        int[] ends = new int[n];
        int from = 0;
        int to = 0;
        for (int k = 0; k < n; k++) {
            int w = listed[k];
            int end = buildSize[w];
            int length = end - from;
            if (words[w * STRIDE + UNORDERED] == batchNumber) {
                length = sortBlocks(flat, from, end);
            }
            if (to != from) {
                System.arraycopy(flat, from, flat, to, length);
            }
            to += length;
            ends[k] = to;
            from = end;
            ids[k] = w;
        }
        int count = table.size();
        String[] newWords = new String[count - named];
        for (int w = named; w < count; w++) {
            newWords[w - named] = table.text(w);
        }
        Batch batch = new Batch(renumber, newWords, ids, ends, Varints.encode(flat, to, ends), Arrays.copyOf(doneFiles, doneCount),
                Arrays.copyOf(doneBytes, doneCount));
        places = 0;
        runs = 0;
        if (fileOpen) {
            openRun();
        }
        listedCount = 0;
        doneCount = 0;
        batchNumber++;
        named = count;
        renumber = false;
        if (count > maxKeptWords) {
            forgetWords();
        }
        return batch;
    }

    /** Adds the ints that the places {@code [from, to)} of file {@code f} take to their words' sizes. */
    private void size(int from, int to, int f) {
        for (int p = from << 1, end = to << 1; p < end; p += 2) {
            int w = pairs[p];
            if (buildFile[w] != f) {
                buildFile[w] = f;
                buildSize[w] += 3;
            } else {
                buildSize[w]++;
            }
        }
    }

    /** Writes the places {@code [from, to)} of file {@code f} into their words' block lists in {@link #flat}. */
    private void fill(int from, int to, int f) {
        int[] d = flat;
        for (int p = from << 1, end = to << 1; p < end; p += 2) {
            int w = pairs[p];
            int pos = buildSize[w];
            if (buildFile[w] != f) {
                buildFile[w] = f;
                buildBlock[w] = pos;
                d[pos] = f;
                d[pos + 1] = 1;
                d[pos + 2] = pairs[p + 1];
                buildSize[w] = pos + 3;
            } else {
                d[buildBlock[w] + 1]++;
                d[pos] = pairs[p + 1];
                buildSize[w] = pos + 1;
            }
        }
    }

    /**
     * Sorts the lines of each block of {@code d[from, to)} and drops repeated ones, moving the
     * blocks together from {@code from}; returns the new length.
     */
    private static int sortBlocks(int[] d, int from, int to) {
        int out = from;
        for (int at = from; at < to; ) {
            int f = d[at];
            int n = d[at + 1];
            Arrays.sort(d, at + 2, at + 2 + n);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int line = d[at + 2 + i];
                if (kept == 0 || line != d[out + 2 + kept - 1]) {
                    d[out + 2 + kept] = line;
                    kept++;
                }
            }
            d[out] = f;
            d[out + 1] = kept;
            at += 2 + n;
            out += 2 + kept;
        }
        return out - from;
    }

    /**
     * Empties the word table, keeping its arrays; the current file's same-line check starts
     * afresh, and the next batch tells the consumer that words are numbered anew.
     */
    private void forgetWords() {
        table.clear();
        known = 0;
        named = 0;
        renumber = true;
    }
}

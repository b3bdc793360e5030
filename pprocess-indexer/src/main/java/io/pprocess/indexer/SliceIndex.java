package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The index of the files a child has read, built from its {@link Batch}es and sent to the
 * parent as finished {@link IndexPart}s; runs in the child.
 *
 * <p>The merging per word and per batch happens here, in each child, beside the
 * reading: a batch's places stay in the array they came in, and each word (known by the
 * builder's number for it, so without a hash lookup while the numbering lasts) keeps a chain
 * of its ranges of those arrays. {@link #take} sorts the words that have places and writes
 * them with their places, joined, into one array: the parent reads it without the serialiser
 * and merges parts by their sorted words, with no per-word lookup. Not thread-safe.
 */
final class SliceIndex {
    /**
     * The size of the packed places after which {@link SliceTask} sends a part at the end of a
     * file, so that no part nears the channel's largest message.
     */
    static final long PART_PLACE_BYTES = 64L << 20;

    // Words by id: ids last for the whole slice; a batch's numbers map to them.
    // Sized from the start for tens of thousands of words (see WordTable).
    private String[] names = new String[1 << 15];
    // Per id: the first 8 bytes of its key, big-endian, zero-padded (see prefixOf).
    private long[] prefixes = new long[1 << 15];
    private int ids;
    private int[] idOfNumber = new int[1 << 15];
    private int known;
    private Map<String, Integer> idOfName;
    // Per id: its first and last range in this part (-1: none), and its places' size.
    private int[] first = new int[1 << 15];
    private int[] last = new int[1 << 15];
    private int[] size = new int[1 << 15];
    // The ids with places in this part, in the order they got them.
    private int[] used = new int[1 << 15];
    private int usedCount;
    // Ranges of the batches' arrays, chained per word.
    private int[] rangeChunk = new int[1 << 16];
    private int[] rangeFrom = new int[1 << 16];
    private int[] rangeTo = new int[1 << 16];
    private int[] rangeNext = new int[1 << 16];
    private int ranges;
    private byte[][] chunks = new byte[16][];
    private int chunkCount;
    private long placeBytes;
    // The files completed in this part.
    private int[] files = new int[64];
    private long[] fileBytes = new long[64];
    private int fileCount;
    private int lastFile = -1;

    SliceIndex() {
        Arrays.fill(first, -1);
    }

    /** @return the size of the packed places gathered for the next part */
    long placeBytes() {
        return placeBytes;
    }

    /** @return the number of files the next part completes */
    int fileCount() {
        return fileCount;
    }

    /**
     * Adds a batch (in the order the builder made them).
     *
     * @param batch the batch; its places array is kept, not copied
     * @throws IllegalArgumentException if its arrays disagree, a number is unknown, or a file
     *     does not come after the files before it
     */
    void add(Batch batch) {
        add(batch.renumbered(), batch.newWords(), batch.words(), batch.ends(), batch.places());
        for (int i = 0; i < batch.files().length; i++) {
            int f = batch.files()[i];
            if (f <= lastFile) {
                throw new IllegalArgumentException("file " + f + " completed after file " + lastFile);
            }
            if (fileCount == files.length) {
                files = Arrays.copyOf(files, fileCount * 2);
                fileBytes = Arrays.copyOf(fileBytes, fileCount * 2);
            }
            files[fileCount] = f;
            fileBytes[fileCount] = batch.bytes()[i];
            fileCount++;
            lastFile = f;
        }
    }

    /**
     * Adds the places of some words.
     *
     * @param renumbered whether numbering starts again from 0
     * @param newWords the text of the next words to number, in order
     * @param numbers the numbers of the words that have places
     * @param ends for each of {@code numbers}, the end of its bytes in {@code places}
     * @param places the packed places, kept, not copied
     * @throws IllegalArgumentException if the arrays disagree or a number is unknown
     */
    void add(boolean renumbered, String[] newWords, int[] numbers, int[] ends, byte[] places) {
        if (numbers.length != ends.length) {
            throw new IllegalArgumentException(numbers.length + " words but " + ends.length + " ends");
        }
        if (renumbered) {
            if (idOfName == null) {
                idOfName = new HashMap<>();
                for (int id = 0; id < ids; id++) {
                    idOfName.put(names[id], id);
                }
            }
            known = 0;
        }
        if (known + newWords.length > idOfNumber.length) {
            idOfNumber = Arrays.copyOf(idOfNumber, Math.max(known + newWords.length, idOfNumber.length * 2));
        }
        for (String word : newWords) {
            Integer id = idOfName == null ? null : idOfName.get(word);
            idOfNumber[known++] = id != null ? id : newId(word);
        }
        int from = 0;
        for (int i = 0; i < numbers.length; i++) {
            int n = numbers[i];
            if (n < 0 || n >= known) {
                throw new IllegalArgumentException("word number " + n + " is unknown (" + known + " words known)");
            }
            int to = ends[i];
            if (to < from || to > places.length) {
                throw new IllegalArgumentException("end " + to + " of word '" + names[idOfNumber[n]]
                        + "' is out of range " + from + ".." + places.length);
            }
            if (to > from) {
                append(idOfNumber[n], chunkCount, from, to);
            }
            from = to;
        }
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunkCount * 2);
        }
        chunks[chunkCount++] = places;
        placeBytes += from;
    }

    private int newId(String word) {
        int id = ids++;
        if (id == names.length) {
            int capacity = id * 2;
            names = Arrays.copyOf(names, capacity);
            prefixes = Arrays.copyOf(prefixes, capacity);
            first = Arrays.copyOf(first, capacity);
            Arrays.fill(first, id, capacity, -1);
            last = Arrays.copyOf(last, capacity);
            size = Arrays.copyOf(size, capacity);
            used = Arrays.copyOf(used, capacity);
        }
        names[id] = word;
        prefixes[id] = prefixOf(word);
        if (idOfName != null) {
            idOfName.put(word, id);
        }
        return id;
    }

    private void append(int id, int chunk, int from, int to) {
        int r = ranges++;
        if (r == rangeChunk.length) {
            int capacity = r * 2;
            rangeChunk = Arrays.copyOf(rangeChunk, capacity);
            rangeFrom = Arrays.copyOf(rangeFrom, capacity);
            rangeTo = Arrays.copyOf(rangeTo, capacity);
            rangeNext = Arrays.copyOf(rangeNext, capacity);
        }
        rangeChunk[r] = chunk;
        rangeFrom[r] = from;
        rangeTo[r] = to;
        rangeNext[r] = -1;
        if (first[id] < 0) {
            first[id] = r;
            size[id] = 0;
            used[usedCount++] = id;
        } else {
            rangeNext[last[id]] = r;
        }
        last[id] = r;
        size[id] += to - from;
    }

    /**
     * Writes what has gathered as one {@link IndexPart} (possibly of no words and no files)
     * and starts the next part; the words' numbering goes on.
     *
     * @return the part
     * @throws IllegalStateException if the part would exceed 2 GiB
     */
    byte[] take() {
        int[] order = Arrays.copyOf(used, usedCount);
        sortByName(order);
        long total = Varints.size(fileCount) + Varints.size(order.length);
        int previous = -1;
        for (int i = 0; i < fileCount; i++) {
            total += Varints.size(files[i] - previous) + Varints.size((int) fileBytes[i])
                    + Varints.size((int) (fileBytes[i] >>> 32));
            previous = files[i];
        }
        for (int id : order) {
            int key = IndexPart.keySize(names[id]);
            total += Varints.size(key) + key + Varints.size(size[id]) + size[id];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("an index part of " + total + " bytes is too large");
        }
        byte[] out = new byte[(int) total];
        int at = Varints.put(out, 0, fileCount);
        previous = -1;
        for (int i = 0; i < fileCount; i++) {
            at = Varints.put(out, at, files[i] - previous);
            at = Varints.put(out, at, (int) fileBytes[i]);
            at = Varints.put(out, at, (int) (fileBytes[i] >>> 32));
            previous = files[i];
        }
        at = Varints.put(out, at, order.length);
        for (int id : order) {
            String name = names[id];
            at = Varints.put(out, at, IndexPart.keySize(name));
            at = IndexPart.putKey(name, out, at);
            at = Varints.put(out, at, size[id]);
            for (int r = first[id]; r >= 0; r = rangeNext[r]) {
                int length = rangeTo[r] - rangeFrom[r];
                System.arraycopy(chunks[rangeChunk[r]], rangeFrom[r], out, at, length);
                at += length;
            }
            first[id] = -1;
        }
        usedCount = 0;
        ranges = 0;
        Arrays.fill(chunks, 0, chunkCount, null);
        chunkCount = 0;
        placeBytes = 0;
        fileCount = 0;
        return out;
    }

    /**
     * Returns the first 8 bytes of a word's key ({@link IndexPart#putKey}) as an unsigned
     * big-endian number, zero-padded: words whose prefixes differ are in the order of their
     * prefixes, so only words with equal prefixes need comparing as strings.
     */
    static long prefixOf(String word) {
        long p = 0;
        int bytes = 0;
        for (int i = 0; i < word.length() && bytes < 8; i++) {
            char c = word.charAt(i);
            if (c < 0x80) {
                p = p << 8 | c;
                bytes++;
            } else if (c < 0x800) {
                p = p << 8 | (0xc0 | c >> 6);
                bytes++;
                if (bytes < 8) {
                    p = p << 8 | (0x80 | c & 0x3f);
                    bytes++;
                }
            } else {
                int[] three = {0xe0 | c >> 12, 0x80 | c >> 6 & 0x3f, 0x80 | c & 0x3f};
                for (int k = 0; k < 3 && bytes < 8; k++) {
                    p = p << 8 | three[k];
                    bytes++;
                }
            }
        }
        return bytes == 8 ? p : p << 8 * (8 - bytes);
    }

    /**
     * Sorts ids by their words ({@link String#compareTo}, the order of their keys): a radix
     * sort by the keys' first 8 bytes, then a comparison sort of each run of equal prefixes (a
     * comparison sort of the whole, string against string, took most of a child's final
     * {@link #take} for the hundred thousand words of a large slice).
     */
    private void sortByName(int[] order) {
        int n = order.length;
        if (n < 2) {
            return;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = prefixes[order[i]];
        }
        long[] keyScratch = new long[n];
        int[] idScratch = new int[n];
        int[] count = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (keys[i] >>> shift) & 0xffff]++;
            }
            if (count[(int) (keys[0] >>> shift) & 0xffff] == n) {
                continue; // every key has this digit: the pass would change nothing
            }
            int total = 0;
            for (int d = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = total;
                total += c;
            }
            for (int i = 0; i < n; i++) {
                int at = count[(int) (keys[i] >>> shift) & 0xffff]++;
                keyScratch[at] = keys[i];
                idScratch[at] = order[i];
            }
            long[] k = keys;
            keys = keyScratch;
            keyScratch = k;
            System.arraycopy(idScratch, 0, order, 0, n);
        }
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && keys[to] == keys[from]) {
                to++;
            }
            if (to - from > 1) {
                mergeSort(order, idScratch, from, to);
            }
            from = to;
        }
    }

    private void mergeSort(int[] a, int[] scratch, int from, int to) {
        if (to - from <= 12) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                String s = names[v];
                int j = i - 1;
                while (j >= from && names[a[j]].compareTo(s) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, scratch, from, mid);
        mergeSort(a, scratch, mid, to);
        if (names[a[mid - 1]].compareTo(names[a[mid]]) <= 0) {
            return;
        }
        System.arraycopy(a, from, scratch, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || i < mid && names[scratch[i]].compareTo(names[scratch[j]]) <= 0) {
                a[k] = scratch[i++];
            } else {
                a[k] = scratch[j++];
            }
        }
    }
}

package io.pprocess.indexer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps words to the files and lines where they occur, and answers prefix queries; lives in the
 * parent.
 *
 * <p>Files are known by their number in the sorted file list, so ordering by number is ordering
 * by path. The index is made of the {@link IndexPart}s that the children send, kept as they
 * came: each part's words are sorted, so the parent merges parts by walking their words in
 * order, comparing keys in place, without a hash lookup or a {@code String} per word. Merging
 * goes on as parts arrive (a part is merged with the one before when they are about the same
 * size, so that each word is merged a logarithmic number of times); {@link #merge} finishes it.
 * A word's places are unpacked, checked and put in file order when it is queried. Not
 * thread-safe.
 */
final class PrefixIndex {
    private final List<String> files;
    private final List<IndexPart> parts = new ArrayList<>();
    // Merged dictionaries, each of a run of parts; the last is the newest.
    private final List<Dictionary> pending = new ArrayList<>();
    private Dictionary merged = Dictionary.EMPTY;

    /**
     * Creates an empty index.
     *
     * @param files the display names of the files, in sorted order; file numbers index this list
     */
    PrefixIndex(List<String> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Reads a part that a child sent and adds its words.
     *
     * @param data the part, kept, not copied
     * @param chunks the arrays of places the child sent before the part (since its previous
     *     part), kept, not copied
     * @return the part, for the files it completes
     * @throws IllegalArgumentException if {@code data} is not a well-formed part or does not
     *     match {@code chunks} (nothing is added)
     */
    IndexPart add(byte[] data, byte[][] chunks) {
        IndexPart part = IndexPart.read(data, chunks, files.size());
        if (part.size() > 0) {
            int p = parts.size();
            parts.add(part);
            pending.add(Dictionary.of(p, part.size()));
            while (pending.size() >= 2 && pending.get(pending.size() - 2).refs() <= 2L * pending.get(pending.size() - 1).refs()) {
                Dictionary b = pending.remove(pending.size() - 1);
                Dictionary a = pending.remove(pending.size() - 1);
                pending.add(Dictionary.merge(a, b, parts));
            }
        }
        return part;
    }

    /** Merges the parts added so far into one sorted dictionary; queries do it when needed. */
    void merge() {
        while (!pending.isEmpty()) {
            Dictionary b = pending.remove(pending.size() - 1);
            merged = Dictionary.merge(merged, b, parts);
        }
    }

    private Dictionary dictionary() {
        merge();
        return merged;
    }

    /** @return the number of distinct words */
    int wordCount() {
        return dictionary().size;
    }

    /**
     * Returns the words that start with a prefix, in sorted order.
     *
     * @param prefix the prefix, already normalised; empty matches every word
     * @return the words
     */
    List<String> wordsStartingWith(String prefix) {
        Dictionary d = dictionary();
        byte[] key = IndexPart.key(prefix);
        List<String> out = new ArrayList<>();
        for (int w = d.lowerBound(key, parts); w < d.size && d.startsWith(w, key, parts); w++) {
            out.add(d.word(w, parts));
        }
        return out;
    }

    /**
     * Returns the places of one word as blocks of {@code [file, n, line1 .. linen]}, in file
     * order, one block per file with ascending distinct lines.
     *
     * @param word the exact word
     * @return the blocks; empty if the word is not indexed
     * @throws IllegalStateException if a part held malformed places for this word
     */
    int[] blocks(String word) {
        Dictionary d = dictionary();
        byte[] key = IndexPart.key(word);
        int w = d.lowerBound(key, parts);
        if (w == d.size || !d.equals(w, key, parts)) {
            return new int[0];
        }
        int[][] pieces = new int[d.refStart[w + 1] - d.refStart[w]][];
        int length = 0;
        for (int r = d.refStart[w]; r < d.refStart[w + 1]; r++) {
            IndexPart part = parts.get(d.refPart[r]);
            int[] piece;
            try {
                piece = part.places(d.refWord[r]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("malformed places for word '" + word + "': " + e.getMessage(), e);
            }
            check(word, piece);
            pieces[r - d.refStart[w]] = piece;
            length += piece.length;
        }
        int[] data = pieces.length == 1 ? pieces[0] : new int[length];
        if (pieces.length > 1) {
            int at = 0;
            for (int[] piece : pieces) {
                System.arraycopy(piece, 0, data, at, piece.length);
                at += piece.length;
            }
        }
        return inFileOrder(data);
    }

    /**
     * Returns the places of one word, for tests and callers that format their own output.
     *
     * @param word the exact word
     * @return file display name to lines, in file order; empty if the word is not indexed
     */
    Map<String, int[]> places(String word) {
        Map<String, int[]> out = new LinkedHashMap<>();
        int[] d = blocks(word);
        for (int at = 0; at < d.length; ) {
            int n = d[at + 1];
            out.put(files.get(d[at]), Arrays.copyOfRange(d, at + 2, at + 2 + n));
            at += 2 + n;
        }
        return out;
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private void check(String word, int[] blocks) {
        for (int at = 0; at < blocks.length; ) {
            if (at + 2 > blocks.length || blocks[at] < 0 || blocks[at] >= files.size() || blocks[at + 1] < 1
                    || at + 2 + blocks[at + 1] > blocks.length) {
                throw new IllegalStateException("malformed places for word '" + word + "' at index " + at);
            }
            at += 2 + blocks[at + 1];
        }
    }

    /**
     * Puts blocks in file order (parts come in any order, and a large file may be split over
     * several batches) and joins the blocks of one file.
     */
    private static int[] inFileOrder(int[] data) {
        int previous = -1;
        boolean ordered = true;
        for (int at = 0; at < data.length; at += 2 + data[at + 1]) {
            if (data[at] <= previous) {
                ordered = false;
            }
            previous = data[at];
        }
        if (ordered) {
            return data;
        }
        List<int[]> blocks = new ArrayList<>();
        for (int at = 0; at < data.length; at += 2 + data[at + 1]) {
            blocks.add(Arrays.copyOfRange(data, at, at + 2 + data[at + 1]));
        }
        blocks.sort((a, b) -> Integer.compare(a[0], b[0]));
        int out = 0;
        for (int i = 0; i < blocks.size(); ) {
            int file = blocks.get(i)[0];
            int j = i;
            int total = 0;
            while (j < blocks.size() && blocks.get(j)[0] == file) {
                total += blocks.get(j)[1];
                j++;
            }
            int[] lines = new int[total];
            int k = 0;
            for (int b = i; b < j; b++) {
                int[] block = blocks.get(b);
                System.arraycopy(block, 2, lines, k, block[1]);
                k += block[1];
            }
            if (j - i > 1) {
                Arrays.sort(lines);
            }
            int n = 0;
            for (int x = 0; x < lines.length; x++) {
                if (n == 0 || lines[x] != lines[n - 1]) {
                    lines[n++] = lines[x];
                }
            }
            data[out] = file;
            data[out + 1] = n;
            System.arraycopy(lines, 0, data, out + 2, n);
            out += 2 + n;
            i = j;
        }
        return Arrays.copyOf(data, out);
    }

    /**
     * Sorted distinct words of some parts: word {@code w}'s occurrences are the references
     * {@code refStart[w]} to {@code refStart[w + 1]}, each a part and that part's word number.
     */
    private static final class Dictionary {
        static final Dictionary EMPTY = new Dictionary(0, new int[1], new int[0], new int[0]);

        final int size;
        final int[] refStart;
        final int[] refPart;
        final int[] refWord;

        private Dictionary(int size, int[] refStart, int[] refPart, int[] refWord) {
            this.size = size;
            this.refStart = refStart;
            this.refPart = refPart;
            this.refWord = refWord;
        }

        int refs() {
            return refStart[size];
        }

        /** The words of one part. */
        static Dictionary of(int part, int words) {
            int[] start = new int[words + 1];
            int[] refPart = new int[words];
            int[] refWord = new int[words];
            for (int w = 0; w < words; w++) {
                start[w + 1] = w + 1;
                refPart[w] = part;
                refWord[w] = w;
            }
            return new Dictionary(words, start, refPart, refWord);
        }

        /** The union of two dictionaries; the references of a word in both are {@code a}'s, then {@code b}'s. */
        static Dictionary merge(Dictionary a, Dictionary b, List<IndexPart> parts) {
            if (a.size == 0) {
                return b;
            }
            if (b.size == 0) {
                return a;
            }
            int[] start = new int[a.size + b.size + 1];
            int[] refPart = new int[a.refs() + b.refs()];
            int[] refWord = new int[refPart.length];
            int i = 0;
            int j = 0;
            int n = 0;
            int r = 0;
            while (i < a.size || j < b.size) {
                int c = i == a.size ? 1 : j == b.size ? -1 : compare(a, i, b, j, parts);
                if (c <= 0) {
                    r = copy(a, i++, refPart, refWord, r);
                }
                if (c >= 0) {
                    r = copy(b, j++, refPart, refWord, r);
                }
                start[++n] = r;
            }
            return new Dictionary(n, Arrays.copyOf(start, n + 1), refPart, refWord);
        }

        private static int copy(Dictionary d, int w, int[] refPart, int[] refWord, int r) {
            int from = d.refStart[w];
            int length = d.refStart[w + 1] - from;
            System.arraycopy(d.refPart, from, refPart, r, length);
            System.arraycopy(d.refWord, from, refWord, r, length);
            return r + length;
        }

        private static int compare(Dictionary a, int i, Dictionary b, int j, List<IndexPart> parts) {
            IndexPart pa = parts.get(a.refPart[a.refStart[i]]);
            int wa = a.refWord[a.refStart[i]];
            IndexPart pb = parts.get(b.refPart[b.refStart[j]]);
            int wb = b.refWord[b.refStart[j]];
            return Arrays.compareUnsigned(pa.data(), pa.keyAt(wa), pa.keyEnd(wa), pb.data(), pb.keyAt(wb), pb.keyEnd(wb));
        }

        /** @return the first word not below {@code key} */
        int lowerBound(byte[] key, List<IndexPart> parts) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                IndexPart p = parts.get(refPart[refStart[mid]]);
                int w = refWord[refStart[mid]];
                if (Arrays.compareUnsigned(p.data(), p.keyAt(w), p.keyEnd(w), key, 0, key.length) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        boolean startsWith(int w, byte[] key, List<IndexPart> parts) {
            IndexPart p = parts.get(refPart[refStart[w]]);
            int word = refWord[refStart[w]];
            int at = p.keyAt(word);
            return p.keyEnd(word) - at >= key.length
                    && Arrays.equals(p.data(), at, at + key.length, key, 0, key.length);
        }

        boolean equals(int w, byte[] key, List<IndexPart> parts) {
            IndexPart p = parts.get(refPart[refStart[w]]);
            int word = refWord[refStart[w]];
            return Arrays.equals(p.data(), p.keyAt(word), p.keyEnd(word), key, 0, key.length);
        }

        String word(int w, List<IndexPart> parts) {
            return parts.get(refPart[refStart[w]]).word(refWord[refStart[w]]);
        }
    }
}

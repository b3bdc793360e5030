package io.pprocess.indexer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps words to the files and lines where they occur, and answers prefix queries; lives in the
 * parent.
 *
 * <p>Files are known by their number in the sorted file list, so ordering by number is ordering
 * by path. Words come through a {@link Source} per child, which finds a word's entry in a hash
 * map once and by the child's number for it afterwards; each word keeps references to its
 * ranges of the packed places of the batches it came with, unpacked when the word is first
 * read. The first query sorts the words once and later queries find a prefix's range by binary
 * search. Not thread-safe.
 */
final class PrefixIndex {
    private final List<String> files;
    private final Map<String, Postings> words = new HashMap<>();
    private String[] sorted;

    /**
     * Creates an empty index.
     *
     * @param files the display names of the files, in sorted order; file numbers index this list
     */
    PrefixIndex(List<String> files) {
        this.files = List.copyOf(files);
    }

    /** @return a new source of numbered words, for the batches of one child */
    Source newSource() {
        return new Source();
    }

    private Postings postings(String word) {
        Postings p = words.get(word);
        if (p == null) {
            p = new Postings(word, files.size());
            words.put(word, p);
            sorted = null;
        }
        return p;
    }

    /**
     * The words of one child, known by the numbers the child gives them (see
     * {@link Messages.Batch}): each word's text is looked up once, then its number leads
     * straight to its places.
     */
    final class Source {
        private String[] names = new String[1024];
        private Postings[] byNumber = new Postings[1024];
        private int known;

        private Source() {
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
                Arrays.fill(byNumber, 0, known, null);
                known = 0;
            }
            if (known + newWords.length > names.length) {
                int capacity = Math.max(known + newWords.length, names.length * 2);
                names = Arrays.copyOf(names, capacity);
                byNumber = Arrays.copyOf(byNumber, capacity);
            }
            // A word gets into the index with its first places (a word of a file that the child
            // abandoned has none).
            for (String word : newWords) {
                names[known++] = word;
            }
            int from = 0;
            for (int i = 0; i < numbers.length; i++) {
                int n = numbers[i];
                if (n < 0 || n >= known) {
                    throw new IllegalArgumentException("word number " + n + " is unknown (" + known + " words known)");
                }
                int to = ends[i];
                if (to < from || to > places.length) {
                    throw new IllegalArgumentException("end " + to + " of word '" + names[n]
                            + "' is out of range " + from + ".." + places.length);
                }
                Postings p = byNumber[n];
                if (p == null) {
                    p = postings(names[n]);
                    byNumber[n] = p;
                }
                p.append(places, from, to);
                from = to;
            }
        }
    }

    /** @return the number of distinct words */
    int wordCount() {
        return words.size();
    }

    /**
     * Returns the words that start with a prefix, in sorted order.
     *
     * @param prefix the prefix, already normalised; empty matches every word
     * @return the words
     */
    List<String> wordsStartingWith(String prefix) {
        String[] all = sortedWords();
        int from = Arrays.binarySearch(all, prefix);
        if (from < 0) {
            from = -from - 1;
        }
        List<String> out = new ArrayList<>();
        for (int i = from; i < all.length && all[i].startsWith(prefix); i++) {
            out.add(all[i]);
        }
        return out;
    }

    /**
     * Returns the places of one word as blocks of {@code [file, n, line1 .. linen]}, in file
     * order, one block per file with ascending distinct lines.
     *
     * @param word the exact word
     * @return the blocks (not to be changed); empty if the word is not indexed
     * @throws IllegalStateException if a batch held malformed places for this word
     */
    int[] blocks(String word) {
        Postings p = words.get(word);
        return p == null ? new int[0] : p.blocks();
    }

    /**
     * Returns the places of one word, for tests and callers that format their own output.
     *
     * @param word the exact word
     * @return file display name to lines, in file order; empty if the word is not indexed
     */
    Map<String, int[]> places(String word) {
        Postings p = words.get(word);
        Map<String, int[]> out = new LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        int[] d = p.blocks();
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

    private String[] sortedWords() {
        if (sorted == null) {
            sorted = words.keySet().toArray(new String[0]);
            Arrays.sort(sorted);
        }
        return sorted;
    }

    /**
     * The places of one word: its ranges of the packed places of the batches that had the word,
     * kept as they came (appending copies nothing); unpacked, checked, joined, put in file order
     * and merged on first query.
     */
    private static final class Postings {
        private final String word;
        private final int fileCount;
        private byte[][] chunks = new byte[1][];
        private int[] starts = new int[1];
        private int[] ends = new int[1];
        private int count;
        private int[] joined;

        Postings(String word, int fileCount) {
            this.word = word;
            this.fileCount = fileCount;
        }

        void append(byte[] packed, int from, int to) {
            if (joined != null) {
                byte[] repacked = Varints.encode(joined, joined.length);
                chunks = new byte[][] {repacked, null};
                starts = new int[] {0, 0};
                ends = new int[] {repacked.length, 0};
                count = 1;
                joined = null;
            }
            if (count == chunks.length) {
                chunks = Arrays.copyOf(chunks, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            chunks[count] = packed;
            starts[count] = from;
            ends[count] = to;
            count++;
        }

        /**
         * Returns the places as blocks of {@code [file, n, line1 .. linen]}, in file order, one
         * block per file with ascending distinct lines.
         *
         * @throws IllegalStateException if a batch held malformed places for this word
         */
        int[] blocks() {
            if (joined == null) {
                int[][] parts = new int[count][];
                int length = 0;
                for (int i = 0; i < count; i++) {
                    try {
                        parts[i] = Varints.decode(chunks[i], starts[i], ends[i]);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("malformed places for word '" + word + "': " + e.getMessage(), e);
                    }
                    check(parts[i]);
                    length += parts[i].length;
                }
                int[] data = new int[length];
                int at = 0;
                for (int[] part : parts) {
                    System.arraycopy(part, 0, data, at, part.length);
                    at += part.length;
                }
                joined = inFileOrder(data);
                chunks = null;
                starts = null;
                ends = null;
                count = 0;
            }
            return joined;
        }

        private void check(int[] blocks) {
            for (int at = 0; at < blocks.length; ) {
                if (at + 2 > blocks.length || blocks[at] < 0 || blocks[at] >= fileCount || blocks[at + 1] < 1
                        || at + 2 + blocks[at + 1] > blocks.length) {
                    throw new IllegalStateException("malformed places for word '" + word + "' at index " + at);
                }
                at += 2 + blocks[at + 1];
            }
        }

        /** Puts blocks in file order (slices answer in any order) and joins blocks of one file. */
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
    }
}

package io.pprocess.indexer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps words to the files and lines where they occur, and answers prefix queries; lives in the
 * parent.
 *
 * <p>Files are known by their number in the sorted file list, so ordering by number is ordering
 * by path. Words are merged into a hash map while indexing; the first query sorts the words once
 * and later queries find a prefix's range by binary search. Not thread-safe.
 */
final class PrefixIndex {
    private final List<String> files;
    private final Map<String, Postings> words = new HashMap<>();
    private String[] sorted;
    private long occurrences;

    /**
     * Creates an empty index.
     *
     * @param files the display names of the files, in sorted order; file numbers index this list
     */
    PrefixIndex(List<String> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Adds the lines of some words in one file. A word must be added at most once per file.
     *
     * @param file the file's number
     * @param fileWords the words
     * @param lines for each word, its ascending line numbers
     */
    void add(int file, String[] fileWords, int[][] lines) {
        if (file < 0 || file >= files.size()) {
            throw new IllegalArgumentException("file number out of range: " + file + " (files: " + files.size() + ")");
        }
        if (fileWords.length != lines.length) {
            throw new IllegalArgumentException(fileWords.length + " words but " + lines.length + " line lists");
        }
        for (int i = 0; i < fileWords.length; i++) {
            Postings p = words.get(fileWords[i]);
            if (p == null) {
                p = new Postings();
                words.put(fileWords[i], p);
                sorted = null;
            }
            p.add(file, lines[i]);
            occurrences += lines[i].length;
        }
    }

    /** @return the number of distinct words */
    int wordCount() {
        return words.size();
    }

    /** @return the number of (word, file, line) places recorded */
    long occurrenceCount() {
        return occurrences;
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
     * Prints a query's answer in the format documented on {@link IndexerCommand}.
     *
     * @param prefix the prefix, already normalised
     * @param out where to print
     * @return the number of words printed
     */
    int print(String prefix, PrintStream out) {
        List<String> matches = wordsStartingWith(prefix);
        long places = 0;
        StringBuilder sb = new StringBuilder(256);
        for (String word : matches) {
            sb.setLength(0);
            sb.append(word).append('\n');
            Postings p = words.get(word);
            p.sort();
            int[] d = p.data;
            for (int at = 0; at < p.size; ) {
                int file = d[at];
                int n = d[at + 1];
                sb.append("  ").append(files.get(file)).append(':');
                for (int k = 0; k < n; k++) {
                    sb.append(' ').append(d[at + 2 + k]);
                }
                sb.append('\n');
                places += n;
                at += 2 + n;
            }
            out.print(sb);
        }
        out.println(count(matches.size(), "word") + ", " + count(places, "occurrence"));
        return matches.size();
    }

    /**
     * Returns the places of one word, for tests and callers that format their own output.
     *
     * @param word the exact word
     * @return file display name to lines, in file order; empty if the word is not indexed
     */
    Map<String, int[]> places(String word) {
        Postings p = words.get(word);
        Map<String, int[]> out = new java.util.LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        p.sort();
        for (int at = 0; at < p.size; ) {
            int n = p.data[at + 1];
            out.put(files.get(p.data[at]), Arrays.copyOfRange(p.data, at + 2, at + 2 + n));
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

    /** The places of one word: blocks of {@code [file, n, line1 .. linen]} in one int array. */
    private static final class Postings {
        int[] data = new int[8];
        int size;
        private int lastFile = -1;
        private boolean ordered = true;

        void add(int file, int[] lines) {
            int need = size + 2 + lines.length;
            if (need > data.length) {
                data = Arrays.copyOf(data, Math.max(need, data.length * 2));
            }
            data[size] = file;
            data[size + 1] = lines.length;
            System.arraycopy(lines, 0, data, size + 2, lines.length);
            size = need;
            if (file < lastFile) {
                ordered = false;
            }
            lastFile = Math.max(lastFile, file);
        }

        /** Puts the blocks in file order (files arrive in the order their children answer). */
        void sort() {
            if (ordered) {
                return;
            }
            List<int[]> blocks = new ArrayList<>();
            for (int at = 0; at < size; ) {
                int n = data[at + 1];
                blocks.add(Arrays.copyOfRange(data, at, at + 2 + n));
                at += 2 + n;
            }
            blocks.sort((a, b) -> Integer.compare(a[0], b[0]));
            int at = 0;
            for (int[] b : blocks) {
                System.arraycopy(b, 0, data, at, b.length);
                at += b.length;
            }
            ordered = true;
        }
    }
}

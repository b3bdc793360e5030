package io.pprocess.indexer;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to one query, as text for people or as one line of JSON for scripts.
 *
 * <p>A query is one or more terms separated by blanks, each a prefix (normalised as indexed
 * words are). The answer's <em>lines</em> are the lines that hold, for every term, a word
 * starting with it; its <em>words</em> are the words starting with a term, each with its places
 * on those lines. For one term that is every place of every word starting with it. Counts are
 * of lines as {@code grep -c} counts them: a line that holds a word twice, or two matching
 * words, is one line.
 *
 * @param query the query as typed, stripped
 * @param terms the normalised terms, distinct, in the order typed; one empty term matches every word
 * @param words the matching words in sorted order, each with its places on the answer's lines
 * @param files the files with lines holding every term, in file order, with those lines
 * @param filesWithAllTerms how many files hold every term, on one line or not
 * @param names the files' display names, by file number
 * @param aliases the other names of each file (symbolic links to it), by file number
 */
record Answer(String query, List<String> terms, List<WordHit> words, List<FileHit> files, int filesWithAllTerms,
              List<String> names, List<List<String>> aliases) {

    /**
     * A matching word and the files and lines where it is on the answer's lines.
     *
     * @param word the word
     * @param files its files, in file order
     */
    record WordHit(String word, List<FileHit> files) {
    }

    /**
     * A file and lines of it.
     *
     * @param file the file's number
     * @param lines ascending distinct line numbers, from 1
     */
    record FileHit(int file, int[] lines) {
    }

    /**
     * Answers a query.
     *
     * @param index the index
     * @param normalizer brings the terms to the form of indexed words
     * @param query what the user typed
     * @param names the files' display names, by number
     * @param aliases the files' other names, by number
     * @return the answer
     */
    static Answer of(PrefixIndex index, WordAnalyzer normalizer, String query, List<String> names,
                     List<List<String>> aliases) {
        String stripped = query.strip();
        List<String> terms = new ArrayList<>();
        for (String t : stripped.isEmpty() ? new String[] {""} : stripped.split("\\s+")) {
            String n = normalizer.normalizePrefix(t);
            if (!terms.contains(n)) {
                terms.add(n);
            }
        }
        // For each term, its words' places and the union of their lines per file.
        List<List<String>> wordsOfTerm = new ArrayList<>();
        List<Map<Integer, int[]>> linesOfTerm = new ArrayList<>();
        Map<String, int[]> blocksOfWord = new HashMap<>();
        for (String term : terms) {
            List<String> ws = index.wordsStartingWith(term);
            wordsOfTerm.add(ws);
            Map<Integer, IntList> union = new HashMap<>();
            for (String w : ws) {
                int[] d = blocksOfWord.computeIfAbsent(w, index::blocks);
                for (int at = 0; at < d.length; at += 2 + d[at + 1]) {
                    union.computeIfAbsent(d[at], f -> new IntList()).add(d, at + 2, d[at + 1]);
                }
            }
            Map<Integer, int[]> sorted = new HashMap<>();
            union.forEach((f, l) -> sorted.put(f, l.sortedDistinct()));
            linesOfTerm.add(sorted);
        }
        // Lines holding every term.
        TreeMap<Integer, int[]> common = new TreeMap<>(linesOfTerm.get(0));
        int filesWithAll = 0;
        for (int t = 1; t < terms.size(); t++) {
            common.keySet().retainAll(linesOfTerm.get(t).keySet());
        }
        filesWithAll = common.size();
        for (int t = 1; t < terms.size(); t++) {
            Map<Integer, int[]> other = linesOfTerm.get(t);
            common.replaceAll((f, lines) -> intersect(lines, other.get(f)));
        }
        common.values().removeIf(lines -> lines.length == 0);
        List<FileHit> files = new ArrayList<>(common.size());
        common.forEach((f, lines) -> files.add(new FileHit(f, lines)));
        // The words, with their places on those lines.
        List<String> all = new ArrayList<>(blocksOfWord.keySet());
        all.sort(null);
        List<WordHit> words = new ArrayList<>(all.size());
        for (String w : all) {
            int[] d = blocksOfWord.get(w);
            List<FileHit> hits = new ArrayList<>();
            for (int at = 0; at < d.length; at += 2 + d[at + 1]) {
                int[] lines = Arrays.copyOfRange(d, at + 2, at + 2 + d[at + 1]);
                if (terms.size() > 1) {
                    int[] kept = common.get(d[at]);
                    lines = kept == null ? new int[0] : intersect(lines, kept);
                }
                if (lines.length > 0) {
                    hits.add(new FileHit(d[at], lines));
                }
            }
            if (!hits.isEmpty()) {
                words.add(new WordHit(w, List.copyOf(hits)));
            }
        }
        return new Answer(stripped, List.copyOf(terms), List.copyOf(words), List.copyOf(files), filesWithAll,
                names, aliases);
    }

    /** @return how many lines the answer has (over all its files) */
    long lineCount() {
        long n = 0;
        for (FileHit f : files) {
            n += f.lines().length;
        }
        return n;
    }

    /**
     * Writes the answer for people: for one term, each word on a line of its own followed by its
     * files; for several, the terms after {@code all of:} followed by the files; then a count
     * line.
     *
     * @param sb where to write
     * @param limit the most words (one term) or files (several terms) shown, 0 for all; the rest
     *     is summed up in a line {@code … and N more words}
     */
    void appendText(StringBuilder sb, int limit) {
        boolean single = terms.size() == 1;
        if (single) {
            int shown = limit > 0 ? Math.min(limit, words.size()) : words.size();
            for (int i = 0; i < shown; i++) {
                WordHit w = words.get(i);
                sb.append(w.word()).append('\n');
                for (FileHit f : w.files()) {
                    appendFile(sb, f);
                }
            }
            more(sb, words.size() - shown, "word");
            sb.append(PrefixIndex.count(words.size(), "word")).append(" on ")
                    .append(PrefixIndex.count(lineCount(), "line")).append(" in ")
                    .append(PrefixIndex.count(files.size(), "file")).append('\n');
            return;
        }
        if (!files.isEmpty()) {
            sb.append("all of: ").append(String.join(" ", terms)).append('\n');
        }
        int shown = limit > 0 ? Math.min(limit, files.size()) : files.size();
        for (int i = 0; i < shown; i++) {
            appendFile(sb, files.get(i));
        }
        more(sb, files.size() - shown, "file");
        sb.append(PrefixIndex.count(lineCount(), "line"));
        if (!files.isEmpty()) {
            sb.append(" in ").append(PrefixIndex.count(files.size(), "file"));
        }
        sb.append(" hold all ").append(terms.size()).append(" terms");
        if (files.isEmpty() && filesWithAllTerms > 0) {
            sb.append(" (").append(PrefixIndex.count(filesWithAllTerms, "file"))
                    .append(filesWithAllTerms == 1 ? " holds" : " hold").append(" them all, on different lines)");
        }
        sb.append('\n');
    }

    private void appendFile(StringBuilder sb, FileHit f) {
        sb.append("  ").append(names.get(f.file()));
        List<String> also = aliases.get(f.file());
        if (!also.isEmpty()) {
            sb.append(" (also ").append(String.join(", ", also)).append(')');
        }
        sb.append(':');
        for (int line : f.lines()) {
            sb.append(' ').append(line);
        }
        sb.append('\n');
    }

    private static void more(StringBuilder sb, int more, String noun) {
        if (more > 0) {
            sb.append("\u2026 and ").append(more).append(" more ").append(noun).append(more == 1 ? "" : "s")
                    .append(" (--limit 0 shows all)\n");
        }
    }

    /**
     * Returns the answer as one line of JSON (no line break in it), with the members always
     * present and in this order: {@code query}, {@code terms}, {@code words} (each
     * {@code word} and {@code files}), {@code files} (each {@code path}, {@code also} and
     * {@code lines}), {@code counts} ({@code words}, {@code lines}, {@code files},
     * {@code filesWithAllTerms}).
     *
     * @return the JSON text, without a line break at the end
     */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonWriter j = new JsonWriter(text)) {
            j.setHtmlSafe(false);
            j.beginObject();
            j.name("query").value(query);
            j.name("terms").beginArray();
            for (String t : terms) {
                j.value(t);
            }
            j.endArray();
            j.name("words").beginArray();
            for (WordHit w : words) {
                j.beginObject().name("word").value(w.word()).name("files");
                jsonFiles(j, w.files());
                j.endObject();
            }
            j.endArray();
            j.name("files");
            jsonFiles(j, files);
            j.name("counts").beginObject()
                    .name("words").value(words.size())
                    .name("lines").value(lineCount())
                    .name("files").value(files.size())
                    .name("filesWithAllTerms").value(filesWithAllTerms)
                    .endObject();
            j.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private void jsonFiles(JsonWriter j, List<FileHit> hits) throws IOException {
        j.beginArray();
        for (FileHit f : hits) {
            j.beginObject().name("path").value(names.get(f.file())).name("also").beginArray();
            for (String a : aliases.get(f.file())) {
                j.value(a);
            }
            j.endArray().name("lines").beginArray();
            for (int line : f.lines()) {
                j.value(line);
            }
            j.endArray().endObject();
        }
        j.endArray();
    }

    private static int[] intersect(int[] a, int[] b) {
        if (b == null) {
            return new int[0];
        }
        int[] out = new int[Math.min(a.length, b.length)];
        int n = 0;
        for (int i = 0, k = 0; i < a.length && k < b.length; ) {
            if (a[i] < b[k]) {
                i++;
            } else if (a[i] > b[k]) {
                k++;
            } else {
                out[n++] = a[i];
                i++;
                k++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] values = new int[8];
        private int size;
        private boolean sorted = true;

        void add(int[] from, int offset, int count) {
            if (size + count > values.length) {
                values = Arrays.copyOf(values, Math.max(size + count, values.length * 2));
            }
            if (size > 0 && count > 0 && from[offset] <= values[size - 1]) {
                sorted = false;
            }
            System.arraycopy(from, offset, values, size, count);
            size += count;
        }

        int[] sortedDistinct() {
            int[] v = Arrays.copyOf(values, size);
            if (sorted) {
                return v;
            }
            Arrays.sort(v);
            int n = 0;
            for (int i = 0; i < v.length; i++) {
                if (n == 0 || v[i] != v[n - 1]) {
                    v[n++] = v[i];
                }
            }
            return Arrays.copyOf(v, n);
        }
    }
}

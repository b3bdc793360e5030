package io.pprocess.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A generated text corpus for the indexer benchmark: plain ASCII lines of words drawn from a
 * fixed vocabulary of made-up lower-case words, the same for the same arguments. Frequent words
 * are favoured (the probability of the word of rank {@code r} falls like {@code 1/sqrt(r)}), so
 * postings lists have the uneven lengths of real text. The generator counts what a correct index
 * must hold: the distinct words written, and the lines holding the most frequent word.
 *
 * @param directory where the files are
 * @param files the number of files
 * @param bytes their total size
 * @param distinctWords the number of distinct words written
 * @param probeWord the most frequent word of the vocabulary
 * @param probeLines the number of lines (over all files) that hold {@link #probeWord}
 */
record TextCorpus(Path directory, int files, long bytes, int distinctWords, String probeWord, long probeLines) {

    /** Words in the vocabulary. */
    static final int VOCABULARY = 4000;

    /**
     * Writes {@code files} files of about {@code totalBytes / files} bytes each into {@code dir},
     * and flushes them to disk.
     *
     * @param dir an existing, empty directory
     * @param totalBytes the size to reach, at least {@code files}
     * @param files the number of files, at least 1
     * @param seed the seed of the words
     * @return the corpus and what its index must hold
     * @throws IOException if a file cannot be written
     */
    static TextCorpus generate(Path dir, long totalBytes, int files, long seed) throws IOException {
        if (files < 1 || totalBytes < files) {
            throw new IllegalArgumentException("need at least one byte per file: " + totalBytes + " bytes, "
                    + files + " files");
        }
        SplittableRandom random = new SplittableRandom(seed);
        String[] vocabulary = vocabulary(random);
        boolean[] used = new boolean[vocabulary.length];
        long perFile = totalBytes / files;
        long written = 0;
        long probeLines = 0;
        StringBuilder line = new StringBuilder(128);
        for (int f = 0; f < files; f++) {
            Path file = dir.resolve(String.format("doc-%04d.txt", f));
            long size = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                while (size < perFile) {
                    line.setLength(0);
                    boolean probe = false;
                    int words = 6 + random.nextInt(10);
                    for (int w = 0; w < words; w++) {
                        double u = random.nextDouble();
                        int rank = (int) (vocabulary.length * u * u);
                        used[rank] = true;
                        probe |= rank == 0;
                        if (w > 0) {
                            line.append(' ');
                        }
                        line.append(vocabulary[rank]);
                    }
                    line.append('\n');
                    out.append(line);
                    size += line.length();
                    if (probe) {
                        probeLines++;
                    }
                }
            }
            written += size;
            // On disk before the measurements: the kernel's write-back of 50 MB of fresh pages
            // would otherwise take CPU and I/O while the first iterations run.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        int distinct = 0;
        for (boolean u : used) {
            distinct += u ? 1 : 0;
        }
        return new TextCorpus(dir, files, written, distinct, vocabulary[0], probeLines);
    }

    /** Deletes the corpus directory and its files. */
    void delete() {
        deleteTree(directory);
    }

    /**
     * Deletes a directory and everything in it.
     *
     * @param directory the directory
     * @throws UncheckedIOException if something cannot be deleted
     */
    static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** @return {@link #VOCABULARY} distinct lower-case words of 2 to 11 letters */
    private static String[] vocabulary(SplittableRandom random) {
        Set<String> words = new LinkedHashSet<>();
        StringBuilder w = new StringBuilder();
        while (words.size() < VOCABULARY) {
            w.setLength(0);
            int length = 2 + random.nextInt(10);
            for (int i = 0; i < length; i++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words.add(w.toString());
        }
        return words.toArray(new String[0]);
    }
}

package io.pprocess.bench;

import io.pprocess.indexer.BenchmarkIndexing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: how the indexer's throughput grows with its window (children at once) on this machine.
 *
 * <p>Each invocation is what {@code pprocess-indexer --window N --no-prompt DIR} does before it
 * would answer queries: list the files, start the children (one per window slot, each a fresh
 * JVM), analyse the words with Lucene in the children and merge them into the prefix index in
 * this JVM. The corpus is {@link #corpusMegabytes} MB (10^6 bytes) of generated ASCII text in
 * {@value #FILES} files, written once per trial into a temporary directory from a fixed seed
 * and deleted after it; it is in the page cache, so this measures CPU, not the disk. Every run
 * checks the index: all files indexed, none skipped or failed, exactly the distinct words that
 * were written, and the right number of lines for the most frequent word.
 *
 * <p>With {@code workers = fresh}, each run starts its children, as the command does by
 * default; with {@code kept}, runs use kept workers ({@code --keep-workers}): persistent
 * processes started by the first run of the trial and reused by the later ones, so that the
 * measured runs find their code compiled. They are stopped at the end of the trial.
 *
 * <p>The primary score is runs per second; the secondary score {@code megabytes}
 * ({@link Volume}) is the throughput in MB/s. Window 1 is the baseline: one child, no
 * parallelism.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class IndexerBenchmark {

    /** The number of files of the corpus. */
    static final int FILES = 200;
    private static final long SEED = 20_240_601L;

    /** The most children indexing at once. */
    @Param({"1", "2", "4"})
    public int window;

    /** The corpus size in MB (10^6 bytes); the smoke test uses a small one. */
    @Param({"50"})
    public int corpusMegabytes;

    /** Whether each run starts its children ({@code fresh}) or reuses kept workers ({@code kept}). */
    @Param({"fresh", "kept"})
    public String workers;

    TextCorpus corpus;
    private Path workersBase;
    private BenchmarkIndexing.Workers kept;

    /** Megabytes indexed, reported by JMH as MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Volume {
        /** Megabytes indexed and checked in this iteration. */
        public double megabytes;

        /** Starts the count of an iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    /**
     * Writes the corpus.
     *
     * @throws IOException if it cannot be written
     */
    @Setup(Level.Trial)
    public void writeCorpus() throws IOException {
        if (corpusMegabytes < 1) {
            throw new IllegalArgumentException("corpusMegabytes must be at least 1: " + corpusMegabytes);
        }
        Path dir = Files.createTempDirectory("pprocess-bench-corpus-");
        try {
            corpus = TextCorpus.generate(dir, corpusMegabytes * 1_000_000L, FILES, SEED);
        } catch (IOException | RuntimeException e) {
            TextCorpus.deleteTree(dir);
            throw e;
        }
    }

    /**
     * Opens the kept workers of a {@code kept} trial in a directory of their own.
     *
     * @throws IOException if the directory cannot be made
     */
    @Setup(Level.Trial)
    public void openWorkers() throws IOException {
        if (workers.equals("kept")) {
            workersBase = Files.createTempDirectory("pprocess-bench-workers-");
            kept = BenchmarkIndexing.Workers.open(workersBase, Duration.ofMinutes(10));
        } else if (!workers.equals("fresh")) {
            throw new IllegalArgumentException("workers must be fresh or kept: " + workers);
        }
    }

    /**
     * Deletes the corpus; stops the kept workers and deletes their directory.
     *
     * @throws IOException if the workers' directory cannot be read
     */
    @TearDown(Level.Trial)
    public void deleteCorpus() throws IOException {
        if (corpus != null) {
            corpus.delete();
        }
        if (kept != null) {
            List<String> stopped = kept.stop();
            for (String line : stopped) {
                if (!line.contains(": stopped")) {
                    throw new IllegalStateException("a kept worker did not stop: " + line);
                }
            }
            kept = null;
            TextCorpus.deleteTree(workersBase);
        }
    }

    /**
     * Indexes the corpus with {@link #window} children at most.
     *
     * @param volume counts the megabytes indexed
     * @return the number of distinct words indexed
     * @throws IOException if the corpus cannot be listed
     */
    @Benchmark
    public int index(Volume volume) throws IOException {
        BenchmarkIndexing.Result r = BenchmarkIndexing.index(corpus.directory(), window, corpus.probeWord(), kept);
        if (!r.problems().isEmpty()) {
            throw new IllegalStateException("indexing with window " + window + " had problems: " + r.problems());
        }
        if (r.files() != corpus.files() || r.bytes() != corpus.bytes()) {
            throw new IllegalStateException("indexed " + r.files() + " files of " + r.bytes() + " bytes, but the corpus has "
                    + corpus.files() + " files of " + corpus.bytes() + " bytes");
        }
        if (r.words() != corpus.distinctWords() || r.probeLines() != corpus.probeLines()) {
            throw new IllegalStateException("the index has " + r.words() + " words and " + r.probeLines()
                    + " lines of '" + corpus.probeWord() + "', but the corpus has " + corpus.distinctWords()
                    + " words and " + corpus.probeLines() + " such lines");
        }
        volume.megabytes += r.bytes() / 1e6;
        return r.words();
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Indexer -f 1
// read the index:megabytes lines (MB/s); a smaller corpus: -p corpusMegabytes=5

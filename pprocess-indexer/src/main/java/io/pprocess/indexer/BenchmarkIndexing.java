package io.pprocess.indexer;

import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The indexing phase of {@code pprocess-indexer --window N --no-prompt DIR}, callable from the
 * benchmarks: list the files, index them as the command does without a slice size (children
 * that ask for files as they go), with at most {@code window} children, and return what the merged
 * index holds. The command does not use it: it is the indexer's entry point for
 * {@code pprocess-bench} (which must not hold classes of this package), beside the
 * package-private phase it runs.
 */
public final class BenchmarkIndexing {

    private BenchmarkIndexing() {
    }

    /**
     * What one indexing run produced.
     *
     * @param files the files indexed
     * @param bytes their total size
     * @param words the distinct words in the index
     * @param probeLines how many lines of all files hold the probe word, per the index
     * @param problems skipped files and failed slices, each described; empty when all went well
     */
    public record Result(int files, long bytes, int words, long probeLines, List<String> problems) {
        /**
         * Copies the problem list, so the record is immutable.
         *
         * @param files the files indexed
         * @param bytes their total size
         * @param words the distinct words in the index
         * @param probeLines how many lines of all files hold the probe word, per the index
         * @param problems skipped files and failed slices, each described; empty when all went well
         */
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Indexes the regular files directly in {@code dir} as the command does without a prompt.
     *
     * @param dir the directory
     * @param window the most children running at once, at least 1
     * @param probeWord a word whose lines are counted in the result, in indexed form (lower case)
     * @return what the index holds
     * @throws IOException if the directory cannot be listed
     * @throws IllegalArgumentException if {@code window} is less than 1
     */
    public static Result index(Path dir, int window, String probeWord) throws IOException {
        return index(dir, window, probeWord, null);
    }

    /**
     * Kept indexing workers, as {@code --keep-workers --workers-dir BASE} uses them: while open,
     * this JVM keeps its workers ({@link PProcess#keepWorkers}) under {@code base}.
     */
    public static final class Workers implements AutoCloseable {
        private Workers() {
        }

        /**
         * Keeps workers under {@code base}; none is started until a run needs it.
         *
         * @param base the base directory
         * @param idle how long a worker waits for its next run
         * @return the workers
         * @throws IOException if the directory cannot be made or is open to others
         */
        public static Workers open(Path base, Duration idle) throws IOException {
            System.setProperty("pprocess.keptWorkersDir", base.toAbsolutePath().toString());
            PProcess.keptWorkersDirectory();
            PProcess.keepWorkers(idle);
            return new Workers();
        }

        /**
         * Stops keeping workers and ends those kept.
         *
         * @return one line per worker ended
         */
        public List<String> stop() {
            close();
            List<String> out = new ArrayList<>();
            for (io.pprocess.KeptWorker w : PProcess.stopKeptWorkers()) {
                out.add(w.address() + ": stopped (pid " + w.pid() + ")");
            }
            return out;
        }

        @Override
        public void close() {
            PProcess.keepWorkers(Duration.ZERO);
        }
    }

    /**
     * Indexes the regular files directly in {@code dir} as the command does without a prompt,
     * with kept workers when {@code workers} is given.
     *
     * @param dir the directory
     * @param window the most children running at once, at least 1
     * @param probeWord a word whose lines are counted in the result, in indexed form (lower case)
     * @param workers kept workers, or {@code null} for a new child per slice
     * @return what the index holds
     * @throws IOException if the directory cannot be listed
     * @throws IllegalArgumentException if {@code window} is less than 1
     */
    public static Result index(Path dir, int window, String probeWord, Workers workers) throws IOException {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + window);
        }
        List<String> problems = new ArrayList<>();
        FileListing listing = FileListing.list(dir, false, problems::add);
        if (workers == null) {
            PProcess.keepWorkers(Duration.ZERO);
        }
        Outcome outcome = Indexing.shared(listing, window, 0, Progress.silent());
        for (Indexing.SkippedFile s : outcome.skipped()) {
            problems.add("skipped " + s.name() + ": " + s.reason());
        }
        for (Indexing.FailedSlice f : outcome.failed()) {
            problems.add("slice " + f.slice() + " failed (" + f.reason() + "), " + f.files().size() + " files lost");
        }
        long probeLines = 0;
        for (Map.Entry<String, int[]> e : outcome.index().places(probeWord).entrySet()) {
            probeLines += e.getValue().length;
        }
        return new Result(outcome.files(), outcome.bytes(), outcome.index().wordCount(), probeLines, problems);
    }
}

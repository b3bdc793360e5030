package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.Channel;
import io.pprocess.KeptWorker;
import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept workers (pprocess-core's, {@link PProcess#keepWorkers}) used by the indexer: reused by
 * later runs, indexing exactly as new children do, in a private directory per test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeptWorkersIT {

    @TempDir
    Path dir;

    private Path corpus;
    private Path base;

    @BeforeEach
    void setUp() throws IOException {
        corpus = TestCorpus.write(Files.createDirectory(dir.resolve("corpus")));
        base = dir.resolve("workers");
        System.setProperty("pprocess.keptWorkersDir", base.toString());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        PProcess.keepWorkers(Duration.ZERO);
        for (KeptWorker w : PProcess.stopKeptWorkers()) {
            ProcessHandle.of(w.pid()).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        }
        System.clearProperty("pprocess.keptWorkersDir");
    }

    private Outcome index(boolean keep, int window) throws IOException {
        PProcess.keepWorkers(keep ? Duration.ofMinutes(2) : Duration.ZERO);
        FileListing listing = FileListing.list(corpus, false, w -> {
            throw new AssertionError(w);
        });
        // Slices of two files: three slices, so that a worker serves several in one run.
        return Indexing.run(listing, listing.slices(2, 0), window, Progress.silent());
    }

    /** @return every word's places, for comparing two indexes */
    private static Map<String, Map<String, List<Integer>>> contents(PrefixIndex index) {
        Map<String, Map<String, List<Integer>>> out = new TreeMap<>();
        for (String word : index.wordsStartingWith("")) {
            Map<String, List<Integer>> files = new TreeMap<>();
            index.places(word).forEach((f, lines) -> files.put(f, Arrays.asList(lines)));
            out.put(word, files);
        }
        return out;
    }

    private static final class Arrays {
        static List<Integer> asList(int[] values) {
            List<Integer> out = new ArrayList<>();
            for (int v : values) {
                out.add(v);
            }
            return out;
        }
    }

    private static Set<Long> workerPids() {
        return PProcess.keptWorkers().stream().map(KeptWorker::pid).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The kept workers once every one of them is idle, or after 10 s. A worker let go goes back
     * to idle when it sees its channel closed, a moment after the program closed it.
     */
    private static List<KeptWorker> workersOnceIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<KeptWorker> workers = PProcess.keptWorkers();
        while (workers.stream().anyMatch(KeptWorker::busy) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            workers = PProcess.keptWorkers();
        }
        return workers;
    }

    @Test
    void laterRunsReuseTheSameWorkersAndIndexExactlyAsNewChildrenDo() throws IOException {
        Outcome fresh = index(false, 2);
        Map<String, Map<String, List<Integer>>> expected = contents(fresh.index());
        assertThat(expected).containsKey("alpha");
        assertThat(PProcess.keptWorkers()).as("no workers kept without keeping").isEmpty();

        Outcome first = index(true, 2);
        assertThat(first.failed()).isEmpty();
        assertThat(contents(first.index())).isEqualTo(expected);
        Set<Long> pids = workerPids();
        assertThat(pids).hasSize(2);

        long before = System.nanoTime();
        Outcome second = index(true, 2);
        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .as("a run does not wait for its kept workers to end").isLessThan(Indexing.EXIT_WAIT);
        assertThat(second.failed()).isEmpty();
        assertThat(second.files()).isEqualTo(fresh.files());
        assertThat(contents(second.index())).isEqualTo(expected);
        assertThat(workerPids()).as("the same workers serve the second run").isEqualTo(pids);
        assertThat(PProcess.keptWorkers()).allSatisfy(w -> assertThat(w.jobs()).isGreaterThanOrEqualTo(2));
        assertThat(Files.getPosixFilePermissions(base)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Path build = PProcess.keptWorkers().get(0).address().getParent();
        assertThat(Files.getPosixFilePermissions(build)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        List<KeptWorker> stopped = PProcess.stopKeptWorkers();
        assertThat(stopped).extracting(KeptWorker::pid).containsExactlyInAnyOrderElementsOf(pids);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        }
        assertThat(PProcess.stopKeptWorkers()).as("nothing left to stop").isEmpty();
        assertThat(base).isEmptyDirectory();
    }

    /**
     * Workers claimed during the listing ({@link Indexing.EarlyStart}) index exactly as new
     * children do; an early start that is not used lets its workers go, idle for the next run.
     */
    @Test
    void workersClaimedBeforeTheListingIndexAsNewChildrenDoAndUnusedOnesAreLetGo()
            throws IOException, InterruptedException {
        FileListing listing = FileListing.list(corpus, false, w -> {
            throw new AssertionError(w);
        });
        PProcess.keepWorkers(Duration.ZERO);
        assertThat(Indexing.EarlyStart.ofKeptWorkers(2, 0)).as("nothing claimed early without kept workers").isNull();
        Outcome fresh = Indexing.shared(listing, 2, 0, Progress.silent());
        Map<String, Map<String, List<Integer>>> expected = contents(fresh.index());

        PProcess.keepWorkers(Duration.ofMinutes(2));
        for (int window : new int[] {1, 2, 4}) {
            Outcome outcome = Indexing.shared(listing, window, 0, Progress.silent(),
                    Indexing.EarlyStart.ofKeptWorkers(window, 0));
            assertThat(outcome.failed()).as("window " + window).isEmpty();
            assertThat(outcome.files()).isEqualTo(fresh.files());
            assertThat(outcome.skipped()).isEqualTo(fresh.skipped());
            assertThat(outcome.children()).isEqualTo(Indexing.busyChildren(window));
            assertThat(contents(outcome.index())).as("window " + window).isEqualTo(expected);
        }
        Set<Long> pids = workerPids();
        assertThat(pids).hasSize(Indexing.busyChildren(2));

        try (Indexing.EarlyStart unused = Indexing.EarlyStart.ofKeptWorkers(2, 0)) {
            assertThat(unused).isNotNull();
        }
        assertThat(workersOnceIdle()).as("let go, idle again").allSatisfy(w -> assertThat(w.busy()).isFalse());
        Outcome after = Indexing.shared(listing, 2, 0, Progress.silent(), Indexing.EarlyStart.ofKeptWorkers(2, 0));
        assertThat(contents(after.index())).isEqualTo(expected);
        assertThat(workerPids()).as("the same workers serve the next run").isEqualTo(pids);

        Path empty = Files.createDirectory(dir.resolve("empty"));
        String[] result = command("--keep-workers=2m", "--no-prompt", empty.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).isEqualTo("pprocess-indexer: no files to index in " + empty + "\n");
        assertThat(workersOnceIdle()).as("let go by a run with no files").allSatisfy(w -> assertThat(w.busy()).isFalse());
        assertThat(workerPids()).isEqualTo(pids);
    }

    @Test
    void aWorkerInUseIsPassedOverAndAKilledOneIsReplaced() throws Exception {
        assertThat(index(true, 1).failed()).isEmpty();
        long only = workerPids().iterator().next();
        long held;
        try (Channel holder = PProcess.start(c -> {
            c.send(ProcessHandle.current().pid());
            c.receive();
        })) {
            held = holder.receive();
            assertThat(held).isEqualTo(only);
            Outcome outcome = index(true, 1);
            assertThat(outcome.failed()).isEmpty();
            assertThat(workerPids()).as("a second worker for the run, the held one passed over").hasSize(2);
            holder.send("done");
        }
        Path socket = PProcess.keptWorkers().stream().filter(w -> w.pid() == only).findFirst().orElseThrow().address();
        ProcessHandle killed = ProcessHandle.of(only).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().join();
        assertThat(socket).as("the socket file of a killed worker stays").exists();
        assertThat(index(true, 2).failed()).as("indexing goes on without it").isEmpty();
        assertThat(socket).as("the stale socket file is removed").doesNotExist();
        assertThat(workerPids()).doesNotContain(only).hasSize(2);
    }

    @Test
    void theCommandKeepsAndStopsWorkersAndRefusesBadOptions() {
        String[] result = command("--keep-workers=2m", "--no-prompt", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("indexed ").containsPattern("\\d+ workers? stays? for 2 min after the last run")
                .contains("'pprocess-indexer --stop-workers' ends them now");
        Set<Long> kept = workerPids();
        assertThat(kept).isNotEmpty();

        result = command("--keep-workers", "-q", "alp", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).isEqualTo(TestCorpus.ALP);
        assertThat(result[2]).containsPattern("stays? for 5 min");
        assertThat(workerPids()).as("the second run used the first's workers").containsAll(kept);

        result = command("--stop-workers");
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).containsPattern("kept worker \\d+ stopped");

        result = command("--stop-workers");
        assertThat(result[2]).isEqualTo("pprocess-indexer: no kept workers in " + base + "\n");

        result = command("--no-keep-workers", "--no-prompt", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("indexed ").doesNotContain(" for 5 min").doesNotContain(" for 2 min");
        assertThat(PProcess.keptWorkers()).isEmpty();

        result = command("--keep-workers=soon", corpus.toString());
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).startsWith(
                "pprocess-indexer: --keep-workers takes a duration such as 30s, 15m, 2h or PT1H: soon\n");

        result = command("--keep-workers", "--no-keep-workers", corpus.toString());
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--keep-workers and --no-keep-workers are given together");

        result = command("--workers-dir", base.toString());
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).isEqualTo("pprocess-indexer: missing required parameter: 'DIR'\n"
                + IndexerCommand.SHORT_USAGE + "\nTry 'pprocess-indexer --help' for more information.\n");
    }

    @Test
    void aWorkersDirectoryOfWrongKindIsReportedAndTheRunUsesNewChildren() throws IOException {
        Path file = dir.resolve("file");
        Files.writeString(file, "not a directory");
        String[] result = command("--keep-workers", "--workers-dir", file.toString(), "--no-prompt", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("pprocess-indexer: warning: cannot keep workers in " + file)
                .contains("indexing with new child processes").contains("indexed ");

        Path open = Files.createDirectory(dir.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        result = command("--keep-workers", "--workers-dir", open.toString(), "--no-prompt", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("cannot keep workers in " + open + " (" + open
                + " is open to other users (mode rwxr-xr-x)").contains("indexed ");
        assertThat(Files.getPosixFilePermissions(open)).as("left as it was")
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> inside = Files.list(open)) {
            assertThat(inside).isEmpty();
        }
        assertThat(System.getProperty("pprocess.keptWorkersDir")).as("the test's directory again after the command")
                .isEqualTo(base.toString());
    }

    /** @return exit status, standard output, standard error */
    private static String[] command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IndexerCommand.execute(args, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> false, () -> false);
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }
}

package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.Outcome;
import io.pprocess.indexer.Messages.JobStarted;
import io.pprocess.indexer.Messages.Slice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kept workers: persistent indexing processes reused by later runs, in a private directory per test. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeptWorkersIT {

    @TempDir
    Path dir;

    private Path corpus;
    private Path base;
    private final List<Long> seen = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        corpus = TestCorpus.write(Files.createDirectory(dir.resolve("corpus")));
        base = dir.resolve("workers");
    }

    @AfterEach
    void stopWorkers() throws IOException {
        KeptWorkers.stop(base);
        for (long pid : seen) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Outcome index(KeptWorkers workers, int window) throws IOException {
        FileListing listing = FileListing.list(corpus, false, w -> {
            throw new AssertionError(w);
        });
        // Slices of two files: three slices, so that a worker serves several in one run.
        return Indexing.run(listing, listing.slices(2, 0), window, Progress.silent(), workers);
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

    private long workerPid(Path socket) {
        try (Channel channel = PProcess.connectPersistent(socket)) {
            seen.add(channel.pid());
            return channel.pid();
        }
    }

    private static List<Path> sockets(KeptWorkers workers) throws IOException {
        try (Stream<Path> s = Files.list(workers.directory())) {
            return s.filter(p -> p.toString().endsWith(".sock")).sorted().toList();
        }
    }

    @Test
    void laterRunsReuseTheSameWorkersAndIndexExactlyAsNewChildrenDo() throws IOException {
        Outcome fresh = index(null, 2);
        Map<String, Map<String, List<Integer>>> expected = contents(fresh.index());
        assertThat(expected).containsKey("alpha");

        try (KeptWorkers workers = KeptWorkers.open(base, Duration.ofMinutes(2))) {
            Outcome first = index(workers, 2);
            assertThat(first.failed()).isEmpty();
            assertThat(contents(first.index())).isEqualTo(expected);
            assertThat(sockets(workers)).extracting(p -> p.getFileName().toString())
                    .containsExactly("worker-0.sock", "worker-1.sock");
        }
        long pid0;
        long pid1;
        try (KeptWorkers workers = KeptWorkers.open(base, Duration.ofMinutes(2))) {
            pid0 = workerPid(workers.directory().resolve("worker-0.sock"));
            pid1 = workerPid(workers.directory().resolve("worker-1.sock"));
            Outcome second = index(workers, 2);
            assertThat(second.failed()).isEmpty();
            assertThat(second.files()).isEqualTo(fresh.files());
            assertThat(contents(second.index())).isEqualTo(expected);
            assertThat(workerPid(workers.directory().resolve("worker-0.sock"))).isEqualTo(pid0);
            assertThat(workerPid(workers.directory().resolve("worker-1.sock"))).isEqualTo(pid1);
            assertThat(Files.getPosixFilePermissions(base)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(workers.directory()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(ProcessHandle.of(pid0)).as("a kept worker outlives the run").isPresent();

        List<String> report = KeptWorkers.stop(base);
        assertThat(report).hasSize(2).allSatisfy(line -> assertThat(line).contains(": stopped (pid "));
        assertThat(ProcessHandle.of(pid0).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(pid1).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(KeptWorkers.stop(base)).as("nothing left to stop").isEmpty();
    }

    @Test
    void aWorkerInUseByAnotherRunIsPassedOverAndAStaleOneIsReplaced() throws IOException {
        try (KeptWorkers workers = KeptWorkers.open(base, Duration.ofMinutes(2))) {
            assertThat(index(workers, 1).failed()).isEmpty();
        }
        try (KeptWorkers workers = KeptWorkers.open(base, Duration.ofMinutes(2))) {
            Path socket0 = workers.directory().resolve("worker-0.sock");
            long old = workerPid(socket0);
            ProcessHandle killed = ProcessHandle.of(old).orElseThrow();
            killed.destroyForcibly();
            killed.onExit().join();
            assertThat(socket0).as("the socket file of a killed worker stays").exists();

            Outcome outcome;
            try (FileChannel file = FileChannel.open(workers.directory().resolve("worker-0.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock other = otherRunsLock(file);
                outcome = index(workers, 1);
                other.release();
            }
            assertThat(outcome.failed()).isEmpty();
            assertThat(sockets(workers)).extracting(p -> p.getFileName().toString())
                    .containsExactly("worker-0.sock", "worker-1.sock");

            assertThat(index(workers, 1).failed()).as("the stale worker 0 is replaced").isEmpty();
            assertThat(workerPid(socket0)).isNotEqualTo(old);
        }
    }

    /**
     * Takes a worker's lock as another run would. A lock held in this JVM already makes
     * {@link KeptWorkers} pass the worker over, as a lock held by another process does.
     */
    private static FileLock otherRunsLock(FileChannel file) throws IOException {
        FileLock lock = file.tryLock();
        assertThat(lock).isNotNull();
        return lock;
    }

    @Test
    void messagesLeftFromAnAbandonedJobAreIgnoredByTheNextRun() throws Exception {
        FileListing listing = FileListing.list(corpus, false, w -> {
            throw new AssertionError(w);
        });
        try (KeptWorkers workers = KeptWorkers.open(base, Duration.ofMinutes(2))) {
            List<String> paths = new ArrayList<>();
            for (String name : listing.names()) {
                paths.add(corpus.resolve(name).toString());
            }
            // A run that goes away after its job has started: the worker goes on sending.
            Channel abandoned = workers.start(new Slice(0, 0, paths, 100), 42L);
            Object first = abandoned.receive();
            assertThat(first).isEqualTo(new JobStarted(42L));
            workers.release(abandoned);

            Outcome outcome = Indexing.run(listing, listing.adaptiveSlices(1, 0), 1, Progress.silent(), workers);
            assertThat(outcome.failed()).isEmpty();
            Outcome fresh = index(null, 1);
            assertThat(outcome.files()).isEqualTo(fresh.files());
            assertThat(contents(outcome.index())).isEqualTo(contents(fresh.index()));
        }
    }

    @Test
    void theCommandKeepsAndStopsWorkersAndRefusesABadDuration() {
        String[] result = command("--keep-workers=2m", "--workers-dir", base.toString(), "--no-prompt",
                corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("indexed ");

        result = command("--keep-workers", "--workers-dir", base.toString(), "-q", "alp", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).isEqualTo(TestCorpus.ALP);

        result = command("--stop-workers", "--workers-dir", base.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("worker-0.sock: stopped (pid ");

        result = command("--stop-workers", "--workers-dir", base.toString());
        assertThat(result[2]).isEqualTo("pprocess-indexer: no kept workers in " + base + "\n");

        result = command("--keep-workers=soon", "--workers-dir", base.toString(), corpus.toString());
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).startsWith(
                "pprocess-indexer: --keep-workers takes a duration such as 30s, 15m, 2h or PT1H: soon\n");

        result = command("--workers-dir", base.toString());
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).isEqualTo("pprocess-indexer: missing required parameter: 'DIR'\n"
                + IndexerCommand.SHORT_USAGE + "\nTry 'pprocess-indexer --help' for more information.\n");
    }

    @Test
    void aWorkersDirectoryOfWrongKindIsReportedAndTheRunUsesNewChildren() throws IOException {
        Files.writeString(base, "not a directory");
        String[] result = command("--keep-workers", "--workers-dir", base.toString(), "--no-prompt", corpus.toString());
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[2]).contains("pprocess-indexer: warning: cannot keep workers in " + base)
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

package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persistent examples across separate JVMs: a run with {@code --start} exits and leaves
 * its background processes running; a later run with {@code --reconnect} prints the grid, after
 * which the processes have ended and their socket files are gone.
 */
class PersistentExamplesIT {

    private static final int N = 3;
    private static final String DELAY = "0.05";
    /** Any background process a failed test leaves behind gives up on its own after this. */
    private static final Map<String, String> ENVIRONMENT = Map.of("JAVA_OPTS", "-Dpprocess.idleLimit=PT2M");
    private static final Pattern PIDS = Pattern.compile("pids?: ([0-9 ]+)$", Pattern.MULTILINE);
    private static final long END_WITHIN_MILLIS = 10_000;

    @TempDir
    Path temp;

    private Path dir;
    private final Set<Long> started = new HashSet<>();

    private ExampleRun run(String... args) throws IOException, InterruptedException {
        ExampleRun run = ExampleRun.run(temp, ENVIRONMENT, 100, args);
        started.addAll(pids(run));
        return run;
    }

    /** @return the process ids a run printed for the background processes it started */
    private static List<Long> pids(ExampleRun run) {
        List<Long> pids = new ArrayList<>();
        Matcher m = PIDS.matcher(run.out);
        while (m.find()) {
            for (String pid : m.group(1).trim().split(" +")) {
                pids.add(Long.valueOf(pid));
            }
        }
        return pids;
    }

    private String[] args(String name, String... more) {
        List<String> args = new ArrayList<>(List.of(name, "--n", Integer.toString(N), "--delay", DELAY,
                "--limit", "3", "--dir", dir().toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Path dir() {
        if (dir == null) {
            dir = temp.resolve("sockets");
        }
        return dir;
    }

    private List<Path> socketFiles() throws IOException {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
        }
    }

    private static int expectedProcesses(String name) {
        return name.equals("simple_background_queue") ? 1 : N * N;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits until every process has ended and every socket file is gone, then checks both. */
    private void assertEverythingEnded(Set<Long> pids) throws Exception {
        long deadline = System.currentTimeMillis() + END_WITHIN_MILLIS;
        while (System.currentTimeMillis() < deadline
                && (pids.stream().anyMatch(PersistentExamplesIT::alive) || !socketFiles().isEmpty())) {
            Thread.sleep(50);
        }
        assertThat(pids.stream().filter(PersistentExamplesIT::alive).toList())
                .as("background processes still running %s ms after the results were collected", END_WITHIN_MILLIS)
                .isEmpty();
        assertThat(socketFiles()).as("socket files left").isEmpty();
    }

    /**
     * The owners of the sockets in {@code --dir}, once they are {@code expected} or 10 s have
     * passed. A process that the background process is spawning holds its descriptors for a
     * moment, until the spawn helper closes them and runs java: only an owner that stays is one.
     */
    private Set<Long> settledSocketOwners(Set<Long> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Long> owners = new HashSet<>(SocketOwners.of(dir()));
        while (!owners.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            owners = new HashSet<>(SocketOwners.of(dir()));
        }
        return owners;
    }

    @AfterEach
    void endStrayBackgroundProcesses() throws Exception {
        Set<Long> stray = new HashSet<>(started);
        stray.addAll(SocketOwners.of(dir()));
        for (long pid : stray) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isPresent() && process.get().destroyForcibly()) {
                process.get().onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple_persistent_managed", "simple_persistent_queue", "simple_background_queue"})
    @Timeout(240)
    void startInOneJvmThenReconnectInAnotherPrintsTheGrid(String name) throws Exception {
        ExampleRun start = run(args(name, "--start")).succeeded();

        assertThat(start.grid()).as("no grid before reconnecting").isEmpty();
        assertThat(start.out).contains("Collect the results with: bin/pprocess-example " + name
                + " --reconnect --n 3 --dir " + dir());
        boolean perCell = !name.equals("simple_background_queue");
        if (perCell) {
            // A starter in the background starts the cells; the run that collects prints their pids.
            assertThat(start.out).contains("Starting 9 background processes listening in " + dir());
        } else {
            List<Long> pids = pids(start);
            assertThat(pids).as("pids printed by:%n%s", start.out).hasSize(1);
            assertThat(pids).as("background processes outlive the starting JVM").allMatch(PersistentExamplesIT::alive);
            assertThat(socketFiles()).hasSize(1);
            assertThat(settledSocketOwners(new HashSet<>(pids))).as("the processes listening in --dir")
                    .containsExactlyInAnyOrderElementsOf(pids);
        }

        ExampleRun reconnect = run(name, "--reconnect", "--n", Integer.toString(N), "--dir", dir().toString())
                .succeeded();

        assertThat(reconnect.grid()).isEqualTo(ExampleRun.expectedGrid(N));
        assertThat(reconnect.timeTaken()).isGreaterThanOrEqualTo(0);
        assertThat(reconnect.err).isEmpty();
        List<Long> pids = perCell ? pids(reconnect) : pids(start);
        assertThat(pids).as("pids of:%n%s", perCell ? reconnect.out : start.out).hasSize(expectedProcesses(name));
        assertEverythingEnded(new HashSet<>(pids));
    }

    /**
     * {@code --start} hands the cells to one background process and returns: its time does not
     * grow with the grid (16 background JVMs here; 100 with the default --n).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple_persistent_managed", "simple_persistent_queue"})
    @Timeout(240)
    void startReturnsWithinTwoSeconds(String name) throws Exception {
        long begin = System.nanoTime();
        ExampleRun start = run(name, "--start", "--n", "4", "--delay", "0", "--dir", dir().toString()).succeeded();
        long millis = (System.nanoTime() - begin) / 1_000_000;

        assertThat(millis).as("bin/pprocess-example %s --start took %d ms:%n%s", name, millis, start.out)
                .isLessThan(2000);
        assertThat(start.out).contains("Starting 16 background processes listening in " + dir());
        ExampleRun reconnect = run(name, "--reconnect", "--n", "4", "--dir", dir().toString()).succeeded();
        assertThat(reconnect.grid()).isEqualTo(ExampleRun.expectedGrid(4));
        List<Long> pids = pids(reconnect);
        assertThat(pids).hasSize(16);
        assertEverythingEnded(new HashSet<>(pids));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple_persistent_managed", "simple_persistent_queue", "simple_background_queue"})
    @Timeout(240)
    void withoutAModeOneRunStartsCollectsAndLeavesNothingBehind(String name) throws Exception {
        ExampleRun run = run(args(name)).succeeded();

        assertThat(run.grid()).isEqualTo(ExampleRun.expectedGrid(N));
        assertThat(run.timeTaken()).isGreaterThanOrEqualTo(Double.parseDouble(DELAY));
        assertThat(run.out).doesNotContain("Collect the results with");
        List<Long> pids = pids(run);
        assertThat(pids).hasSize(expectedProcesses(name));
        assertEverythingEnded(new HashSet<>(pids));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple_persistent_managed", "simple_persistent_queue", "simple_background_queue"})
    @Timeout(240)
    void startingAgainWhileTheFirstRunsIsRefusedAndLeavesTheFirstCollectable(String name) throws Exception {
        String[] startOne = {name, "--start", "--n", "1", "--delay", DELAY, "--dir", dir().toString()};
        List<Long> first = pids(run(startOne).succeeded());

        ExampleRun again = run(startOne);

        assertThat(again.exitStatus).isEqualTo(1);
        assertThat(again.err).contains("is in use by a live process");
        assertThat(pids(again)).isEmpty();
        ExampleRun reconnect = run(name, "--reconnect", "--n", "1", "--dir", dir().toString()).succeeded();
        assertThat(reconnect.grid()).containsExactly(List.of(0));
        Set<Long> all = new HashSet<>(first);
        all.addAll(pids(reconnect));
        assertThat(all).hasSize(1);
        assertEverythingEnded(all);
    }

    @Test
    @Timeout(120)
    void reconnectingToCellsNeverStartedReportsEachAndPrintsAnEmptyGrid() throws Exception {
        ExampleRun run = run("simple_persistent_queue", "--reconnect", "--n", "2", "--dir", dir().toString());

        assertThat(run.exitStatus).isEqualTo(1);
        assertThat(run.lines()).containsSequence("- -", "- -");
        assertThat(run.err.lines().toList()).containsExactly(
                "simple_persistent_queue: cell (0, 0) cannot be collected: no persistent process at "
                        + dir().resolve("cell-0-0.sock") + ": no such file",
                "simple_persistent_queue: cell (0, 1) cannot be collected: no persistent process at "
                        + dir().resolve("cell-0-1.sock") + ": no such file",
                "simple_persistent_queue: cell (1, 0) cannot be collected: no persistent process at "
                        + dir().resolve("cell-1-0.sock") + ": no such file",
                "simple_persistent_queue: cell (1, 1) cannot be collected: no persistent process at "
                        + dir().resolve("cell-1-1.sock") + ": no such file");
    }

    @Test
    @Timeout(120)
    void reconnectingToABackgroundQueueNeverStartedSaysSo() throws Exception {
        ExampleRun run = run("simple_background_queue", "--reconnect", "--n", "2", "--dir", dir().toString());

        assertThat(run.exitStatus).isEqualTo(1);
        assertThat(run.err).isEqualTo("simple_background_queue: the work cannot be collected: no persistent process at "
                + dir().resolve("grid.sock") + ": no such file\n");
        assertThat(run.lines()).containsSequence("- -", "- -");
    }

    @Test
    @Timeout(120)
    void startAndReconnectTogetherIsAUsageError() throws Exception {
        ExampleRun run = run("simple_persistent_managed", "--start", "--reconnect", "--dir", dir().toString());

        assertThat(run.exitStatus).isEqualTo(Cli.USAGE_ERROR);
        assertThat(run.err).startsWith("simple_persistent_managed: --start and --reconnect exclude each other;"
                + " give neither to do both\n");
        assertThat(socketFiles()).isEmpty();
    }
}

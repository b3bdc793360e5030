package io.pprocess;

import static io.pprocess.testing.Pools.range;
import static io.pprocess.testing.Pools.readAll;
import static io.pprocess.testing.Pools.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Pools;
import io.pprocess.testing.KillStorm;
import io.pprocess.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool contract of {@code pmap}: dead workers, time limits, cancellation, retries,
 * recycling, memory limits, worker initialisers, lazy input and progress. Surefire runs this
 * class once per transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolContractTest {
    /**
     * How long cancelling or closing may take to release the reader and end the children here.
     * The requirement is 1 s; it is measured (about 5 ms) and enforced by the PoolStorm program
     * of pprocess-bench, which fails above 1 s. This bound is five times the requirement so that
     * a loaded 2-core CI machine does not make the test flaky; it still fails a cancel that
     * waits for the items (they sleep a minute).
     */
    static final long CANCEL_BOUND_MILLIS = 5_000;

    /** Ends the workers these tests leave parked, so that they are not reaped during later tests. */
    @AfterAll
    static void endWarmWorkers() {
        Procs.endWarmWorkers();
    }

    @Test
    void aPmapResultRefusesEveryJobOfAnotherKindAndStillDeliversItsOwn(@TempDir Path dir) {
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x * 2, List.of(1, 2, 3), 2);
             Channel other = PProcess.start(c -> c.receive())) {
            String why = "on the result of pmap: its workers run only the mapped function";
            assertThatThrownBy(() -> map.start(c -> c.send(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("start " + why).hasMessageContaining("MapExchange, QueueExchange or Exchange");
            assertThatThrownBy(() -> map.start((Channel c, Integer a) -> c.send(a), 5))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("start " + why);
            assertThatThrownBy(() -> map.create(c -> c.send(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("start " + why);
            assertThatThrownBy(() -> map.manage((Channel c, Integer a) -> c.send(a)))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("manage " + why);
            assertThatThrownBy(() -> map.start(dir.resolve("p.sock"), c -> c.send(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("start " + why);
            assertThatThrownBy(() -> map.connect(dir.resolve("p.sock"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("connect " + why);
            assertThatThrownBy(() -> map.add(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("add " + why);
            assertThatThrownBy(() -> map.addWait(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("add " + why);
            assertThat(map.toList()).containsExactly(2, 4, 6);
            other.send("done");
        }
    }

    private static List<PProcessException> failures(Map<Integer, Object> results) {
        return results.values().stream().filter(v -> v instanceof PProcessException)
                .map(v -> (PProcessException) v).collect(Collectors.toList());
    }

    private static void assertDistinct(List<PProcessException> failures) {
        Set<PProcessException> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(failures);
        assertThat(seen).as("each failed item has its own exception").hasSize(failures.size());
    }

    private static void stormed(PoolOptions options, int minimumDelivered) throws Exception {
        int n = 2000;
        Map<Integer, Object> results;
        int kills;
        try (KillStorm storm = KillStorm.every(300);
             MapExchange<Integer> map = PProcess.pmap((Integer x) -> {
                 sleep(5);
                 return x * 2;
             }, range(n), options.workers(2))) {
            results = readAll(map, n);
            kills = storm.kills();
        }
        List<PProcessException> failed = failures(results);
        for (Map.Entry<Integer, Object> e : results.entrySet()) {
            if (!(e.getValue() instanceof PProcessException)) {
                assertThat(e.getValue()).as("item %d", e.getKey()).isEqualTo(e.getKey() * 2);
            }
        }
        for (PProcessException f : failed) {
            assertThat(f).as("%s", f).isInstanceOf(ChildProcessException.class);
            assertThat(((ChildProcessException) f).pid()).isPositive();
            assertThat(((ChildProcessException) f).signal()).hasValue(9);
        }
        assertDistinct(failed);
        assertThat(kills).as("the storm killed children").isPositive();
        assertThat(failed.size()).as("failed items of %d kills", kills).isLessThanOrEqualTo(kills);
        assertThat(n - failed.size()).as("delivered; failures: %s", failed).isGreaterThanOrEqualTo(minimumDelivered);
    }

    @Test
    void killStormFailsOnlyTheItemsRunningAtEachKill() throws Exception {
        stormed(PoolOptions.defaults(), 1900);
    }

    @Test
    void workersKilledWhileTheirJvmStartsAreReplaced() throws Exception {
        // A heap limit makes the pmap start its own workers (no spares, no warm workers).
        try (KillStorm storm = KillStorm.newChildren(3);
             MapExchange<Integer> map = PProcess.pmap((Integer x) -> x + 1, range(40),
                     PoolOptions.defaults().workers(2).heapLimit("128m"))) {
            assertThat(map.toList()).isEqualTo(range(40).stream().map(x -> x + 1).collect(Collectors.toList()));
            assertThat(storm.kills()).as("children killed as they started").isPositive();
        }
    }

    @Test
    void aWorkerThatDiesKeepsWhatItReportedAndItsUnstartedItemsRunElsewhere() {
        SerializableFunction<Integer, Long> fn = x -> {
            if (x == 10) {
                Runtime.getRuntime().halt(7);
            }
            sleep(3);
            return ProcessHandle.current().pid();
        };
        try (MapExchange<Long> map = PProcess.pmap(fn, range(40), PoolOptions.defaults().workers(1))) {
            Map<Integer, Object> results = readAll(map, 40);
            assertThat(results.get(10)).isInstanceOf(ChildProcessException.class);
            ChildProcessException death = (ChildProcessException) results.get(10);
            assertThat(death.exitStatus()).isEqualTo(7);
            assertThat(death.getMessage()).startsWith("item 10: child process " + death.pid() + " exited with status 7");
            assertThat(failures(results)).hasSize(1);
            assertThat(results.get(9)).as("reported before the death, by the dead worker").isEqualTo(death.pid());
            assertThat(results.get(11)).as("run by the replacement").isNotEqualTo(death.pid());
        }
    }

    @Test
    void anItemOverItsTimeLimitFailsAloneAndItsChildIsReplaced() throws Exception {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 7) {
                while (true) {
                    Thread.onSpinWait();
                }
            }
            return x;
        };
        try (MapExchange<Integer> map = PProcess.pmap(fn, range(20),
                PoolOptions.defaults().workers(2).itemTimeout(Duration.ofSeconds(1)))) {
            Map<Integer, Object> results = readAll(map, 20);
            assertThat(failures(results)).hasSize(1);
            assertThat(results.get(7)).isInstanceOf(TimeLimitException.class);
            TimeLimitException e = (TimeLimitException) results.get(7);
            assertThat(e.limit()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.getMessage()).isEqualTo("item 7: child process " + e.pid()
                    + " ran past the item time limit of 1000 ms (itemTimeout) and was killed");
            assertThat(Procs.awaitGone(e.pid(), 5000)).as("the looping child was killed").isTrue();
            for (int i = 0; i < 20; i++) {
                if (i != 7) {
                    assertThat(results.get(i)).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void theDeadlineFailsWhatIsNotDoneAndEndsTheChildren() throws Exception {
        Set<Long> pids = ConcurrentPids.of();
        SerializableFunction<Integer, Long> fn = x -> {
            sleep(x < 4 ? 1 : 60_000);
            return ProcessHandle.current().pid();
        };
        try (MapExchange<Long> map = PProcess.pmap(fn, range(30),
                PoolOptions.defaults().workers(2).deadline(Duration.ofSeconds(3)))) {
            Map<Integer, Object> results = readAll(map, 30);
            for (int i = 0; i < 4; i++) {
                assertThat(results.get(i)).isInstanceOf(Long.class);
                pids.add((Long) results.get(i));
            }
            List<PProcessException> failed = failures(results);
            assertThat(failed).hasSize(26).allMatch(f -> f instanceof TimeLimitException);
            assertThat(failed).anyMatch(f -> ((TimeLimitException) f).pid() > 0);
            assertThat(failed.get(failed.size() - 1).getMessage())
                    .isEqualTo("item 29: not done by the deadline of 3000 ms for the whole pmap (never started)");
            assertDistinct(failed);
        }
        for (long pid : pids) {
            assertThat(Procs.awaitGone(pid, 5000)).as("worker %d ended", pid).isTrue();
        }
    }

    /** A set of pids that test lambdas do not capture. */
    static final class ConcurrentPids {
        static Set<Long> of() {
            return java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
    }

    /**
     * The pids of the children running a map's long items: each item writes its child's pid
     * into {@code dir} before it sleeps or loops, so that a test knows every worker it must see
     * end (the parent may hold spare children too, which a cancel leaves alone).
     */
    static Set<Long> runningPids(Path dir, int atLeast) throws Exception {
        assertThat(Procs.eventually(60_000, () -> pidFiles(dir).size() >= atLeast))
                .as("%d items started", atLeast).isTrue();
        return pidFiles(dir);
    }

    static Set<Long> pidFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("pid-")).map(f -> {
                try {
                    return Long.parseLong(Files.readString(f));
                } catch (java.io.IOException | NumberFormatException e) {
                    return -1L;
                }
            }).filter(pid -> pid > 0).collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An item that writes its child's pid into {@code dir} and then runs forever: sleeping, or spinning. */
    static SerializableFunction<Integer, Long> endless(Path dir, boolean spin) {
        String where = dir.toString();
        return x -> {
            long pid = ProcessHandle.current().pid();
            if (x > 0) {
                try {
                    Path tmp = Path.of(where, "tmp-" + x);
                    Files.writeString(tmp, Long.toString(pid));
                    Files.move(tmp, Path.of(where, "pid-" + x), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                while (true) {
                    if (spin) {
                        Thread.onSpinWait();
                    } else {
                        sleep(60_000);
                    }
                }
            }
            return pid;
        };
    }

    /**
     * Leaves two warm workers parked, so that the next {@code pmap} of two workers hands both
     * their first chunk in its constructor: a test that waits for both to run a long item,
     * without reading the map meanwhile, does not depend on a second JVM's start.
     */
    static void warmTwoWorkers() {
        SerializableFunction<Integer, Long> fn = x -> {
            sleep(20);
            return ProcessHandle.current().pid();
        };
        for (int round = 0; round < 10; round++) {
            try (MapExchange<Long> map = PProcess.pmap(fn, range(60), PoolOptions.defaults().workers(2))) {
                if (new HashSet<>(map.toList()).size() == 2) {
                    return;
                }
            }
        }
        throw new AssertionError("no two workers served a map of 60 items in 10 rounds");
    }

    @Test
    void cancellingFromAnotherThreadKillsTheChildrenAtOnce(@TempDir Path dir) throws Exception {
        MapExchange<Long> map = PProcess.pmap(endless(dir, false), range(10), PoolOptions.defaults().workers(2));
        long first = map.get(0);
        Set<Long> running = runningPids(dir, 1);
        Thread canceller = new Thread(() -> {
            sleep(300);
            map.cancel();
        });
        canceller.start();
        long before = System.nanoTime();
        assertThatThrownBy(() -> map.get(1)).isInstanceOf(CancelledException.class)
                .hasMessage("item 1: cancelled before the result came");
        long waited = (System.nanoTime() - before) / 1_000_000;
        canceller.join();
        assertThat(waited).as("the reader is released soon after the cancel (ms)").isLessThan(300 + CANCEL_BOUND_MILLIS);
        assertThat(map.get(0)).as("results that came before are kept").isEqualTo(first);
        Set<Long> workers = new HashSet<>(running);
        workers.addAll(pidFiles(dir));
        workers.add(first);
        for (long pid : workers) {
            assertThat(Procs.awaitGone(pid, CANCEL_BOUND_MILLIS)).as("worker %d ended at the cancel", pid).isTrue();
        }
        map.close();
        assertThat(map.isCancelled()).isTrue();
    }

    @Test
    void closingMidwayEndsEveryChildEvenOneInAnEndlessLoop(@TempDir Path dir) throws Exception {
        Set<Long> pids = new HashSet<>();
        warmTwoWorkers();
        try (MapExchange<Long> map = PProcess.pmap(endless(dir, true), range(10), PoolOptions.defaults().workers(2))) {
            pids.add(map.get(0));
            pids.addAll(runningPids(dir, 2));
        }
        pids.addAll(pidFiles(dir));
        assertThat(pids).as("the two workers").hasSizeGreaterThanOrEqualTo(2);
        for (long pid : pids) {
            assertThat(Procs.awaitGone(pid, CANCEL_BOUND_MILLIS)).as("child %d ended at close", pid).isTrue();
        }
    }

    @Test
    void aPoisonItemFailsAfterItsRetriesWithEveryAttemptAttached() {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 5) {
                Runtime.getRuntime().halt(9);
            }
            return x * 10;
        };
        try (MapExchange<Integer> map = PProcess.pmap(fn, range(12), PoolOptions.defaults().workers(2).retries(2))) {
            Map<Integer, Object> results = readAll(map, 12);
            assertThat(failures(results)).hasSize(1);
            ChildProcessException poison = (ChildProcessException) results.get(5);
            assertThat(poison.exitStatus()).isEqualTo(9);
            assertThat(poison.getSuppressed()).hasSize(2).allMatch(s -> s instanceof ChildProcessException
                    && ((ChildProcessException) s).exitStatus() == 9
                    && ((ChildProcessException) s).pid() != poison.pid());
            for (int i = 0; i < 12; i++) {
                if (i != 5) {
                    assertThat(results.get(i)).isEqualTo(i * 10);
                }
            }
        }
    }

    @Test
    void anItemThatRunsOutOfHeapFailsSayingSoAndARetryCanSucceed(@TempDir Path dir) {
        Path marker = dir.resolve("first-attempt");
        String markerPath = marker.toString();
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 3) {
                try {
                    if (Files.notExists(Path.of(markerPath))) {
                        Files.createFile(Path.of(markerPath));
                        List<long[]> hog = new ArrayList<>();
                        while (true) {
                            hog.add(new long[1 << 20]);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return x;
        };
        // The children's JVMs say nothing when they run out of memory (no "Terminating due to
        // java.lang.OutOfMemoryError" in the build log): the test reads the failures.
        List<String> before = PProcess.jvmOptions();
        List<String> quiet = new ArrayList<>(before);
        quiet.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"));
        PProcess.setJvmOptions(quiet.toArray(String[]::new));
        try {
            outOfHeap(fn);
        } finally {
            PProcess.setJvmOptions(before.toArray(String[]::new));
        }
    }

    private static void outOfHeap(SerializableFunction<Integer, Integer> fn) {
        try (MapExchange<Integer> map = PProcess.pmap(fn, range(6),
                PoolOptions.defaults().workers(1).heapLimit("64m").retries(1))) {
            assertThat(map.toList()).isEqualTo(range(6));
        }
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> {
            List<long[]> hog = new ArrayList<>();
            while (x == 1) {
                hog.add(new long[1 << 20]);
            }
            return x;
        }, range(3), PoolOptions.defaults().workers(1).heapLimit("64m"))) {
            Map<Integer, Object> results = readAll(map, 3);
            assertThat(results.get(1)).isInstanceOf(MemoryLimitException.class);
            assertThat(((Exception) results.get(1)).getMessage()).contains("exited with status 3")
                    .contains("out of memory: its heap passed the heap limit of 64m (heapLimit)");
            assertThat(results.get(0)).isEqualTo(0);
            assertThat(results.get(2)).isEqualTo(2);
        }
    }

    @Test
    void aChildOverItsResidentSetLimitIsKilledSayingSo() {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 2) {
                return Pools.holdFourHundredMegabytes();
            }
            return x;
        };
        try (MapExchange<Integer> map = PProcess.pmap(fn, range(5),
                PoolOptions.defaults().workers(1).memoryLimit(300L << 20).heapLimit("600m"))) {
            Map<Integer, Object> results = readAll(map, 5);
            assertThat(results.get(2)).isInstanceOf(MemoryLimitException.class);
            MemoryLimitException e = (MemoryLimitException) results.get(2);
            assertThat(e.getMessage()).startsWith("item 2: child process " + e.pid() + " was killed by signal 9")
                    .contains("passed the memory limit of 300 MiB (memoryLimit)");
            assertThat(e.limitBytes()).isEqualTo(300L << 20);
            assertThat(failures(results)).hasSize(1);
        }
    }

    @Test
    void workersAreRecycledAfterTheirItemsAndNothingIsLost() {
        SerializableFunction<Integer, Long> fn = x -> ProcessHandle.current().pid();
        try (MapExchange<Long> map = PProcess.pmap(fn, range(100),
                PoolOptions.defaults().workers(2).recycleAfterItems(10))) {
            List<Long> pids = map.toList();
            assertThat(pids).hasSize(100);
            Map<Long, Long> perWorker = pids.stream().collect(Collectors.groupingBy(p -> p, Collectors.counting()));
            assertThat(perWorker.values()).allMatch(count -> count <= 10);
            assertThat(perWorker).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void workersOlderThanTheAgeAreReplacedAndNoItemIsLostRepeatedOrMoved() {
        SerializableFunction<Integer, long[]> fn = x -> {
            sleep(25);
            return new long[] {x, ProcessHandle.current().pid()};
        };
        List<Long> indices = range(100).stream().map(Integer::longValue).collect(Collectors.toList());
        try (MapExchange<long[]> map = PProcess.pmap(fn, range(100),
                PoolOptions.defaults().workers(2).recycleAfterAge(Duration.ofSeconds(1)))) {
            List<long[]> results = map.toList();
            assertThat(results).extracting(r -> r[0]).as("every item once, in order").containsExactlyElementsOf(indices);
            assertThat(results.stream().map(r -> r[1]).distinct().count())
                    .as("each of the 2 workers replaced once older than 1 s").isGreaterThanOrEqualTo(3);
        }
        try (MapExchange<long[]> map = PProcess.pmap(fn, range(20),
                PoolOptions.defaults().workers(2).recycleAfterAge(Duration.ofHours(1)))) {
            List<long[]> results = map.toList();
            assertThat(results).extracting(r -> r[0]).containsExactlyElementsOf(indices.subList(0, 20));
            assertThat(results.stream().map(r -> r[1]).distinct().count())
                    .as("no worker replaced before it is an hour old").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void workersAreRecycledAboveAHeapThreshold() {
        SerializableFunction<Integer, Long> fn = x -> ProcessHandle.current().pid();
        try (MapExchange<Long> map = PProcess.pmap(fn, range(12),
                PoolOptions.defaults().workers(1).recycleAboveHeap(1))) {
            List<Long> pids = map.toList();
            assertThat(new HashSet<>(pids)).as("a worker is replaced after each chunk").hasSizeGreaterThan(1);
        }
    }

    /** Counts initialiser runs in a worker process. */
    static final class InitCount {
        static final AtomicInteger RUNS = new AtomicInteger();
    }

    @Test
    void theInitializerRunsOncePerWorkerAndItsStateIsReadByTheItems() {
        SerializableSupplier<String> init = () -> ProcessHandle.current().pid() + ":" + InitCount.RUNS.incrementAndGet();
        SerializableFunction<Integer, String> fn = x -> PProcess.<String>workerState() + "/" + ProcessHandle.current().pid();
        try (MapExchange<String> map = PProcess.pmap(fn, range(200),
                PoolOptions.defaults().workers(2).initializer(init))) {
            for (String s : map.toList()) {
                String[] parts = s.split("[:/]");
                assertThat(parts[0]).as("state made in the same worker").isEqualTo(parts[2]);
            }
        }
        assertThatThrownBy(PProcess::workerState).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingInitializerFailsEveryItemClearlyOnce() {
        SerializableSupplier<String> init = () -> {
            throw new IllegalStateException("no database");
        };
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x, range(50),
                PoolOptions.defaults().workers(2).initializer(init))) {
            Map<Integer, Object> results = readAll(map, 50);
            List<PProcessException> failed = failures(results);
            assertThat(failed).hasSize(50);
            assertDistinct(failed);
            assertThat(failed.get(0).getMessage()).startsWith("item 0: the worker initializer failed in child process ")
                    .contains("no database");
            assertThat(failed.get(0).getCause()).isInstanceOf(RemoteException.class);
            assertThat(((RemoteException) failed.get(0).getCause()).remoteClassName())
                    .isEqualTo("java.lang.IllegalStateException");
        }
    }

    @Test
    void anEndlessInputIsReadOnlyAsFarAsTheBound() {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> endless = Stream.iterate(0, x -> x + 1).peek(x -> pulled.incrementAndGet()).iterator();
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x * 3, endless,
                PoolOptions.defaults().workers(2).maxInFlight(100))) {
            Iterator<Integer> it = map.iterator();
            assertThat(it.next()).isZero();
            assertThat(pulled.get()).as("read ahead of the first result").isLessThanOrEqualTo(101);
            for (int i = 1; i < 5000; i++) {
                assertThat(it.next()).isEqualTo(i * 3);
            }
            assertThat(pulled.get() - 5000).as("read ahead of the reader").isLessThanOrEqualTo(100);
            assertThatThrownBy(() -> map.get(10)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already taken by this map's iterator");
        }
    }

    @Test
    void aStreamIsMappedLazilyAndClosed() {
        AtomicInteger closed = new AtomicInteger();
        Stream<Integer> stream = IntStream.range(0, 3000).boxed().onClose(closed::incrementAndGet);
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x + 1, stream, PoolOptions.defaults().workers(2))) {
            int expected = 1;
            for (int v : map) {
                assertThat(v).isEqualTo(expected++);
            }
            assertThat(expected).isEqualTo(3001);
            assertThat(map.size()).isEqualTo(3000);
        }
        assertThat(closed.get()).isEqualTo(1);
    }

    @Test
    void progressIsReportedAndEndsFinished() {
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> {
            sleep(2);
            if (x == 3) {
                throw new IllegalArgumentException("three");
            }
            return x;
        }, range(300), PoolOptions.defaults().workers(2).progress(seen::add))) {
            readAll(map, 300);
        }
        assertThat(seen).isNotEmpty();
        Progress last = seen.get(seen.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.done()).isEqualTo(299);
        assertThat(last.failed()).isEqualTo(1);
        assertThat(last.total()).isEqualTo(300);
        assertThat(last.inFlight()).isZero();
        assertThat(last.rate()).isPositive();
        assertThat(seen.stream().filter(Progress::finished)).hasSize(1);
    }
}

package io.pprocess;

import static io.pprocess.testing.Pools.range;
import static io.pprocess.testing.Pools.readAll;
import static io.pprocess.testing.Pools.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Pools;
import io.pprocess.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool contract on exchanges ({@link ExchangeOptions#pool}): jobs with a time limit, a
 * deadline, cancellation, retries, recycling, memory limits, a worker initialiser and
 * progress, on a {@code MapExchange}, a {@code QueueExchange} and a plain {@code Exchange},
 * with reuse. Surefire runs this class once per transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisedExchangeContractTest {

    private static ExchangeOptions reusing(int limit, PoolOptions pool) {
        return ExchangeOptions.defaults().limit(limit).reuse(true).pool(pool);
    }

    @Test
    void aJobOverItsTimeLimitFailsAloneItsChildIsKilledAndTheNextJobsGoOn() throws Exception {
        SerializableFunction<Integer, Long> fn = x -> {
            while (x == 3) {
                Thread.onSpinWait();
            }
            return ProcessHandle.current().pid();
        };
        try (MapExchange<Long> map = new MapExchange<>(reusing(2,
                PoolOptions.defaults().itemTimeout(Duration.ofMillis(800))))) {
            map.startEach(PProcess.reusable(fn), range(8));
            Map<Integer, Object> results = readAll(map, map.size());
            TimeLimitException e = (TimeLimitException) results.get(3);
            assertThat(e.getMessage()).isEqualTo("item 3: child process " + e.pid()
                    + " ran past the item time limit of 800 ms (itemTimeout) and was killed");
            assertThat(e.limit()).isEqualTo(Duration.ofMillis(800));
            assertThat(e.getCause()).isInstanceOf(ChildProcessException.class);
            assertThat(((ChildProcessException) e.getCause()).signal()).hasValue(9);
            assertThat(Procs.awaitGone(e.pid(), 5000)).isTrue();
            for (int i = 0; i < 8; i++) {
                if (i != 3) {
                    assertThat(results.get(i)).as("job %d", i).isInstanceOf(Long.class);
                }
            }
        }
    }

    @Test
    void aQueueAndAPlainExchangeFailTheJobOverItsLimitWithItsOwnException() {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 1) {
                sleep(60_000);
            }
            return x * 10;
        };
        // The limit counts from the child's connection, so a fresh child's first job includes
        // loading the task: 2 s leaves room for that on a loaded machine; job 1 sleeps a minute.
        PoolOptions limited = PoolOptions.defaults().itemTimeout(Duration.ofSeconds(2));
        List<Object> arrived = new ArrayList<>();
        try (QueueExchange<Integer> queue = new QueueExchange<>(reusing(2, limited))) {
            ChannelTask1<Integer> task = PProcess.reusable(fn);
            for (int i = 0; i < 5; i++) {
                queue.start(task, i);
            }
            for (java.util.Iterator<Integer> it = queue.iterator(); it.hasNext(); ) {
                try {
                    arrived.add(it.next());
                } catch (TimeLimitException e) {
                    assertThat(e.item()).hasValue(1);
                    arrived.add(e);
                }
            }
        }
        assertThat(arrived).hasSize(5).containsAll(List.of(0, 20, 30, 40));
        assertThat(arrived).filteredOn(o -> o instanceof TimeLimitException).hasSize(1);

        List<Object> stored = new ArrayList<>();
        try (Exchange exchange = new Exchange(reusing(2, limited), channel -> {
            try {
                stored.add(channel.receive());
            } catch (TimeLimitException e) {
                stored.add(e);
            }
        })) {
            ChannelTask1<Integer> task = PProcess.reusable(fn);
            for (int i = 0; i < 4; i++) {
                exchange.start(task, i);
            }
            exchange.finish();
        }
        assertThat(stored).hasSize(4).containsAll(List.of(0, 20, 30));
        assertThat(stored).filteredOn(o -> o instanceof TimeLimitException).hasSize(1);
    }

    @Test
    void theDeadlineFailsEveryJobWithoutAResultAndEndsTheChildren() throws Exception {
        SerializableFunction<Integer, Long> fn = x -> {
            if (x >= 2) {
                sleep(60_000);
            }
            return ProcessHandle.current().pid();
        };
        Set<Long> pids = new HashSet<>();
        try (MapExchange<Long> map = new MapExchange<>(reusing(2,
                PoolOptions.defaults().deadline(Duration.ofMillis(1500))))) {
            map.startEach(PProcess.reusable(fn), range(6));
            Map<Integer, Object> results = readAll(map, map.size());
            pids.add((Long) results.get(0));
            pids.add((Long) results.get(1));
            for (int i = 2; i < 6; i++) {
                TimeLimitException e = (TimeLimitException) results.get(i);
                assertThat(e.getMessage()).as("job %d", i).startsWith("item " + i
                        + ": not done by the deadline of 1500 ms for the whole exchange");
                if (e.pid() != 0) {
                    assertThat(e.getMessage()).endsWith("(child process " + e.pid() + " was running it and was killed)");
                    pids.add(e.pid());
                } else {
                    assertThat(e.getMessage()).endsWith("(never started)");
                }
            }
            assertThat(((TimeLimitException) results.get(2)).pid()).as("job 2 was running").isPositive();
            assertThat(((TimeLimitException) results.get(5)).pid()).as("job 5 never started").isZero();
            map.start(PProcess.reusable(fn), 9);
            assertThatThrownBy(() -> map.get(6)).as("a job started after the deadline fails at once")
                    .isInstanceOf(TimeLimitException.class).hasMessageEndingWith("(never started)");
        }
        for (long pid : pids) {
            assertThat(Procs.awaitGone(pid, 5000)).as("child %d ended", pid).isTrue();
        }
    }

    @Test
    void cancellingFromAnotherThreadKillsTheReusedChildren(@TempDir Path dir) throws Exception {
        MapExchange<Long> map = new MapExchange<>(reusing(2, PoolOptions.defaults().retries(3)));
        map.startEach(PProcess.reusable(PoolContractTest.endless(dir, false)), range(6));
        long first = map.get(0);
        Set<Long> workers = new HashSet<>(PoolContractTest.runningPids(dir, 2));
        workers.add(first);
        Thread canceller = new Thread(() -> {
            sleep(300);
            map.cancel();
        });
        canceller.start();
        assertThatThrownBy(() -> map.get(1)).isInstanceOf(CancelledException.class)
                .hasMessage("item 1: cancelled before the result came");
        canceller.join();
        assertThat(map.get(0)).as("results that came before are kept").isEqualTo(first);
        for (long pid : workers) {
            assertThat(Procs.awaitGone(pid, PoolContractTest.CANCEL_BOUND_MILLIS)).as("child %d ended at the cancel", pid)
                    .isTrue();
        }
        map.close();
    }

    @Test
    void closingMidwayEndsEveryReusedChildEvenOneInAnEndlessLoop(@TempDir Path dir) throws Exception {
        Set<Long> pids = new HashSet<>();
        try (MapExchange<Long> map = new MapExchange<>(reusing(2, PoolOptions.defaults()))) {
            map.startEach(PProcess.reusable(PoolContractTest.endless(dir, true)), range(6));
            pids.add(map.get(0));
            pids.addAll(PoolContractTest.runningPids(dir, 2));
        }
        pids.addAll(PoolContractTest.pidFiles(dir));
        assertThat(pids).as("the two children").hasSizeGreaterThanOrEqualTo(2);
        for (long pid : pids) {
            assertThat(Procs.awaitGone(pid, PoolContractTest.CANCEL_BOUND_MILLIS)).as("child %d ended at close", pid)
                    .isTrue();
        }
    }

    @Test
    void aJobWhoseChildDiedIsRunAgainAndAPoisonJobFailsWithEveryAttempt(@TempDir Path dir) {
        String marker = dir.resolve("first-attempt").toString();
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 5) {
                Runtime.getRuntime().halt(9);
            }
            if (x == 2) {
                try {
                    if (Files.notExists(Path.of(marker))) {
                        Files.createFile(Path.of(marker));
                        Runtime.getRuntime().halt(7);
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return x * 10;
        };
        try (MapExchange<Integer> map = new MapExchange<>(reusing(2, PoolOptions.defaults().retries(2)))) {
            map.startEach(PProcess.reusable(fn), range(10));
            Map<Integer, Object> results = readAll(map, map.size());
            ChildProcessException poison = (ChildProcessException) results.get(5);
            assertThat(poison.exitStatus()).isEqualTo(9);
            assertThat(poison.getSuppressed()).hasSize(2).allMatch(s -> s instanceof ChildProcessException
                    && ((ChildProcessException) s).exitStatus() == 9
                    && ((ChildProcessException) s).pid() != poison.pid());
            for (int i = 0; i < 10; i++) {
                if (i != 5) {
                    assertThat(results.get(i)).as("job %d, once, in its place", i).isEqualTo(i * 10);
                }
            }
            assertThat(map.size()).isEqualTo(10);
        }
    }

    @Test
    void reusedChildrenAreRecycledAfterTheirJobsAndNothingIsLost() {
        SerializableFunction<Integer, Long> fn = x -> ProcessHandle.current().pid();
        try (MapExchange<Long> map = new MapExchange<>(reusing(2, PoolOptions.defaults().recycleAfterItems(3)))) {
            map.startEach(PProcess.reusable(fn), range(15));
            List<Long> pids = map.toList();
            assertThat(pids).hasSize(15).doesNotContainNull();
            Map<Long, Long> perChild = pids.stream().collect(Collectors.groupingBy(p -> p, Collectors.counting()));
            assertThat(perChild.values()).allMatch(count -> count <= 3);
            assertThat(perChild).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void reusedChildrenOlderThanTheAgeAreReplacedAndNoJobIsLostRepeatedOrMoved() {
        SerializableFunction<Integer, long[]> fn = x -> {
            sleep(25);
            return new long[] {x, ProcessHandle.current().pid()};
        };
        try (MapExchange<long[]> map = new MapExchange<>(reusing(2,
                PoolOptions.defaults().recycleAfterAge(Duration.ofSeconds(1))))) {
            map.startEach(PProcess.reusable(fn), range(100));
            List<long[]> results = map.toList();
            assertThat(results).extracting(r -> r[0]).as("every job once, in order")
                    .containsExactlyElementsOf(range(100).stream().map(Integer::longValue).collect(Collectors.toList()));
            assertThat(results.stream().map(r -> r[1]).distinct().count())
                    .as("each of the 2 children replaced once older than 1 s").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aJobOutOfHeapOrOverTheResidentSetLimitFailsSayingSo() {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 1) {
                return Pools.holdFourHundredMegabytes();
            }
            return x;
        };
        try (MapExchange<Integer> map = new MapExchange<>(reusing(1,
                PoolOptions.defaults().memoryLimit(300L << 20).heapLimit("600m")))) {
            map.startEach(PProcess.reusable(fn), range(3));
            Map<Integer, Object> results = readAll(map, map.size());
            MemoryLimitException e = (MemoryLimitException) results.get(1);
            assertThat(e.getMessage()).startsWith("item 1: child process " + e.pid() + " was killed by signal 9")
                    .contains("passed the memory limit of 300 MiB (memoryLimit)");
            assertThat(results.get(0)).isEqualTo(0);
            assertThat(results.get(2)).isEqualTo(2);
        }
        List<String> before = PProcess.jvmOptions();
        List<String> quiet = new ArrayList<>(before);
        quiet.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"));
        PProcess.setJvmOptions(quiet.toArray(String[]::new));
        try (QueueExchange<Integer> queue = new QueueExchange<>(reusing(1, PoolOptions.defaults().heapLimit("64m")))) {
            queue.start(PProcess.reusable((Integer x) -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }), 0);
            assertThatThrownBy(() -> queue.iterator().next()).isInstanceOf(MemoryLimitException.class)
                    .hasMessageContaining("exited with status 3")
                    .hasMessageContaining("out of memory: its heap passed the heap limit of 64m (heapLimit)");
        } finally {
            PProcess.setJvmOptions(before.toArray(String[]::new));
        }
    }

    /** Counts initialiser runs in a child. */
    static final class InitCount {
        static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
    }

    @Test
    void theInitializerRunsOncePerChildAndItsStateIsReadByEveryJob() {
        SerializableSupplier<String> init = () -> ProcessHandle.current().pid() + ":" + InitCount.RUNS.incrementAndGet();
        SerializableFunction<Integer, String> fn = x -> PProcess.<String>workerState() + "/" + ProcessHandle.current().pid();
        try (MapExchange<String> map = new MapExchange<>(reusing(2, PoolOptions.defaults().initializer(init)))) {
            map.startEach(PProcess.reusable(fn), range(20));
            Set<Long> children = new HashSet<>();
            for (String s : map.toList()) {
                String[] parts = s.split("[:/]");
                assertThat(parts[0]).as("state made in the same child").isEqualTo(parts[2]);
                assertThat(parts[1]).as("made once in that child").isEqualTo("1");
                children.add(Long.parseLong(parts[2]));
            }
            assertThat(children).hasSizeBetween(1, 2);
        }
    }

    @Test
    void aFailingInitializerFailsEveryJobClearlyAndStartsNoMoreChildren() {
        SerializableSupplier<String> init = () -> {
            throw new IllegalStateException("no database");
        };
        try (MapExchange<Integer> map = new MapExchange<>(reusing(1, PoolOptions.defaults().initializer(init)))) {
            map.startEach(PProcess.reusable((Integer x) -> x), range(6));
            Map<Integer, Object> results = readAll(map, map.size());
            assertThat(results.values()).allMatch(v -> v instanceof PProcessException);
            Set<String> messages = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                PProcessException e = (PProcessException) results.get(i);
                assertThat(e.getMessage()).startsWith("item " + i + ": the worker initializer failed in child process ")
                        .contains("java.lang.IllegalStateException: no database");
                assertThat(e.getCause()).isInstanceOf(RemoteException.class);
                messages.add(e.getMessage().substring(e.getMessage().indexOf(':')));
            }
            assertThat(messages).as("one child tried, every job told of it").hasSize(1);
            map.start(PProcess.reusable((Integer x) -> x), 6);
            assertThatThrownBy(() -> map.get(6)).hasMessageStartingWith("item 6: the worker initializer failed");
        }
    }

    @Test
    void progressCountsTheJobsAndEndsFinishedAtClose() {
        List<Progress> seen = new CopyOnWriteArrayList<>();
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 4) {
                throw new IllegalArgumentException("four");
            }
            sleep(20);
            return x;
        };
        try (QueueExchange<Integer> queue = new QueueExchange<>(reusing(2, PoolOptions.defaults().progress(seen::add)))) {
            ChannelTask1<Integer> task = PProcess.reusable(fn);
            for (int i = 0; i < 30; i++) {
                queue.start(task, i);
            }
            int ok = 0;
            int failed = 0;
            for (java.util.Iterator<Integer> it = queue.iterator(); it.hasNext(); ) {
                try {
                    it.next();
                    ok++;
                } catch (RemoteException e) {
                    failed++;
                }
            }
            assertThat(ok).isEqualTo(29);
            assertThat(failed).isEqualTo(1);
        }
        assertThat(seen).isNotEmpty();
        Progress last = seen.get(seen.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.done()).isEqualTo(29);
        assertThat(last.failed()).isEqualTo(1);
        assertThat(last.total()).isEqualTo(30);
        assertThat(seen).filteredOn(Progress::finished).hasSize(1);
    }

    @Test
    void optionsThatAreNotAnExchangesAreRefusedByName() {
        assertThatThrownBy(() -> new QueueExchange<>(ExchangeOptions.defaults().continuous(true)
                .pool(PoolOptions.defaults().retries(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pool options do not apply to a continuous exchange: its children have no single result"
                        + " to time or retry");
        assertThatThrownBy(() -> new MapExchange<>(reusing(2, PoolOptions.defaults().workers(4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PoolOptions.workers(4) is pmap's: an exchange's children are bounded by ExchangeOptions.limit");
        assertThatThrownBy(() -> new MapExchange<>(reusing(2, PoolOptions.defaults().maxInFlight(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PoolOptions.maxInFlight(10) is pmap's");
        assertThatThrownBy(() -> new MapExchange<>(reusing(2, PoolOptions.defaults().recycleAboveHeap(1 << 20))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PoolOptions.recycleAboveHeap is pmap's");
    }
}

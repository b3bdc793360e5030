package io.pprocess;

import static io.pprocess.testing.Pools.causeOf;
import static io.pprocess.testing.Pools.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Pools;
import io.pprocess.testing.TrackedExecutors;
import io.pprocess.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool contract on the executor ({@link PProcess#executor(int, PoolOptions)}): a time
 * limit per task, retries, recycling, memory limits, a worker initialiser and progress.
 * Surefire runs this class once per transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorPoolContractTest {

    @RegisterExtension
    final TrackedExecutors executors = new TrackedExecutors();

    private ProcessExecutor executor(int processes, PoolOptions pool) {
        return executors.track(PProcess.executor(processes, pool));
    }

    @Test
    void aTaskOverItsTimeLimitFailsAloneAndItsWorkerIsReplaced() throws Exception {
        ProcessExecutor executor = executor(2, PoolOptions.defaults().itemTimeout(Duration.ofMillis(800)));
        CompletableFuture<Long> stuck = executor.submit(() -> {
            while (true) {
                Thread.onSpinWait();
            }
        });
        List<CompletableFuture<Long>> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            others.add(executor.submit(() -> ProcessHandle.current().pid()));
        }
        TimeLimitException e = (TimeLimitException) causeOf(stuck);
        assertThat(e.getMessage()).isEqualTo("child process " + e.pid()
                + " ran past the item time limit of 800 ms (itemTimeout) and was killed");
        assertThat(e.limit()).isEqualTo(Duration.ofMillis(800));
        assertThat(Procs.awaitGone(e.pid(), 5000)).isTrue();
        for (CompletableFuture<Long> f : others) {
            assertThat(f.get()).isPositive().isNotEqualTo(e.pid());
        }
        assertThat(executor.submit(() -> 7).get()).as("the executor goes on").isEqualTo(7);
    }

    @Test
    void aTaskWhoseWorkerDiedIsRunAgainAndAPoisonTaskFailsWithEveryAttempt(@TempDir Path dir) throws Exception {
        String marker = dir.resolve("first-attempt").toString();
        ProcessExecutor executor = executor(2, PoolOptions.defaults().retries(2));
        CompletableFuture<Integer> poison = executor.submit(() -> {
            Runtime.getRuntime().halt(9);
            return 0;
        });
        CompletableFuture<Integer> once = executor.submit(() -> {
            if (Files.notExists(Path.of(marker))) {
                Files.createFile(Path.of(marker));
                Runtime.getRuntime().halt(7);
            }
            return 42;
        });
        List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            others.add(executor.submit(() -> n * 10));
        }
        ChildProcessException e = (ChildProcessException) causeOf(poison);
        assertThat(e.exitStatus()).isEqualTo(9);
        assertThat(e.getSuppressed()).hasSize(2).allMatch(s -> s instanceof ChildProcessException
                && ((ChildProcessException) s).exitStatus() == 9);
        assertThat(once.get()).isEqualTo(42);
        for (int i = 0; i < 6; i++) {
            assertThat(others.get(i).get()).isEqualTo(i * 10);
        }
    }

    @Test
    void workersAreRecycledAfterTheirTasks() throws Exception {
        ProcessExecutor executor = executor(2, PoolOptions.defaults().recycleAfterItems(5));
        List<CompletableFuture<Long>> pids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pids.add(executor.submit(() -> ProcessHandle.current().pid()));
        }
        Map<Long, Long> perChild = new HashMap<>();
        for (CompletableFuture<Long> f : pids) {
            perChild.merge(f.get(), 1L, Long::sum);
        }
        assertThat(perChild.values()).allMatch(n -> n <= 5);
        assertThat(perChild).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void workersOlderThanTheAgeAreReplacedAndNoTaskIsLostOrRepeated() throws Exception {
        ProcessExecutor executor = executor(2, PoolOptions.defaults().recycleAfterAge(Duration.ofSeconds(1)));
        List<CompletableFuture<long[]>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long index = i;
            tasks.add(executor.submit(() -> {
                sleep(25);
                return new long[] {index, ProcessHandle.current().pid()};
            }));
        }
        Map<Long, Long> perChild = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            long[] r = tasks.get(i).get();
            assertThat(r[0]).as("task %d's own result", i).isEqualTo(i);
            perChild.merge(r[1], 1L, Long::sum);
        }
        assertThat(perChild).as("each of the 2 workers replaced once older than 1 s").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aTaskOverTheMemoryLimitsFailsSayingSo() throws Exception {
        ProcessExecutor executor = executor(1, PoolOptions.defaults().memoryLimit(300L << 20).heapLimit("600m"));
        CompletableFuture<Integer> hog = executor.submit(Pools::holdFourHundredMegabytes);
        MemoryLimitException e = (MemoryLimitException) causeOf(hog);
        assertThat(e.getMessage()).startsWith("child process " + e.pid() + " was killed by signal 9")
                .contains("passed the memory limit of 300 MiB (memoryLimit)");
        assertThat(executor.submit(() -> 1).get()).isEqualTo(1);

        List<String> before = PProcess.jvmOptions();
        List<String> quiet = new ArrayList<>(before);
        quiet.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"));
        PProcess.setJvmOptions(quiet.toArray(String[]::new));
        try {
            ProcessExecutor small = executor(1, PoolOptions.defaults().heapLimit("64m"));
            CompletableFuture<Integer> out = small.submit(() -> {
                List<long[]> held = new ArrayList<>();
                while (true) {
                    held.add(new long[1 << 20]);
                }
            });
            assertThat(causeOf(out)).isInstanceOf(MemoryLimitException.class)
                    .hasMessageContaining("exited with status 3")
                    .hasMessageContaining("out of memory: its heap passed the heap limit of 64m (heapLimit)");
        } finally {
            PProcess.setJvmOptions(before.toArray(String[]::new));
        }
    }

    @Test
    void theInitializerRunsOncePerWorkerAndTheTasksReadItsState() throws Exception {
        SerializableSupplier<String> init = () -> Long.toString(ProcessHandle.current().pid());
        ProcessExecutor executor = executor(2, PoolOptions.defaults().initializer(init));
        List<CompletableFuture<String>> states = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            states.add(executor.submit(() -> PProcess.<String>workerState() + "/" + ProcessHandle.current().pid()));
        }
        for (CompletableFuture<String> f : states) {
            String[] parts = f.get().split("/");
            assertThat(parts[0]).as("state made in the same worker").isEqualTo(parts[1]);
        }
    }

    @Test
    void aFailingInitializerFailsEveryTaskClearlyAndStartsNoMoreWorkers() throws Exception {
        SerializableSupplier<String> init = () -> {
            throw new IllegalStateException("no database");
        };
        ProcessExecutor executor = executor(1, PoolOptions.defaults().initializer(init));
        List<CompletableFuture<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(executor.submit(() -> 1));
        }
        for (CompletableFuture<Integer> f : tasks) {
            Throwable e = causeOf(f);
            assertThat(e).isInstanceOf(PProcessException.class)
                    .hasMessageStartingWith("the worker initializer failed in child process ")
                    .hasMessageContaining("java.lang.IllegalStateException: no database");
            assertThat(e.getCause()).isInstanceOf(RemoteException.class);
        }
        assertThat(causeOf(executor.submit(() -> 2))).as("a task submitted afterwards")
                .hasMessageStartingWith("the worker initializer failed");
    }

    @Test
    void progressCountsTheTasksAndEndsFinishedAtTermination() throws Exception {
        List<Progress> seen = new CopyOnWriteArrayList<>();
        ProcessExecutor executor = PProcess.executor(2, PoolOptions.defaults().progress(seen::add));
        List<CompletableFuture<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            tasks.add(executor.submit(() -> {
                if (n == 3) {
                    throw new IllegalArgumentException("three");
                }
                sleep(20);
                return n;
            }));
        }
        executor.close();
        assertThat(tasks.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isEqualTo(1);
        assertThat(Procs.eventually(5000, () -> !seen.isEmpty() && seen.get(seen.size() - 1).finished())).isTrue();
        Progress last = seen.get(seen.size() - 1);
        assertThat(last.done()).isEqualTo(19);
        assertThat(last.failed()).isEqualTo(1);
        assertThat(last.total()).isEqualTo(20);
        assertThat(seen.stream().filter(Progress::finished).collect(Collectors.toList())).hasSize(1);
    }

    @Test
    void optionsThatAreNotAnExecutorsAreRefusedByName() {
        assertThatThrownBy(() -> PProcess.executor(2, PoolOptions.defaults().deadline(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PoolOptions.deadline is");
        assertThatThrownBy(() -> PProcess.executor(2, PoolOptions.defaults().workers(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PoolOptions.workers(3) differs from the executor's 2 processes");
        assertThatThrownBy(() -> PProcess.executor(2, PoolOptions.defaults().recycleAboveHeap(1 << 20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PoolOptions.recycleAboveHeap is");
    }
}

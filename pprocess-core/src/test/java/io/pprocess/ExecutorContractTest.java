package io.pprocess;

import static io.pprocess.testing.Pools.causeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.TrackedExecutors;
import io.pprocess.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-backed {@code ExecutorService}. Surefire runs this class once per transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorContractTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final TrackedExecutors executors = new TrackedExecutors();

    private ProcessExecutor executor(int processes) {
        return executors.track(PProcess.executor(processes));
    }

    /** Waits (in the child) until {@code file} exists: a latch across processes. */
    private static void awaitFile(String file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(Path.of(file))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + file + " after 30 s");
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the child has written its pid to {@code file}, and returns it. */
    private static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String text = Files.exists(file) ? Files.readString(file).trim() : "";
            if (!text.isEmpty()) {
                return Long.parseLong(text);
            }
            assertThat(System.nanoTime()).as("no pid in " + file + " after 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void submitRunsALambdaInAWorkerProcessAndReusesTheWorkers() throws Exception {
        ProcessExecutor executor = executor(2);
        Future<Integer> answer = executor.submit(() -> 6 * 7);
        assertThat(answer.get()).isEqualTo(42);

        List<Future<Long>> pids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pids.add(executor.submit(() -> ProcessHandle.current().pid()));
        }
        Set<Long> seen = new HashSet<>();
        for (Future<Long> f : pids) {
            seen.add(f.get());
        }
        assertThat(seen).hasSizeBetween(1, 2).doesNotContain(ProcessHandle.current().pid());
    }

    @Test
    void capturedValuesAreCopiedAndResultsComeBackInOrder() throws Exception {
        ProcessExecutor executor = executor(2);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            List<Integer> captured = List.of(n, n + 1);
            futures.add(executor.submit(() -> n + ":" + (captured.get(0) + captured.get(1))));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get()).isEqualTo(i + ":" + (2 * i + 1));
        }
    }

    @Test
    void runnablesCompleteWithNullOrTheGivenResult() throws Exception {
        ProcessExecutor executor = executor(1);
        Path marker = dir.resolve("ran");
        String file = marker.toString();
        CompletableFuture<?> done = executor.submit((SerializableRunnable) () -> {
            try {
                Files.writeString(Path.of(file), "yes");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(done.get()).isNull();
        assertThat(marker).hasContent("yes");
        Future<String> withResult = executor.submit((Runnable & java.io.Serializable) () -> { }, "given");
        assertThat(withResult.get()).isEqualTo("given");
    }

    @Test
    void aThrowingTaskFailsItsFutureWithTheRemoteException() throws InterruptedException {
        ProcessExecutor executor = executor(1);
        Future<Object> failing = executor.submit(() -> {
            throw new IllegalStateException("no such thing");
        });
        assertThatThrownBy(failing::get)
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RemoteException.class)
                .hasMessageContaining("java.lang.IllegalStateException")
                .hasMessageContaining("no such thing");
        RemoteException remote = (RemoteException) causeOf(failing);
        assertThat(remote.isInstanceOf(IllegalStateException.class)).isTrue();
        assertThat(remote.pid()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aTaskThatKillsItsJvmFailsOnlyItsOwnFutureAndTheExecutorKeepsWorking() throws Exception {
        ProcessExecutor executor = executor(2);
        List<Future<Integer>> before = IntStream.range(0, 50).mapToObj(i -> executor.submit(() -> i))
                .collect(Collectors.toList());
        Future<Integer> dies = executor.submit(() -> {
            Runtime.getRuntime().halt(7);
            return -1;
        });
        List<Future<Integer>> after = IntStream.range(0, 50).mapToObj(i -> executor.submit(() -> 100 + i))
                .collect(Collectors.toList());

        assertThatThrownBy(dies::get)
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ChildProcessException.class)
                .hasMessageContaining("exited with status 7");
        assertThat(((ChildProcessException) causeOf(dies)).exitStatus()).isEqualTo(7);
        for (int i = 0; i < 50; i++) {
            assertThat(before.get(i).get()).isEqualTo(i);
            assertThat(after.get(i).get()).isEqualTo(100 + i);
        }
        assertThat(executor.submit(() -> "still here").get()).isEqualTo("still here");
    }

    @Test
    void cancelWithInterruptEndsTheChildRunningTheTask() throws Exception {
        ProcessExecutor executor = executor(1);
        String pidFile = dir.resolve("pid").toString();
        Future<Object> endless = executor.submit(() -> {
            Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(120_000);
            return null;
        });
        long pid = awaitPid(Path.of(pidFile));
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        assertThat(child).isPresent();

        assertThat(endless.cancel(true)).isTrue();

        // A child spawned by jnr (the pipe transport) is a zombie until its reaper waits for it.
        assertThat(Procs.awaitGone(pid, 20_000)).as("child %d ended", pid).isTrue();
        assertThat(endless.isCancelled()).isTrue();
        assertThatThrownBy(endless::get).isInstanceOf(CancellationException.class);
        assertThat(executor.submit(() -> ProcessHandle.current().pid()).get()).isNotEqualTo(pid);
    }

    @Test
    void aCancelledTaskSentAheadToAWorkerIsSkippedThere() throws Exception {
        ProcessExecutor executor = executor(1);
        Path release = dir.resolve("release");
        String releaseFile = release.toString();
        String markers = dir.toString();
        List<Future<Integer>> futures = new ArrayList<>();
        futures.add(executor.submit(() -> {
            awaitFile(releaseFile);
            return 0;
        }));
        for (int i = 1; i < 20; i++) {
            int n = i;
            futures.add(executor.submit(() -> {
                Files.writeString(Path.of(markers, "ran-" + n), "");
                return n;
            }));
        }
        assertThat(futures.get(5).cancel(true)).isTrue();
        assertThat(futures.get(15).cancel(false)).isTrue();
        Files.writeString(release, "");
        for (int i = 0; i < 20; i++) {
            if (i == 5 || i == 15) {
                assertThat(futures.get(i).isCancelled()).isTrue();
            } else {
                assertThat(futures.get(i).get()).isEqualTo(i);
            }
        }
        assertThat(executor.submit(() -> "after").get()).isEqualTo("after");
        assertThat(dir.resolve("ran-5")).doesNotExist();
        assertThat(dir.resolve("ran-15")).doesNotExist();
        assertThat(dir.resolve("ran-6")).exists();
    }

    @Test
    void invokeAllAndInvokeAny() throws Exception {
        ProcessExecutor executor = executor(2);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            tasks.add((SerializableCallable<Integer>) () -> n * n);
        }
        List<Future<Integer>> all = executor.invokeAll(tasks);
        assertThat(all).allMatch(Future::isDone);
        for (int i = 0; i < 10; i++) {
            assertThat(all.get(i).get()).isEqualTo(i * i);
        }

        SerializableCallable<Integer> fails = () -> {
            throw new ArithmeticException("bad");
        };
        SerializableCallable<Integer> works = () -> 5;
        assertThat(executor.invokeAny(List.of(fails, works))).isEqualTo(5);
        assertThatThrownBy(() -> executor.invokeAny(List.of(fails, fails)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RemoteException.class).hasMessageContaining("bad");

        SerializableCallable<Integer> slow = () -> {
            Thread.sleep(60_000);
            return 1;
        };
        List<Future<Integer>> timed = executor.invokeAll(List.of(works, slow), 2, TimeUnit.SECONDS);
        assertThat(timed.get(0).get()).isEqualTo(5);
        assertThat(timed.get(1).isCancelled()).isTrue();
        assertThat(executor.submit(() -> 9).get(20, TimeUnit.SECONDS)).isEqualTo(9);
    }

    @Test
    void aTaskThatCannotBeSerialisedFailsAtSubmitNamingItsClass() {
        ProcessExecutor executor = executor(1);
        Thread thread = new Thread(() -> { });
        assertThatThrownBy(() -> executor.submit(() -> thread.getName()))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("cannot serialise the task submitted (lambda "
                        + ExecutorContractTest.class.getName() + ".lambda$")
                .hasMessageContaining("java.lang.Thread");
        Callable<String> plain = () -> "x";
        assertThatThrownBy(() -> executor.submit(plain))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("SerializableCallable");
        assertThat(executor.toString()).contains("0 queued");
    }

    @Test
    void shutdownFinishesQueuedTasksRefusesNewOnesAndTerminates() throws Exception {
        ProcessExecutor executor = executor(2);
        List<Future<Integer>> queued = IntStream.range(0, 100).mapToObj(i -> executor.submit(() -> i))
                .collect(Collectors.toList());
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut down");
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(queued.get(i).get()).isEqualTo(i);
        }
    }

    @Test
    void shutdownNowKillsTheRunningTaskAndReturnsTheQueuedOnes() throws Exception {
        ProcessExecutor executor = executor(1);
        String pidFile = dir.resolve("pid").toString();
        Future<Object> running = executor.submit(() -> {
            Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(120_000);
            return null;
        });
        long pid = awaitPid(Path.of(pidFile));
        List<Future<Integer>> queued = IntStream.range(0, 3).mapToObj(i -> executor.submit(() -> i))
                .collect(Collectors.toList());

        List<Runnable> never = executor.shutdownNow();

        assertThat(never).hasSize(3);
        assertThat(queued).allMatch(Future::isCancelled);
        assertThat(executor.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        assertThat(running.isCancelled()).isTrue();
        assertThat(Procs.awaitGone(pid, 20_000)).as("child %d ended", pid).isTrue();
    }

    @Test
    void closeWaitsForTheQueuedTasks() throws Exception {
        CompletableFuture<Integer> last;
        try (ProcessExecutor executor = PProcess.executor(2)) {
            last = executor.submit(() -> {
                Thread.sleep(300);
                return 3;
            }).thenApply(x -> x + 1);
        }
        assertThat(last.isDone()).isTrue();
        assertThat(last.get()).isEqualTo(4);
    }

    @Test
    void futuresAreCompletableFutures() throws Exception {
        ProcessExecutor executor = executor(2);
        CompletableFuture<Integer> a = executor.submit(() -> 20);
        CompletableFuture<Integer> b = executor.submit(() -> 22);
        assertThat(a.thenCombine(b, Integer::sum).get(20, TimeUnit.SECONDS)).isEqualTo(42);
        CompletableFuture<Object> failed = executor.submit(() -> {
            throw new java.io.IOException("disk");
        });
        assertThat(failed.handle((v, e) -> e.getMessage()).get()).contains("java.io.IOException").contains("disk");
    }

    @Test
    void pmapAndQueueResultsStream() {
        try (MapExchange<Integer> squares = PProcess.pmap((Integer x) -> x * x, List.of(1, 2, 3, 4), 2)) {
            assertThat(squares.stream().collect(Collectors.toList())).containsExactly(1, 4, 9, 16);
        }
        try (QueueExchange<Integer> queue = new QueueExchange<>(ExchangeOptions.defaults().limit(2))) {
            for (int i = 0; i < 4; i++) {
                queue.start((Channel c, Integer n) -> c.send(n * 10), i);
            }
            assertThat(queue.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
        }
    }
}

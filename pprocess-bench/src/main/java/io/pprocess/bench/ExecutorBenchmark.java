package io.pprocess.bench;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import io.pprocess.ProcessExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: what a task on the process-backed {@code ExecutorService} costs.
 *
 * <p>{@link #submitGet} is one {@code submit(() -> x + 1).get()} on a warm
 * {@code PProcess.executor(2)}; its baseline, {@link #channelRoundTrip}, is an acknowledged
 * {@code send} + {@code receive} of an {@code Integer} to an echoing child started with
 * {@code PProcess.start}, in the same fork. {@link #tasksWarm} submits 20,000 such tasks and
 * then collects every result, on the warm executor (score: tasks/s). {@link #tasksFirstCall} is
 * the same on a new executor in a fresh JVM: each fork measures one call, its workers' start
 * included (score: s per task; tasks/s is its inverse). Every result is checked.
 *
 * <p>Run: {@code java -jar pprocess-bench/target/benchmarks.jar Executor -f 1 -wi 3 -i 5}
 * (the first-call benchmark makes its own forks).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorBenchmark {

    /** How many tasks one throughput operation submits. */
    static final int TASKS = 20_000;

    /** A warm executor of two workers. */
    @State(Scope.Benchmark)
    public static class Warm {
        ProcessExecutor executor;

        /**
         * Starts the workers and warms them up.
         *
         * @throws Exception if a task fails
         */
        @Setup(Level.Trial)
        public void start() throws Exception {
            executor = PProcess.executor(2);
            collect(submitAll(executor, TASKS), TASKS);
        }

        /** Ends the workers. */
        @TearDown(Level.Trial)
        public void stop() {
            executor.close();
        }
    }

    /** A child echoing every value it receives, the channel baseline. */
    @State(Scope.Benchmark)
    public static class Echo {
        Channel channel;

        /** Starts the child. */
        @Setup(Level.Trial)
        public void start() {
            channel = PProcess.start(c -> {
                while (true) {
                    Object v = c.receive();
                    if (v == null) {
                        return;
                    }
                    c.send(v);
                }
            });
        }

        /** Ends the child. */
        @TearDown(Level.Trial)
        public void stop() {
            channel.send(null);
            channel.close();
        }
    }

    private int next;

    /**
     * The baseline: an acknowledged send and receive of an {@code Integer}.
     *
     * @param echo the child
     * @return the echo
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int channelRoundTrip(Echo echo) {
        int x = next++;
        echo.channel.send(x);
        int back = echo.channel.receive();
        if (back != x) {
            throw new IllegalStateException("echo of " + x + " was " + back);
        }
        return back;
    }

    /**
     * One task's round trip on a warm executor.
     *
     * @param warm the executor
     * @return the result
     * @throws Exception if the task fails
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int submitGet(Warm warm) throws Exception {
        int x = next++;
        int back = warm.executor.submit(() -> x + 1).get();
        if (back != x + 1) {
            throw new IllegalStateException("task " + x + " gave " + back);
        }
        return back;
    }

    /**
     * 20,000 tasks submitted, then collected, on a warm executor.
     *
     * @param warm the executor
     * @return the sum of the results
     * @throws Exception if a task fails
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TASKS)
    public long tasksWarm(Warm warm) throws Exception {
        return collect(submitAll(warm.executor, TASKS), TASKS);
    }

    /**
     * 20,000 tasks on a new executor, the first call of a fresh JVM: workers started, nothing
     * compiled yet.
     *
     * @return the sum of the results
     * @throws Exception if a task fails
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TASKS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public long tasksFirstCall() throws Exception {
        try (ProcessExecutor executor = PProcess.executor(2)) {
            return collect(submitAll(executor, TASKS), TASKS);
        }
    }

    static List<Future<Integer>> submitAll(ProcessExecutor executor, int tasks) {
        List<Future<Integer>> futures = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            int x = i;
            futures.add(executor.submit(() -> x + 1));
        }
        return futures;
    }

    static long collect(List<Future<Integer>> futures, int tasks) throws InterruptedException, ExecutionException {
        long sum = 0;
        for (Future<Integer> f : futures) {
            sum += f.get();
        }
        long expected = (long) tasks * (tasks + 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("tasks summed to " + sum + ", not " + expected);
        }
        return sum;
    }
}

package io.pprocess.bench;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Lesson: what starting a child costs, cold and with a spare waiting, next to a bare JVM start.
 *
 * <p>Each measurement is one start (single-shot time; read the median). {@link #bareJvm}, the
 * baseline, runs {@code java -cp <this class path> io.pprocess.bench.Hello} with no option and
 * waits for it to exit. {@link #coldStart} is {@code PProcess.start(c -> c.send(1))} followed by
 * the parent's {@code receive()}: spawn, connect, task sent, task run, first message back.
 * {@link #spareStart} is the same with {@code PProcess.keepSpares(1)} and a spare already
 * connected and prepared before the measurement (waiting for it is the per-invocation setup,
 * which is the point here); its task sends the time it began, and the median from
 * {@code start} to the task running is printed at the end of the trial (the score, up to the
 * first message back, bounds it from above). Its 100 warm-up starts are what a program that
 * starts tasks of one kind repeatedly has done; the spares after the first are prepared for
 * that kind. Children inherit nothing from the JMH fork but the class path and
 * {@code pprocess.jvmOptions}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 40)
@Fork(1)
public class StartBenchmark {

    /** The child started by one invocation, reaped after it. */
    @State(Scope.Thread)
    public static class Started {
        Channel channel;

        /**
         * Waits for the child of the last invocation to exit and checks its status.
         *
         * @throws IllegalStateException if it did not exit with status 0
         */
        @TearDown(Level.Invocation)
        public void reap() {
            if (channel == null) {
                return;
            }
            try {
                OptionalInt status = channel.waitFor(Duration.ofSeconds(10));
                if (status.isEmpty() || status.getAsInt() != 0) {
                    throw new IllegalStateException("child " + channel.pid() + " ended with "
                            + (status.isEmpty() ? "no exit within 10 s" : "status " + status.getAsInt()));
                }
            } finally {
                channel.close();
                channel = null;
            }
        }
    }

    /** No spares: every start is a JVM start. */
    @State(Scope.Thread)
    public static class Cold extends Started {
        /** Keeps no spares. */
        @Setup(Level.Trial)
        public void noSpares() {
            PProcess.keepSpares(0);
        }
    }

    /**
     * One spare, ready before every measured start. It also notes, for each measured start, how
     * long after {@code start} was called the task began in the child (both ends read the same
     * monotonic clock), and prints their median at the end of the trial.
     */
    @State(Scope.Thread)
    public static class Spare extends Started {
        final List<Long> toTaskNanos = new ArrayList<>();
        long calledAt;

        /** Keeps one spare. */
        @Setup(Level.Trial)
        public void keepOne() {
            PProcess.keepSpares(1);
        }

        boolean warmingUp = true;

        /**
         * Notes whether the coming iteration is a warm-up one, whose starts are not counted.
         *
         * @param params JMH's view of the iteration
         */
        @Setup(Level.Iteration)
        public void noteIteration(IterationParams params) {
            warmingUp = params.getType() == IterationType.WARMUP;
        }

        /**
         * Waits until the spare is connected.
         *
         * @throws InterruptedException if interrupted
         */
        @Setup(Level.Invocation)
        public void awaitSpare() throws InterruptedException {
            SpareWait.awaitReady(1);
        }

        /** Stops keeping spares and prints the median time to the task running. */
        @TearDown(Level.Trial)
        public void noSpares() {
            PProcess.keepSpares(0);
            if (!toTaskNanos.isEmpty()) {
                List<Long> sorted = new ArrayList<>(toTaskNanos);
                Collections.sort(sorted);
                System.out.printf("%nspareStart: start to task running in the child: median %.3f ms over %d starts%n",
                        sorted.get(sorted.size() / 2) / 1e6, sorted.size());
            }
        }
    }

    /**
     * The baseline: a bare JVM start and exit.
     *
     * @return the exit status
     * @throws IOException if the JVM cannot be started
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public int bareJvm() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(Hello.class))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = p.waitFor();
        if (status != 0 || !out.strip().equals("hello")) {
            throw new IllegalStateException("Hello exited with status " + status + " and printed '" + out + "'");
        }
        return status;
    }

    /**
     * A child started with no spare, up to its first message.
     *
     * @param s where the child is kept for reaping
     * @return the child's message
     */
    @Benchmark
    public int coldStart(Cold s) {
        return startAndReceive(s);
    }

    /**
     * A child taken from the spares, up to its first message.
     *
     * @param s where the child is kept for reaping
     * @return the child's message
     */
    @Benchmark
    @Warmup(iterations = 100)
    public long spareStart(Spare s) {
        s.calledAt = System.nanoTime();
        s.channel = PProcess.start(c -> c.send(System.nanoTime()));
        Long began = s.channel.receive();
        if (began == null || began < s.calledAt) {
            throw new IllegalStateException("child " + s.channel.pid() + " sent " + began
                    + ", not the time its task began");
        }
        if (!s.warmingUp) {
            s.toTaskNanos.add(began - s.calledAt);
        }
        return began;
    }

    private static int startAndReceive(Started s) {
        s.channel = PProcess.start(c -> c.send(1));
        Integer first = s.channel.receive();
        if (first == null || first != 1) {
            throw new IllegalStateException("child " + s.channel.pid() + " sent " + first + " instead of 1");
        }
        return first;
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Start -f 1 -wi 5 -i 40
// read the p(50) line of each benchmark: the median start.

package io.pprocess.bench;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.PProcess;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: what the acknowledgement costs a stream of small messages.
 *
 * <p>Both benchmarks send {@value #BATCH} {@code Integer}s to a child running {@link #sink},
 * then ask it for the sum of what it received and check it; the score is messages per second.
 * {@link #acknowledged}, the baseline, waits for each message to be read ({@link Channel#send});
 * {@link #unacknowledged} does not ({@link Channel#sendUnacknowledged}), so the parent writes
 * while the child reads.
 *
 * <p>As in {@link RoundTripBenchmark}, each transport needs its own fork.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamBenchmark.BATCH)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StreamBenchmark {

    /** Messages per invocation. */
    static final int BATCH = 1000;
    /** Asks {@link #sink} for the sum of the values received since the last report. */
    static final String REPORT = "report";
    /** Tells {@link #sink} to return, ending its child. */
    static final String STOP = "stop";
    private static final long EXPECTED_SUM = (long) BATCH * (BATCH - 1) / 2;

    /** The pprocess transport. */
    @Param({"socket", "pipe"})
    public String transport;

    Channel channel;

    /** Starts the receiving child. */
    @Setup(Level.Trial)
    public void start() {
        TransportChoice.use(transport);
        channel = PProcess.start(StreamBenchmark::sink);
        TransportChoice.verify(transport);
    }

    /**
     * Stops the child and checks that it ended cleanly.
     *
     * @throws IllegalStateException if it did not exit with status 0
     */
    @TearDown(Level.Trial)
    public void stop() {
        Stopping.stop(channel, STOP, "sink child");
    }

    /**
     * The baseline: every message acknowledged.
     *
     * @return the child's sum
     */
    @Benchmark
    public long acknowledged() {
        for (int i = 0; i < BATCH; i++) {
            channel.send(i);
        }
        channel.send(REPORT);
        return checkSum(channel.receive());
    }

    /**
     * No message acknowledged.
     *
     * @return the child's sum
     */
    @Benchmark
    public long unacknowledged() {
        for (int i = 0; i < BATCH; i++) {
            channel.sendUnacknowledged(i);
        }
        channel.sendUnacknowledged(REPORT);
        return checkSum(channel.receive());
    }

    private static long checkSum(Long sum) {
        if (sum == null || sum != EXPECTED_SUM) {
            throw new IllegalStateException("the child summed " + sum + " but " + EXPECTED_SUM + " was sent");
        }
        return sum;
    }

    /**
     * The child's side: adds up the integers it receives and sends the sum on {@link #REPORT}.
     *
     * @param c the child's end of the channel
     */
    static void sink(Channel c) {
        long sum = 0;
        try {
            while (true) {
                Object x = c.receive();
                if (x instanceof Integer) {
                    sum += (Integer) x;
                } else if (REPORT.equals(x)) {
                    c.send(sum);
                    sum = 0;
                } else if (STOP.equals(x)) {
                    return;
                } else {
                    throw new IllegalArgumentException("sink received an unexpected " + x);
                }
            }
        } catch (ChannelException e) {
            // The parent closed the channel.
        }
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Stream -f 1 -wi 3 -i 5

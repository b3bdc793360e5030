package io.pprocess.bench;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: large messages cost time in proportion to their size, next to the raw socket.
 *
 * <p>{@link #channel} sends a {@code byte[]} of {@code megabytes} MiB with the acknowledged
 * {@link Channel#send} to a child running {@link RoundTripBenchmark#echo}, and receives the
 * echo: one operation moves the array twice. {@link #rawSocket}, the baseline, moves the same
 * bytes there and back, length-prefixed, over a bare JDK AF_UNIX socket to {@link RawEcho}.
 * Each operation is one shot (seconds, not microseconds); the figure to read is the time per
 * megabyte across the sizes, which stays flat when the cost is linear.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class LargeMessageBenchmark {

    /** A pprocess child echoing every value it receives. */
    @State(Scope.Benchmark)
    public static class EchoChild {
        /** The pprocess transport. */
        @Param({"socket", "pipe"})
        public String transport;

        /** The payload length in MiB. */
        @Param({"50", "100", "200"})
        public int megabytes;

        byte[] payload;
        Channel channel;

        /** Starts the echoing child. */
        @Setup(Level.Trial)
        public void start() {
            TransportChoice.use(transport);
            payload = Payloads.of(megabytes << 20);
            channel = PProcess.start(RoundTripBenchmark::echo);
            TransportChoice.verify(transport);
        }

        /** Stops the child and checks that it ended cleanly. */
        @TearDown(Level.Trial)
        public void stop() {
            Stopping.stop(channel, RoundTripBenchmark.STOP, "echo child");
        }
    }

    /** A plain child JVM echoing length-prefixed bytes over an AF_UNIX socket. */
    @State(Scope.Benchmark)
    public static class RawChild {
        /** The payload length in MiB. */
        @Param({"50", "100", "200"})
        public int megabytes;

        RawEcho.Connection raw;
        Process process;
        SocketChannel socket;
        ByteBuffer outgoing;
        ByteBuffer header;
        ByteBuffer body;
        byte[] payload;

        /**
         * Starts {@link RawEcho} and accepts its connection.
         *
         * @throws IOException if the socket cannot be set up
         * @throws InterruptedException if interrupted while waiting for the child
         */
        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            int size = megabytes << 20;
            payload = Payloads.of(size);
            outgoing = ByteBuffer.allocateDirect(4 + size);
            outgoing.putInt(size).put(payload).flip();
            header = ByteBuffer.allocateDirect(4);
            body = ByteBuffer.allocateDirect(size);
            raw = RawEcho.Connection.start();
            process = raw.process;
            socket = raw.socket;
        }

        /**
         * Closes the connection, which ends the child.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException {
            raw.close();
        }
    }

    /**
     * One acknowledged send of the array and one receive of its echo.
     *
     * @param s the echoing child
     * @return the echo
     */
    @Benchmark
    public byte[] channel(EchoChild s) {
        s.channel.send(s.payload);
        byte[] echoed = s.channel.receive();
        Payloads.checkEcho(s.payload, echoed);
        return echoed;
    }

    /**
     * The baseline: the same bytes there and back over a bare AF_UNIX socket.
     *
     * @param s the raw echoing child
     * @return the last byte of the echo
     * @throws IOException if the connection fails
     */
    @Benchmark
    public byte rawSocket(RawChild s) throws IOException {
        s.outgoing.rewind();
        while (s.outgoing.hasRemaining()) {
            s.socket.write(s.outgoing);
        }
        s.header.clear();
        s.body.clear();
        if (!RawEcho.readFully(s.socket, s.header) || !RawEcho.readFully(s.socket, s.body)) {
            throw new IllegalStateException("RawEcho child " + s.process.pid() + " closed the connection");
        }
        int last = s.payload.length - 1;
        if (s.header.getInt(0) != s.payload.length || s.body.get(last) != s.payload[last]) {
            throw new IllegalStateException("the echo of " + s.payload.length + " bytes differs");
        }
        return s.body.get(last);
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar LargeMessage -f 1 -wi 1 -i 3
// one transport or size only:
//   java -jar pprocess-bench/target/benchmarks.jar LargeMessage -p transport=socket -p megabytes=50

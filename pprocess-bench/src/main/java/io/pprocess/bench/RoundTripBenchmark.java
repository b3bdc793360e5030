package io.pprocess.bench;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
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
 * Lesson: what a channel round trip costs, next to the raw socket it runs on.
 *
 * <p>{@link #channel} sends a {@code byte[]} with the acknowledged {@link Channel#send} and
 * reads the echo with {@link Channel#receive}; the child runs {@link #echo}. One operation is
 * therefore two Kryo frames and two acknowledgements. {@link #rawSocket}, the baseline, does
 * the same ping-pong with a 4-byte length prefix over a JDK AF_UNIX {@link SocketChannel} to a
 * plain child JVM running {@link RawEcho}: no codec, no acknowledgement. The difference is
 * what pprocess adds. Both children are started once per trial; every operation checks the
 * echo's length and sampled bytes.
 *
 * <p>The transport parameter sets {@code pprocess.transport}, which pprocess reads once per
 * JVM, so each transport needs its own fork (JMH forks per parameter combination; do not use
 * {@code -f 0}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTripBenchmark {

    /** Tells {@link #echo} to return, ending its child. */
    static final String STOP = "stop";

    /** A pprocess child echoing every value it receives. */
    @State(Scope.Benchmark)
    public static class EchoChild {
        /** The pprocess transport. */
        @Param({"socket", "pipe"})
        public String transport;

        /** The payload length in bytes. */
        @Param({"8", "1024", "65536", "1048576"})
        public int size;

        byte[] payload;
        Channel channel;

        /** Starts the echoing child. */
        @Setup(Level.Trial)
        public void start() {
            TransportChoice.use(transport);
            payload = Payloads.of(size);
            channel = PProcess.start(RoundTripBenchmark::echo);
            TransportChoice.verify(transport);
        }

        /**
         * Stops the child and checks that it ended cleanly.
         *
         * @throws IllegalStateException if it did not exit with status 0
         */
        @TearDown(Level.Trial)
        public void stop() {
            Stopping.stop(channel, STOP, "echo child");
        }
    }

    /** A plain child JVM echoing length-prefixed bytes over an AF_UNIX socket. */
    @State(Scope.Benchmark)
    public static class RawChild {
        /** The payload length in bytes. */
        @Param({"8", "1024", "65536", "1048576"})
        public int size;

        RawEcho.Connection raw;
        Process process;
        SocketChannel socket;
        ByteBuffer[] outgoing;
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
            payload = Payloads.of(size);
            ByteBuffer out = ByteBuffer.allocateDirect(4 + size);
            out.putInt(size).put(payload).flip();
            outgoing = new ByteBuffer[] {out};
            header = ByteBuffer.allocateDirect(4);
            body = ByteBuffer.allocateDirect(size);

            raw = RawEcho.Connection.start();
            process = raw.process;
            socket = raw.socket;
        }

        /**
         * Closes the connection, which ends the child, and checks its exit status.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException {
            raw.close();
        }
    }

    /**
     * One acknowledged send and one receive of the echo.
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
        ByteBuffer out = s.outgoing[0];
        out.rewind();
        while (out.hasRemaining()) {
            s.socket.write(s.outgoing);
        }
        s.header.clear();
        s.body.clear();
        if (!RawEcho.readFully(s.socket, s.header) || !RawEcho.readFully(s.socket, s.body)) {
            throw new IllegalStateException("RawEcho child " + s.process.pid() + " closed the connection");
        }
        int length = s.header.getInt(0);
        int last = s.payload.length - 1;
        if (length != s.payload.length || s.body.get(0) != s.payload[0] || s.body.get(last) != s.payload[last]) {
            throw new IllegalStateException("sent " + s.payload.length + " bytes but the echo differs (length "
                    + length + ")");
        }
        return s.body.get(last);
    }

    /**
     * The child's side: echoes every value until {@link #STOP} or the end of the channel.
     *
     * @param c the child's end of the channel
     */
    static void echo(Channel c) {
        try {
            while (true) {
                Object x = c.receive();
                if (STOP.equals(x)) {
                    return;
                }
                c.send(x);
            }
        } catch (ChannelException e) {
            // The parent closed the channel: nothing is left to echo.
        }
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar RoundTrip -f 1 -wi 3 -i 5
// one transport or size only:
//   java -jar pprocess-bench/target/benchmarks.jar RoundTrip -p transport=socket -p size=8

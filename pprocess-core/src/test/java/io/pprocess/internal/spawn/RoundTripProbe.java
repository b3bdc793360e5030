package io.pprocess.internal.spawn;

import io.pprocess.Channel;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.child.ChildMain;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints the time of {@code send} and {@code receive} of a small {@code Integer} with a child,
 * on the socket and the pipe transports: a quick look, not a benchmark (see pprocess-bench).
 *
 * <p>Run after {@code mvn -pl pprocess-core test-compile}, from {@code pprocess-core}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     io.pprocess.internal.spawn.RoundTripProbe [iterations] [rounds]
 * </pre>
 * where {@code cp.txt} comes from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class RoundTripProbe {

    private RoundTripProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the iterations per measurement (20000) and the rounds per transport (3)
     * @throws Exception if a child cannot be started or fails
     */
    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Transport> transports = List.of(new SocketTransport(), new PipeTransport());
        for (int round = 0; round < rounds; round++) {
            for (Transport transport : transports) {
                measure(transport, iterations);
            }
        }
    }

    static void echo(Channel channel) {
        while (true) {
            Integer x = channel.receive();
            if (x < 0) {
                return;
            }
            channel.send(x);
        }
    }

    private static void measure(Transport transport, int iterations) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName());
        Map<String, String> env = Map.of(Launcher.ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()),
                Transports.ENV_CHILD_TRANSPORT, transport.name());
        Spawned spawned = transport.spawn(command, env, 60_000);
        FrameChannel channel = new FrameChannel(spawned.link(), spawned.process());
        try {
            ChildFixtures.sendTask(channel, RoundTripProbe::echo);
            long[] times = new long[iterations];
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < iterations; i++) {
                    long start = System.nanoTime();
                    channel.send(i);
                    Integer back = channel.receive();
                    times[i] = System.nanoTime() - start;
                    if (back != i) {
                        throw new IllegalStateException("sent " + i + ", received " + back);
                    }
                }
            }
            channel.send(-1);
            long total = Arrays.stream(times).sum();
            Arrays.sort(times);
            System.out.printf("%-6s send+receive of an Integer: median %.1f us, p90 %.1f us, mean %.1f us"
                            + " (%d iterations after as many to warm up)%n",
                    transport.name(), times[iterations / 2] / 1e3, times[iterations * 9 / 10] / 1e3,
                    total / 1e3 / iterations, iterations);
        } finally {
            channel.close();
            spawned.process().waitFor(10_000);
        }
    }
}

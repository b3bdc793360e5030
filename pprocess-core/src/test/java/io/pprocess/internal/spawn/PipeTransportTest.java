package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.Channel;
import io.pprocess.ChannelTask;
import io.pprocess.ChildProcessException;
import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.transport.ChildPipes;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.transport.PipeFixtures;
import io.pprocess.testing.Procs;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipe transport with real children: Java children running {@code ChildMain} where the
 * channel protocol matters, shell children where only the pipes and the process do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeTransportTest {
    /** Copies its input to its output until end of stream, then exits 0. */
    private static final List<String> ECHO = ChildFixtures.shell("exec cat <&3 >&4");

    private static PipeTransport transport;

    @BeforeAll
    static void load() throws IOException, InterruptedException {
        // Several tests count this JVM's descriptors: no child of an earlier test may end
        // (and close its channel) in the middle of a count.
        Procs.endChildrenOfEarlierTests();
        transport = new PipeTransport();
    }

    /** What a child sees of its own descriptors. */
    record DescriptorReport(TreeMap<Integer, String> targets, boolean jnrLoaded) {
    }

    static void reportDescriptors(Channel channel) throws IOException {
        TreeMap<Integer, String> targets = new TreeMap<>();
        for (String name : new File("/proc/self/fd").list()) {
            try {
                targets.put(Integer.parseInt(name), Files.readSymbolicLink(Path.of("/proc/self/fd", name)).toString());
            } catch (IOException e) {
                // The descriptor that listed the directory, closed since.
            }
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        channel.send(new DescriptorReport(targets, maps.contains("jffi")));
    }

    private static FrameChannel startJava(ChannelTask task) throws IOException {
        Spawned spawned = transport.spawn(ChildFixtures.javaChild(), ChildFixtures.javaChildEnvironment(), 30_000);
        FrameChannel channel = new FrameChannel(spawned.link(), spawned.process());
        ChildFixtures.sendTask(channel, task);
        return channel;
    }

    private static String readAll(Link link) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (link.read(buffer) >= 0) {
            text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            buffer.clear();
        }
        return text.toString();
    }

    @Test
    void isNamedPipe() {
        assertThat(transport.name()).isEqualTo("pipe");
    }

    @Test
    void roundTripThroughChildMain() throws Exception {
        FrameChannel channel = startJava(c -> {
            int x = c.receive();
            c.send(x * 2);
        });
        try {
            channel.send(21);
            int doubled = channel.receive();
            assertThat(doubled).isEqualTo(42);
            assertThat(channel.waitFor(java.time.Duration.ofSeconds(20))).hasValue(0);
        } finally {
            channel.close();
        }
    }

    @Test
    void childThatEndsBeforeGreetingFailsTheSpawnWithItsStatus() throws Exception {
        int before = Procs.openFds();
        assertThatThrownBy(() -> transport.spawn(ChildFixtures.shell("exit 3"), Map.of(), 30_000))
                .isInstanceOfSatisfying(ChildStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(3))
                .hasMessageEndingWith(" exited with status 3 before connecting");
        assertThat(Procs.openFds()).isEqualTo(before);
    }

    @Test
    void childThatNeverGreetsIsKilledAfterTheTimeout() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> transport.spawn(ChildFixtures.shell("exec cat <&3 >/dev/null"),
                Map.of(), 300))
                .isInstanceOf(IOException.class)
                .hasMessageMatching("child process \\d+ did not greet within 300 ms \\(pprocess.connectTimeoutMillis\\)");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 5000L);
        assertThat(Procs.eventually(5000, () -> zombiesAtMost(0))).isTrue();
    }

    @Test
    void childThatGreetsWronglyFailsTheSpawn() {
        assertThatThrownBy(() -> transport.spawn(
                ChildFixtures.shell("printf 'this is not a pprocess greeting' >&4; exec cat <&3 >/dev/null"),
                Map.of(), 30_000))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(" did not greet as a pprocess child: its first bytes were not a HELLO frame"
                        + " with its token");
    }

    @Test
    void javaChildWithABadOptionFailsTheSpawnWithItsStatus() {
        List<String> java = new ArrayList<>(ChildFixtures.javaChild());
        java.add(1, "-XX:+ThisOptionDoesNotExist");
        // The java launcher's complaint about the option goes to /dev/null, not the build log.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "sh"));
        command.addAll(java);
        assertThatThrownBy(() -> transport.spawn(command, ChildFixtures.javaChildEnvironment(), 30_000))
                .isInstanceOfSatisfying(ChildStartException.class, e -> assertThat(e.exitStatus()).isEqualTo(1));
    }

    /** The child's end waits for input without reading it away from the channel. */
    @Test
    void childReadyWaitsForInputAndKeepsIt() throws Exception {
        FrameChannel channel = startJava(c -> {
            boolean now = c.ready(java.time.Duration.ZERO);
            boolean soon = c.ready(java.time.Duration.ofMillis(200));
            c.send(List.of(now, soon));
            boolean later = c.ready(java.time.Duration.ofSeconds(30));
            int x = c.receive();
            c.send(List.of(later, x));
        });
        try {
            List<Boolean> before = channel.receive();
            assertThat(before).containsExactly(false, false);
            channel.send(7);
            List<Object> after = channel.receive();
            assertThat(after).containsExactly(true, 7);
        } finally {
            channel.close();
        }
    }

    /** The child's end sees the end of its input as ready, as a socket does. */
    @Test
    void childWaitingForInputSeesTheParentClose() throws Exception {
        FrameChannel channel = startJava(c -> {
            c.send("waiting");
            boolean ready = c.ready(null);
            System.exit(ready ? 5 : 6);
        });
        try {
            String state = channel.receive();
            assertThat(state).isEqualTo("waiting");
            channel.close();
            assertThat(channel.process().waitFor(20_000)).hasValue(5);
        } finally {
            channel.terminate();
        }
    }

    /**
     * Three children are running at once, each with its pipes open, when each lists its own
     * descriptors: past 0, 1 and 2, a child holds no pipe but its own channel (the parent's link
     * to that child and no other), and no pipe or socket of the parent's but that channel. (A
     * JVM makes a socket of its own, which the parent does not hold.)
     */
    @Test
    void childHoldsOnlyItsStandardStreamsAndItsOwnChannel() throws Exception {
        List<FrameChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Spawned spawned = transport.spawn(ChildFixtures.javaChild(), ChildFixtures.javaChildEnvironment(), 30_000);
                channels.add(new FrameChannel(spawned.link(), spawned.process()));
            }
            for (FrameChannel channel : channels) {
                ChildFixtures.sendTask(channel, PipeTransportTest::reportDescriptors);
            }
            Set<String> seen = new HashSet<>();
            for (FrameChannel channel : channels) {
                DescriptorReport report = channel.receive();
                Set<String> parentHolds = parentPipesAndSockets();
                String input = report.targets().get(ChildPipes.CHILD_READ_FD);
                String output = report.targets().get(ChildPipes.CHILD_WRITE_FD);
                assertThat(input).isEqualTo(Procs.descriptorTarget(PipeFixtures.writeFd(channel.link()))).startsWith("pipe:");
                assertThat(output).isEqualTo(Procs.descriptorTarget(PipeFixtures.readFd(channel.link()))).startsWith("pipe:");
                report.targets().forEach((fd, target) -> {
                    if (fd > 2 && (target.startsWith("pipe:") || parentHolds.contains(target))) {
                        assertThat(target).as("child %d, fd %d", channel.pid(), fd).isIn(input, output);
                    }
                });
                assertThat(seen.add(input) && seen.add(output)).as("each child has pipes of its own").isTrue();
                assertThat(report.jnrLoaded()).as("the child must not load jnr").isFalse();
            }
        } finally {
            channels.forEach(FrameChannel::close);
        }
    }

    private static Set<String> parentPipesAndSockets() {
        Set<String> targets = new HashSet<>();
        for (String name : new File("/proc/self/fd").list()) {
            try {
                String target = Procs.descriptorTarget(Integer.parseInt(name));
                if (Integer.parseInt(name) > 2 && (target.startsWith("pipe:") || target.startsWith("socket:"))) {
                    targets.add(target);
                }
            } catch (IOException e) {
                // Closed while listing.
            }
        }
        assertThat(targets).as("the parent's own pipes and sockets").isNotEmpty();
        return targets;
    }

    /** If a sibling held this child's pipes, closing its link would never end its input. */
    @Test
    void closingOneChannelEndsThatChildWhileItsSiblingsRun() throws Exception {
        List<Spawned> children = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                children.add(transport.launch(ECHO, Map.of()));
            }
            Spawned first = children.get(0);
            first.link().close();
            assertThat(first.process().waitFor(10_000)).hasValue(0);
            for (Spawned sibling : children.subList(1, children.size())) {
                assertThat(sibling.process().isAlive()).isTrue();
            }
        } finally {
            children.forEach(s -> s.link().close());
            for (Spawned s : children) {
                s.process().waitFor(10_000);
            }
        }
    }

    @Test
    void parentEndsAreCloseOnExec() throws Exception {
        Spawned child = transport.launch(ECHO, Map.of());
        try {
            assertThat(PipeFixtures.closeOnExec(PipeFixtures.readFd(child.link()))).isTrue();
            assertThat(PipeFixtures.closeOnExec(PipeFixtures.writeFd(child.link()))).isTrue();
        } finally {
            child.link().close();
            child.process().waitFor(10_000);
        }
    }

    @Test
    void killedChildGivesEndOfStreamAndItsSignal() throws Exception {
        FrameChannel channel = startJava(c -> c.receive());
        try {
            ProcessHandle.of(channel.pid()).orElseThrow().destroyForcibly();
            assertThatThrownBy(channel::receive)
                    .isInstanceOfSatisfying(ChildProcessException.class, e -> {
                        assertThat(e.pid()).isEqualTo(channel.pid());
                        assertThat(e.exitStatus()).isEqualTo(137);
                        assertThat(e.signal()).hasValue(9);
                    })
                    .hasMessageContaining("SIGKILL");
        } finally {
            channel.close();
        }
    }

    @Test
    void killedShellChildGivesEndOfStream() throws Exception {
        Spawned child = transport.launch(ECHO, Map.of());
        try {
            ProcessHandle.of(child.process().pid()).orElseThrow().destroyForcibly();
            assertThat(child.link().read(ByteBuffer.allocate(8))).isEqualTo(-1);
            assertThat(child.process().waitFor(10_000)).hasValue(128 + 9);
        } finally {
            child.link().close();
        }
    }

    @Test
    void childExitStatusReachesTheChannel() throws Exception {
        FrameChannel channel = startJava(c -> System.exit(7));
        try {
            assertThatThrownBy(channel::receive)
                    .isInstanceOfSatisfying(ChildProcessException.class, e -> {
                        assertThat(e.exitStatus()).isEqualTo(7);
                        assertThat(e.signal()).isEmpty();
                    })
                    .hasMessageContaining("exited with status 7");
        } finally {
            channel.close();
        }
    }

    @Test
    void exitStatusesAndSignalsAreReportedAsTheJdkDoes() throws Exception {
        Spawned exits = transport.launch(ChildFixtures.shell("exit 3"), Map.of());
        Spawned terminated = transport.launch(ChildFixtures.shell("kill -TERM $$"), Map.of());
        try {
            assertThat(exits.process().waitFor(10_000)).hasValue(3);
            assertThat(terminated.process().waitFor(10_000)).hasValue(128 + 15);
            assertThat(exits.link().read(ByteBuffer.allocate(1))).isEqualTo(-1);
        } finally {
            exits.link().close();
            terminated.link().close();
        }
    }

    @Test
    void killEndsTheChildAndRunsExitActionsOnce() throws Exception {
        Spawned child = transport.launch(ECHO, Map.of());
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        try {
            ChildProcess process = child.process();
            process.onExit(before::incrementAndGet);
            assertThat(process.isAlive()).isTrue();
            process.kill();
            assertThat(process.waitFor(10_000)).hasValue(128 + 9);
            assertThat(process.isAlive()).isFalse();
            process.kill();
            process.onExit(after::incrementAndGet);
            assertThat(process.waitFor(0)).hasValue(128 + 9);
            assertThat(before).hasValue(1);
            assertThat(after).hasValue(1);
        } finally {
            child.link().close();
        }
    }

    @Test
    void waitForHonoursItsTimeout() throws Exception {
        Spawned child = transport.launch(ECHO, Map.of());
        try {
            long start = System.nanoTime();
            assertThat(child.process().waitFor(0)).isEmpty();
            assertThat(child.process().waitFor(200)).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
            child.link().close();
            assertThat(child.process().waitFor(-1)).hasValue(0);
        } finally {
            child.link().close();
        }
    }

    @Test
    void childGetsTheParentEnvironmentAndTheExtraVariables() throws Exception {
        Spawned child = transport.launch(ChildFixtures.shell("printf '%s|%s' \"$PPROCESS_TEST_VALUE\" \"$PATH\" >&4"),
                Map.of("PPROCESS_TEST_VALUE", "a b=c"));
        try {
            assertThat(readAll(child.link())).isEqualTo("a b=c|" + System.getenv("PATH"));
            assertThat(child.process().waitFor(10_000)).hasValue(0);
        } finally {
            child.link().close();
        }
    }

    @Test
    void childThatNeverReadsStillGivesBackItsPipes() throws Exception {
        int before = Procs.openFds();
        Spawned child = transport.launch(ChildFixtures.shell("exit 0"), Map.of());
        assertThat(child.link().read(ByteBuffer.allocate(1))).isEqualTo(-1);
        assertThatThrownBy(() -> {
            ByteBuffer big = ByteBuffer.allocate(1 << 20);
            child.link().write(big);
        }).isInstanceOf(IOException.class).hasMessageContaining("EPIPE");
        child.link().close();
        assertThat(child.process().waitFor(10_000)).hasValue(0);
        assertThat(Procs.openFds()).isEqualTo(before);
    }

    @Test
    void failedSpawnNamesTheProgramAndLeaksNothing(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        int before = Procs.openFds();
        assertThatThrownBy(() -> transport.spawn(List.of("/nonexistent/java"), Map.of(), 30_000))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot start /nonexistent/java: no such file");
        assertThatThrownBy(() -> transport.spawn(List.of(notExecutable.toString()), Map.of(), 30_000))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot start " + notExecutable + ": the file is not executable");
        assertThatThrownBy(() -> transport.spawn(List.of("pprocess-no-such-program"), Map.of(), 30_000))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot start pprocess-no-such-program: it was not found on the PATH or cannot be run");
        assertThatThrownBy(() -> transport.spawn(List.of(), Map.of(), 30_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty command");
        assertThat(Procs.openFds()).isEqualTo(before);
    }

    /**
     * 1000 start, exchange and close cycles leave the descriptors, the threads and the zombie
     * children as they were.
     */
    @Test
    void manyCyclesLeaveNoZombiesThreadsOrDescriptors() throws Exception {
        cycle();
        assertThat(Procs.eventually(10_000, () -> reaperGone())).isTrue();
        int descriptors = Procs.openFds();
        int threads = Procs.threadCount();
        int zombies = Procs.zombieChildren();
        for (int i = 0; i < 1000; i++) {
            cycle();
        }
        assertThat(Procs.eventually(10_000, () -> zombiesAtMost(zombies))).as("zombies").isTrue();
        assertThat(Procs.eventually(10_000, () -> Procs.threadCount() <= threads)).as("threads")
                .isTrue();
        // Another thread of this JVM (class loading, a class-data-sharing archive being published
        // for an earlier test's child) may hold a descriptor for a moment: the count must come
        // back to where it was, as the threads' and zombies' do.
        Procs.eventually(10_000, () -> Procs.openFds() == descriptors);
        assertThat(Procs.openFds()).as("descriptors, now: %s", Procs.fdTargets())
                .isEqualTo(descriptors);
    }

    private static void cycle() throws IOException {
        Spawned child = transport.launch(ECHO, Map.of());
        try {
            child.link().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(4);
            while (reply.hasRemaining()) {
                assertThat(child.link().read(reply)).isPositive();
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        } finally {
            child.link().close();
        }
    }

    private static boolean reaperGone() {
        return Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("pprocess-reaper"));
    }

    private static boolean zombiesAtMost(int count) {
        return Procs.zombieChildren() <= count;
    }

    @Test
    void decodesWaitStatusesLikeTheJdk() {
        assertThat(PosixChildProcess.decode(0)).isZero();
        assertThat(PosixChildProcess.decode(7 << 8)).isEqualTo(7);
        assertThat(PosixChildProcess.decode(255 << 8)).isEqualTo(255);
        assertThat(PosixChildProcess.decode(9)).isEqualTo(137);
        assertThat(PosixChildProcess.decode(0x80 | 11)).as("core dumped").isEqualTo(128 + 11);
    }

    @Test
    void waitForAfterEndIsImmediate() throws Exception {
        Spawned child = transport.launch(ChildFixtures.shell("exit 5"), Map.of());
        child.link().close();
        OptionalInt status = child.process().waitFor(10_000);
        assertThat(status).hasValue(5);
        long start = System.nanoTime();
        assertThat(child.process().waitFor(-1)).hasValue(5);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    }
}

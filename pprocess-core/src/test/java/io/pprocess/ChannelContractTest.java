package io.pprocess;

import io.pprocess.internal.spawn.Transports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.testing.Procs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel contract. Surefire runs this class once per transport (socket by default, then
 * with {@code -Dpprocess.transport=pipe}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelContractTest {

    private final List<Channel> opened = new ArrayList<>();

    @BeforeAll
    static void transport() {
        System.out.println("ChannelContractTest on the " + Transports.configuredName() + " transport");
    }

    @AfterEach
    void closeAll() {
        for (Channel c : opened) {
            c.close();
        }
    }

    private Channel track(Channel c) {
        opened.add(c);
        return c;
    }

    // ---- the original's test programs ----

    @Test
    void startLoopParentSendsZeroToHundredAndChildAnswersDone() {
        int limit = 100;
        Channel ch = track(PProcess.start((Channel c, Integer lim) -> {
            List<Integer> seen = new ArrayList<>();
            while (true) {
                int value = c.receive();
                if (value == lim) {
                    break;
                }
                System.out.println("child received " + value);
                seen.add(value);
            }
            c.send("Done");
            c.send(seen);
        }, limit));
        for (int i = 0; i <= limit; i++) {
            ch.send(i);
        }
        assertThat((String) ch.receive()).isEqualTo("Done");
        List<Integer> seen = ch.receive();
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, limit).boxed().collect(Collectors.toList()));
    }

    @Test
    void createLoopForkStyleBlockEndsWithExit() {
        int limit = 100;
        Channel ch = track(PProcess.create(child -> {
            List<Integer> seen = new ArrayList<>();
            int value;
            while ((value = child.<Integer>receive()) != limit) {
                seen.add(value);
            }
            child.send("Done");
            child.send(seen);
            PProcess.exit(child);
        }));
        for (int i = 0; i <= limit; i++) {
            ch.send(i);
        }
        assertThat((String) ch.receive()).isEqualTo("Done");
        assertThat((List<Integer>) ch.receive()).hasSize(limit).startsWith(0, 1, 2).endsWith(99);
        assertThat(ch.waitFor(Duration.ofSeconds(10))).hasValue(0);
    }

    @Test
    void twoWayCountdownAlternates() {
        Channel ch = track(PProcess.start(c -> {
            List<Integer> childSaw = new ArrayList<>();
            while (true) {
                int n = c.receive();
                childSaw.add(n);
                if (n == 0) {
                    break;
                }
                c.send(n - 1);
                if (n - 1 == 0) {
                    break;
                }
            }
            c.send(childSaw);
        }));
        List<Integer> parentSaw = new ArrayList<>();
        int n = 20;
        ch.send(n);
        while (true) {
            n = ch.receive();
            parentSaw.add(n);
            if (n == 0) {
                break;
            }
            ch.send(n - 1);
            if (n - 1 == 0) {
                break;
            }
        }
        List<Integer> childSaw = ch.receive();
        assertThat(childSaw).containsExactly(20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
        assertThat(parentSaw).containsExactly(19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    }

    // ---- values ----

    record Point(int x, int y) {
    }

    static final class NoDefaultConstructor {
        final String name;
        final List<Integer> values;

        NoDefaultConstructor(String name, List<Integer> values) {
            this.name = name;
            this.values = values;
        }
    }

    static final class Node {
        Node next;
        String label;
    }

    @Test
    void valuesOfManyKindsCrossBothWays() {
        Channel ch = track(PProcess.start(c -> {
            while (true) {
                Object v = c.receive();
                if ("stop".equals(v)) {
                    return;
                }
                c.send(v);
            }
        }));
        Node a = new Node();
        Node b = new Node();
        a.label = "a";
        b.label = "b";
        a.next = b;
        b.next = a;
        List<Object> values = Arrays.asList(null, 42, "text", new Point(1, 2), List.of(1, 2, 3),
                Map.of("k", 1), new int[] {1, 2, 3}, new HashMap<>(Map.of("x", List.of("y"))),
                new NoDefaultConstructor("n", List.of(7)), 3.5, Long.MAX_VALUE, new byte[100_000]);
        for (Object v : values) {
            ch.send(v);
            Object back = ch.receive();
            if (v instanceof NoDefaultConstructor) {
                assertThat(((NoDefaultConstructor) back).name).isEqualTo("n");
                assertThat(((NoDefaultConstructor) back).values).containsExactly(7);
            } else {
                assertThat(back).isEqualTo(v);
            }
        }
        ch.send(a);
        Node cycle = ch.receive();
        assertThat(cycle.label).isEqualTo("a");
        assertThat(cycle.next.label).isEqualTo("b");
        assertThat(cycle.next.next).isSameAs(cycle);
        ch.send("stop");
    }

    @Test
    void lambdasAndMethodReferencesTravel() {
        SerializableFunction<Integer, Integer> square = x -> x * x;
        SerializableFunction<String, Integer> length = String::length;
        Channel ch = track(PProcess.start(c -> {
            SerializableFunction<Integer, Integer> f = c.receive();
            SerializableFunction<String, Integer> g = c.receive();
            c.send(f.apply(9) + g.apply("four"));
            int offset = 100;
            c.send((SerializableFunction<Integer, Integer>) x -> x + offset);
        }));
        ch.send(square);
        ch.send(length);
        assertThat((Integer) ch.receive()).isEqualTo(85);
        SerializableFunction<Integer, Integer> fromChild = ch.receive();
        assertThat(fromChild.apply(1)).isEqualTo(101);
    }

    @Test
    void capturedStateIsTheChildsCopy() {
        List<String> list = new ArrayList<>(List.of("parent"));
        Channel ch = track(PProcess.start(c -> {
            list.add("child");
            c.send(list);
        }));
        assertThat((List<String>) ch.receive()).containsExactly("parent", "child");
        assertThat(list).containsExactly("parent");
    }

    @Test
    void unserialisableValueFailsInTheSenderAndChannelStaysUsable() {
        Channel ch = track(PProcess.start(c -> c.send((Integer) c.receive() + 1)));
        assertThatThrownBy(() -> ch.send(new Thread()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.Thread");
        Runnable notSerialisable = () -> { };
        assertThatThrownBy(() -> ch.send(notSerialisable))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("Serializable");
        ch.send(1);
        assertThat((Integer) ch.receive()).isEqualTo(2);
    }

    @Test
    void unserialisableTaskFailsBeforeAnyChildStarts() {
        Thread thread = new Thread();
        int before = PProcess.waitAll();
        assertThatThrownBy(() -> PProcess.start(c -> c.send(thread.getName())))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.Thread");
        assertThat(PProcess.waitAll()).isLessThanOrEqualTo(before);
    }

    @Test
    void unacknowledgedSendsArriveInOrderAndSurviveTheSendersExit() {
        Channel ch = track(PProcess.start(c -> {
            for (int i = 0; i < 1000; i++) {
                c.sendUnacknowledged(i);
            }
        }));
        for (int i = 0; i < 1000; i++) {
            assertThat((Integer) ch.receive()).isEqualTo(i);
        }
        assertThatThrownBy(ch::receive).isInstanceOf(ChildProcessException.class)
                .hasMessageContaining("exited with status 0");
    }

    @Test
    void bothEndsSendingAtOnceDoNotDeadlock() {
        Channel ch = track(PProcess.start(c -> {
            c.send("from child");
            c.send(c.receive());
        }));
        ch.send("from parent");
        assertThat((String) ch.receive()).isEqualTo("from child");
        assertThat((String) ch.receive()).isEqualTo("from parent");
    }

    @Test
    void pidIsTheChildsInTheParentAndZeroInTheChild() {
        Channel ch = track(PProcess.start(c -> {
            c.send(c.pid());
            c.send(ProcessHandle.current().pid());
        }));
        long inChild = ch.receive();
        long childPid = ch.receive();
        assertThat(inChild).isZero();
        assertThat(ch.pid()).isEqualTo(childPid).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void readyTellsWhetherAMessageWaits() {
        Channel ch = track(PProcess.start(c -> {
            c.receive();
            c.send("late");
        }));
        assertThat(ch.ready(Duration.ZERO)).isFalse();
        assertThat(ch.ready(Duration.ofMillis(100))).isFalse();
        ch.send("go");
        assertThat(ch.ready(Duration.ofSeconds(10))).isTrue();
        assertThat((String) ch.receive()).isEqualTo("late");
    }

    // ---- failures ----

    @Test
    void childExceptionArrivesAsRemoteExceptionWithStackAndCause() {
        Channel ch = track(PProcess.start(c -> {
            throw new IllegalStateException("outer failure", new java.io.IOException("inner cause"));
        }));
        assertThatThrownBy(ch::receive)
                .isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(e.remoteMessage()).isEqualTo("outer failure");
                    assertThat(e.getMessage()).isEqualTo("java.lang.IllegalStateException: outer failure");
                    assertThat(e.pid()).isEqualTo(ch.pid());
                    assertThat(e.isInstanceOf(RuntimeException.class)).isTrue();
                    assertThat(e.getStackTrace()).isNotEmpty();
                    assertThat(e.getStackTrace()[0].getClassName()).contains("ChannelContractTest");
                    assertThat(e.getCause()).isInstanceOf(RemoteException.class)
                            .hasMessage("java.io.IOException: inner cause");
                });
    }

    @Test
    void childKilledBySigkillFailsReceiveWithPidAndSignal() throws Exception {
        Channel ch = track(PProcess.start(c -> {
            c.send("started");
            Thread.sleep(60_000);
        }));
        assertThat((String) ch.receive()).isEqualTo("started");
        ProcessHandle.of(ch.pid()).orElseThrow().destroyForcibly();
        long t0 = System.nanoTime();
        assertThatThrownBy(ch::receive)
                .isInstanceOfSatisfying(ChildProcessException.class, e -> {
                    assertThat(e.pid()).isEqualTo(ch.pid());
                    assertThat(e.signal()).hasValue(9);
                    assertThat(e.getMessage()).contains(Long.toString(ch.pid())).contains("signal 9 (SIGKILL)");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void childCallingSystemExitFailsReceiveWithItsStatus() {
        Channel ch = track(PProcess.start(c -> {
            c.send("exiting");
            System.exit(3);
        }));
        assertThat((String) ch.receive()).isEqualTo("exiting");
        long t0 = System.nanoTime();
        assertThatThrownBy(ch::receive)
                .isInstanceOfSatisfying(ChildProcessException.class, e -> {
                    assertThat(e.exitStatus()).isEqualTo(3);
                    assertThat(e.signal()).isEmpty();
                    assertThat(e.getMessage()).isEqualTo("child process " + ch.pid()
                            + " exited with status 3 (before sending again)");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        Channel silent = track(PProcess.start(c -> System.exit(3)));
        assertThatThrownBy(silent::receive).isInstanceOf(ChildProcessException.class)
                .hasMessage("child process " + silent.pid() + " exited with status 3 (without sending)");
    }

    @Test
    void childBlockedInSendIsNotLeftWhenParentWaitsOnADeadChild() {
        Channel ch = track(PProcess.start(c -> Runtime.getRuntime().halt(7)));
        assertThatThrownBy(() -> ch.send("anyone there?"))
                .isInstanceOf(ChildProcessException.class)
                .hasMessageContaining("exited with status 7");
    }

    @Test
    void childRunningOutOfMemoryFailsReceiveWithinASecond() {
        // The child's JVM says nothing (no "Terminating due to java.lang.OutOfMemoryError" in
        // the build log): the test reads its exit status.
        List<String> quietOutOfMemory = List.of("-Xmx24m", "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput");
        PProcess.setJvmOptions(quietOutOfMemory.toArray(String[]::new));
        assertThat(PProcess.jvmOptions()).containsExactlyElementsOf(quietOutOfMemory);
        Channel ch;
        try {
            ch = track(PProcess.start(c -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }));
        } finally {
            PProcess.setJvmOptions();
        }
        assertThat(PProcess.jvmOptions()).isEmpty();
        assertThatThrownBy(ch::receive)
                .isInstanceOfSatisfying(ChildProcessException.class, e -> {
                    assertThat(e.pid()).isEqualTo(ch.pid());
                    assertThat(e.exitStatus()).isEqualTo(3);
                });
    }

    @Test
    void badJvmOptionsFailStartWithTheChildsStatus() {
        // The child's java launcher prints its complaint on the standard error it shares with
        // this JVM; say first, on the same stream, that it is expected.
        io.pprocess.testing.Deliberate.announce("ChannelContractTest.badJvmOptionsFailStartWithTheChildsStatus",
                "a child JVM is started with -XX:+ThisOptionDoesNotExist; its \"Unrecognized VM option\" and"
                        + " \"Could not create the Java Virtual Machine\" lines are expected");
        PProcess.setJvmOptions("-XX:+ThisOptionDoesNotExist");
        try {
            assertThatThrownBy(() -> PProcess.start(c -> c.send(1)))
                    .isInstanceOf(ChildProcessException.class)
                    .hasMessageContaining("before connecting")
                    .hasMessageContaining("ThisOptionDoesNotExist");
        } finally {
            PProcess.setJvmOptions();
        }
    }

    @Test
    void absurdFrameLengthIsAProtocolErrorNotAnAllocation() {
        Channel ch = track(PProcess.start(c -> {
            ByteBuffer garbage = ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 3).flip();
            ((FrameChannel) c).link().write(garbage);
            Thread.sleep(10_000);
        }));
        assertThatThrownBy(ch::receive)
                .isInstanceOf(ChannelException.class)
                .hasMessageContaining("protocol error")
                .hasMessageContaining("frame length 2147483647");
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> ch.send(1)).isInstanceOf(ChannelException.class).hasMessageContaining("broken");
    }

    @Test
    void garbageBytesAreAProtocolError() {
        Channel ch = track(PProcess.start(c -> {
            ((FrameChannel) c).link().write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes()));
            Thread.sleep(10_000);
        }));
        assertThatThrownBy(ch::receive)
                .isInstanceOf(ChannelException.class)
                .hasMessageContaining("protocol error");
    }

    @Test
    void largeAnnouncedFrameThatNeverComesCostsNoMemoryAndEndsCleanly() {
        Channel ch = track(PProcess.start(c -> {
            ByteBuffer header = ByteBuffer.allocate(5).putInt(200 << 20).put((byte) 3).flip();
            ((FrameChannel) c).link().write(header);
            ((FrameChannel) c).link().write(ByteBuffer.wrap(new byte[1000]));
            Runtime.getRuntime().halt(0);
        }));
        Runtime rt = Runtime.getRuntime();
        assertThatThrownBy(ch::receive)
                .isInstanceOf(ChildProcessException.class)
                .hasMessageContaining("after 1000 of 209715200 bytes");
        assertThat(rt.totalMemory() - rt.freeMemory()).isLessThan(150L << 20);
    }

    @Test
    void childHoldsOnlyStandardStreamsAndItsOwnChannel() {
        List<Channel> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(track(PProcess.start(c -> {
                c.send(io.pprocess.testing.Procs.fdTargets());
                c.receive();
            })));
        }
        List<Set<String>> ipcPerChild = new ArrayList<>();
        for (Channel ch : children) {
            List<String> fds = ch.receive();
            assertThat(fds).anyMatch(f -> f.startsWith("0 -> ")).anyMatch(f -> f.startsWith("1 -> "))
                    .anyMatch(f -> f.startsWith("2 -> "));
            Set<String> ipc = ipcAboveStandardStreams(fds);
            if (Transports.configuredName().equals("socket")) {
                // Its channel, and the socket the JDK's NIO keeps for closing descriptors.
                assertThat(ipc).as("child fds %s", fds).hasSizeBetween(1, 2);
            } else {
                assertThat(ipc.stream().filter(t -> t.startsWith("pipe:"))).as("child fds %s", fds).hasSize(2);
            }
            ipcPerChild.add(ipc);
        }
        Set<String> parentSockets = ipcAboveStandardStreams(Procs.fdTargets()).stream()
                .filter(t -> t.startsWith("socket:")).collect(Collectors.toSet());
        for (int i = 0; i < ipcPerChild.size(); i++) {
            for (int j = i + 1; j < ipcPerChild.size(); j++) {
                assertThat(ipcPerChild.get(i)).as("children %d and %d share descriptors", i, j)
                        .doesNotContainAnyElementsOf(ipcPerChild.get(j));
            }
            assertThat(ipcPerChild.get(i)).as("child %d inherited the parent's sockets", i)
                    .doesNotContainAnyElementsOf(parentSockets);
        }
        for (Channel ch : children) {
            ch.send("bye");
        }
    }

    private static Set<String> ipcAboveStandardStreams(List<String> fds) {
        return fds.stream()
                .filter(f -> Integer.parseInt(f.substring(0, f.indexOf(' '))) > 2)
                .map(f -> f.substring(f.indexOf("->") + 3))
                .filter(t -> t.startsWith("socket:") || t.startsWith("pipe:"))
                .collect(Collectors.toSet());
    }

    @Test
    void closingTheParentEndLetsABlockedChildEnd() {
        Channel ch = PProcess.start(c -> {
            c.receive();
        });
        ch.close();
        OptionalInt status = ch.waitFor(Duration.ofSeconds(10));
        assertThat(status).isPresent();
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelException.class).hasMessageContaining("closed");
    }

    @Test
    void numberOfCoresIsWithinWhatTheMachineHas() {
        assertThat(PProcess.numberOfCores()).isBetween(1, Runtime.getRuntime().availableProcessors());
        assertThat(PProcess.physicalCores()).isPositive();
    }

    @Test
    void exitRefusesTheParentsEnd() {
        Channel ch = track(PProcess.start(c -> c.receive()));
        assertThatThrownBy(() -> PProcess.exit(ch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parent's end");
        ch.send("done");
    }

    @Test
    void zombiesDoNotAccumulate() throws Exception {
        for (int i = 0; i < 5; i++) {
            Channel ch = PProcess.start(c -> c.send(1));
            assertThat((Integer) ch.receive()).isEqualTo(1);
            ch.close();
            assertThat(ch.waitFor(Duration.ofSeconds(10))).hasValue(0);
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (Procs.zombieChildren() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Procs.zombieChildren()).isZero();
    }

    @Test
    void waitAllCountsTheChildrenStillRunning() throws Exception {
        Channel ch = PProcess.start(c -> c.send(c.<String>receive()));
        int withChild = PProcess.waitAll();
        assertThat(withChild).as("the child waiting for its message is running").isPositive();
        ch.send("end");
        assertThat((String) ch.receive()).isEqualTo("end");
        assertThat(ch.waitFor(Duration.ofSeconds(10))).hasValue(0);
        ch.close();
        assertThat(PProcess.waitAll()).as("the ended child is no longer counted").isLessThan(withChild);
    }

    /**
     * A value sent with {@code sendAcknowledgedLater} (how pmap hands out chunks) is
     * acknowledged by the peer's receive as usual, without the sender waiting: the
     * acknowledgements are taken in by later reads, are never a message, and
     * {@code acknowledgementsOwed} counts those not yet in.
     */
    @Test
    void valuesSentAcknowledgedLaterAreAcknowledgedWithoutAWaitAndTheAcknowledgementsAreNoMessage()
            throws InterruptedException {
        FrameChannel ch = (FrameChannel) track(PProcess.start((Channel c) -> {
            int a = c.receive();
            int b = c.receive();
            String go = c.receive();
            c.send(go + (a + b));
        }));
        ch.sendAcknowledgedLater(20);
        ch.sendAcknowledgedLater(22);
        assertThat(ch.acknowledgementsOwed()).isBetween(0, 2);
        while (ch.acknowledgementsOwed() > 0) {
            assertThat(ch.pollInput()).isEqualTo(FrameChannel.Input.NONE);
            Thread.sleep(2);
        }
        assertThat(ch.hasBufferedInput()).isFalse();
        ch.send("sum ");
        assertThat((String) ch.receive()).isEqualTo("sum 42");
        assertThat(ch.acknowledgementsOwed()).isZero();
    }
}

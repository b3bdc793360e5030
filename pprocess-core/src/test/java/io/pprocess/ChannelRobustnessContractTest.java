package io.pprocess;

import io.pprocess.internal.spawn.Transports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Procs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What channels and exchanges do when real programs use them roughly: interrupts, time limits,
 * closes from other threads, runaway children, two threads at once, hostile payloads, and
 * arrays sent as their bytes. Runs on both transports (a {@code *ContractTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelRobustnessContractTest {

    private final List<Channel> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void transport() {
        System.out.println("ChannelRobustnessContractTest on the " + Transports.configuredName() + " transport");
    }

    @AfterEach
    void closeAll() {
        Thread.interrupted();
        for (Channel c : opened) {
            c.close();
        }
    }

    private Channel track(Channel c) {
        opened.add(c);
        return c;
    }

    /** A child that answers "late" once told "now", and echoes everything after that. */
    private Channel lateAnswerer() {
        return track(PProcess.start(c -> {
            Object first = c.receive();
            c.send("late:" + first);
            while (true) {
                Object x = c.receive();
                if ("stop".equals(x)) {
                    return;
                }
                c.send(x);
            }
        }));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T echo(Channel ch, Object value) {
        ch.send(value);
        return ch.receive();
    }

    /** Runs {@code call} in a new thread, interrupts it once it is (most likely) waiting, and returns what it threw. */
    private static Throwable interruptWhile(Runnable call, AtomicReference<Boolean> statusAfter) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                call.run();
                thrown.complete(null);
            } catch (Throwable e) {
                statusAfter.set(Thread.currentThread().isInterrupted());
                thrown.complete(e);
            }
        }, "waiter");
        t.start();
        started.await();
        // The exception is the same whether the interrupt comes during the wait or just before it.
        Thread.sleep(300);
        t.interrupt();
        Throwable e = thrown.get(20, TimeUnit.SECONDS);
        t.join(5000);
        return e;
    }

    // ---- interrupts ----

    @Test
    void interruptedReceiveSaysSoKeepsTheStatusAndTheChannelStaysUsable() throws Exception {
        Channel ch = lateAnswerer();
        AtomicReference<Boolean> status = new AtomicReference<>();
        Throwable e = interruptWhile(ch::receive, status);
        assertThat(e).isInstanceOf(ChannelInterruptedException.class)
                .isNotInstanceOf(ChildProcessException.class)
                .hasMessageContaining("interrupted while receiving on the channel to child process " + ch.pid())
                .hasMessageContaining("stays usable");
        assertThat(status.get()).as("interrupt status kept").isTrue();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ProcessHandle.of(ch.pid()).map(ProcessHandle::isAlive)).contains(true);
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
        ch.send(42);
        assertThat((int) ch.receive()).isEqualTo(42);
    }

    @Test
    void receiveWithTheInterruptStatusSetThrowsAtOnceAndTakesNothing() {
        Channel ch = lateAnswerer();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
    }

    @Test
    void interruptedSendHasSentItsValueAndItsLateAcknowledgementIsPassedOver() throws Exception {
        Path go = dir.resolve("go");
        Channel ch = track(PProcess.start((Channel c, String marker) -> {
            while (!Files.exists(Path.of(marker))) {
                Thread.sleep(10);
            }
            Object x = c.receive();
            c.send("got:" + x);
            c.send("second:" + c.receive());
        }, go.toString()));
        AtomicReference<Boolean> status = new AtomicReference<>();
        Throwable e = interruptWhile(() -> ch.send("first"), status);
        assertThat(e).isInstanceOf(ChannelInterruptedException.class)
                .hasMessageContaining("acknowledgement").hasMessageContaining("the value was sent");
        assertThat(status.get()).isTrue();
        Files.createFile(go);
        assertThat((String) ch.receive()).isEqualTo("got:first");
        ch.send("x");
        assertThat((String) ch.receive()).isEqualTo("second:x");
    }

    @Test
    void interruptDuringMapGetThrowsInsteadOfSpinning() throws Exception {
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> {
            pause(x);
            return x;
        }, List.of(120_000))) {
            AtomicReference<Boolean> status = new AtomicReference<>();
            Throwable e = interruptWhile(() -> map.get(0), status);
            assertThat(e).isInstanceOf(ChannelInterruptedException.class).hasMessageContaining("interrupted");
            assertThat(status.get()).isTrue();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> map.get(0)).isInstanceOf(ChannelInterruptedException.class);
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void interruptDuringExchangeReadyThrowsInsteadOfReturningEmpty() throws Exception {
        try (Exchange exchange = new Exchange(ExchangeOptions.defaults(), c -> c.receive())) {
            exchange.start((Channel c) -> {
                Thread.sleep(120_000);
            });
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> exchange.ready(Duration.ofSeconds(3)))
                        .isInstanceOf(ChannelInterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            AtomicReference<Boolean> status = new AtomicReference<>();
            Throwable e = interruptWhile(() -> exchange.ready(Duration.ofSeconds(30)), status);
            assertThat(e).isInstanceOf(ChannelInterruptedException.class);
            assertThat(status.get()).isTrue();
            assertThat(exchange.ready(Duration.ZERO)).isEmpty();
        }
    }

    // ---- time limits, closes, runaway children ----

    @Test
    void receiveWithATimeLimitTimesOutAndTheChannelStaysUsable() {
        Channel ch = lateAnswerer();
        assertThatThrownBy(() -> ch.receive(Duration.ofMillis(200)))
                .isInstanceOf(ChannelTimeoutException.class)
                .hasMessageContaining("within PT0.2S").hasMessageContaining("stays usable");
        assertThatThrownBy(() -> ch.receive(Duration.ZERO)).isInstanceOf(ChannelTimeoutException.class);
        ch.send("now");
        assertThat((String) ch.receive(Duration.ofSeconds(20))).isEqualTo("late:now");
    }

    @Test
    void aChildCanReceiveWithATimeLimit() {
        Channel ch = track(PProcess.start(c -> {
            try {
                c.receive(Duration.ofMillis(100));
                c.send("no timeout");
            } catch (ChannelTimeoutException e) {
                c.send("timed out");
            }
            c.send("then " + c.receive(Duration.ofSeconds(20)));
        }));
        assertThat((String) ch.receive()).isEqualTo("timed out");
        ch.send("this");
        assertThat((String) ch.receive()).isEqualTo("then this");
    }

    @Test
    void closeFromAnotherThreadGivesTheBlockedReceiverTheLibrarysException() throws Exception {
        Channel ch = lateAnswerer();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ch.receive();
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        t.start();
        Thread.sleep(300);
        ch.close();
        assertThat(thrown.get(20, TimeUnit.SECONDS)).isInstanceOf(ChannelException.class)
                .isNotInstanceOf(ChildProcessException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void closeEndsARunawayChild() throws Exception {
        Channel ch = PProcess.start(c -> {
            c.send("spinning");
            long n = 0;
            while (n >= 0) {
                n++;
            }
        });
        assertThat((String) ch.receive()).isEqualTo("spinning");
        ch.close();
        assertThat(ch.waitFor(Duration.ofSeconds(15))).as("killed after the grace period").hasValue(128 + 9);
    }

    // ---- threads ----

    @Test
    void aSecondReaderIsRefusedAtOnceAndTheFirstStillGetsItsMessage() throws Exception {
        Channel ch = lateAnswerer();
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(ch::receive);
        Thread.sleep(300);
        assertThatThrownBy(ch::receive).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one thread at a time");
        ch.sendUnacknowledged("now");
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("late:now");
    }

    @Test
    void twoThreadsOnOneMapExchangeNeverCorruptIt() throws Exception {
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> {
            pause(x);
            return x;
        }, List.of(1500, 1, 2, 3), 2)) {
            Procs.Call<List<Integer>> all = Procs.inThread("to-list", map::toList);
            assertThat(all.blockedIn(MapExchange.class, "toList", 100, 20_000)).as("toList waiting").isTrue();
            assertThatThrownBy(() -> map.get(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one thread at a time");
            assertThat(all.outcome().get(30, TimeUnit.SECONDS)).containsExactly(1500, 1, 2, 3);
        }
    }

    @Test
    void twoThreadsOnOneQueueExchangeNeverCorruptIt() throws Exception {
        try (QueueExchange<Integer> queue = new QueueExchange<>(2)) {
            for (int i = 0; i < 4; i++) {
                queue.start((Channel c, Integer n) -> {
                    Thread.sleep(n == 0 ? 1500 : 1);
                    c.send(n);
                }, i);
            }
            Procs.Call<List<Integer>> all = Procs.inThread("for-each", () -> {
                List<Integer> got = new ArrayList<>();
                queue.forEach(got::add);
                return got;
            });
            assertThat(all.blockedIn(Iterable.class, "forEach", 100, 20_000)).as("forEach waiting").isTrue();
            assertThatThrownBy(() -> queue.iterator().hasNext()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one thread at a time");
            assertThat(all.outcome().get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    // ---- payloads ----

    @Test
    void deepNestingIsACodecExceptionAndTheChannelStaysUsable() {
        Channel ch = lateAnswerer();
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 100_000; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        assertThatThrownBy(() -> ch.send(deep)).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested too deeply");
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
    }

    @Test
    void anOverLimitArrayNamesTheLimitAndTheProperty() {
        Channel ch = lateAnswerer();
        byte[] big = new byte[(256 << 20) + 1];
        assertThatThrownBy(() -> ch.send(big)).isInstanceOf(CodecException.class)
                .hasMessageContaining("byte[] of 268435457 elements")
                .hasMessageContaining("maximum frame size of 268435456 bytes")
                .hasMessageContaining("-Dpprocess.maxFrameBytes=");
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
    }

    @Test
    void anOverLimitValueNamesTheLimitAndTheProperty() {
        Channel ch = lateAnswerer();
        List<byte[]> big = List.of(new byte[129 << 20], new byte[129 << 20]);
        assertThatThrownBy(() -> ch.send(big)).isInstanceOf(CodecException.class)
                .hasMessageContaining("maximum frame size of 268435456 bytes")
                .hasMessageContaining("pprocess.maxFrameBytes");
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
    }

    @Test
    void arraysAndBuffersTravelAsTheirBytes() {
        Channel ch = lateAnswerer();
        ch.send("now");
        assertThat((String) ch.receive()).isEqualTo("late:now");
        int big = 3 << 20;
        byte[] bytes = new byte[big];
        for (int i = 0; i < big; i++) {
            bytes[i] = (byte) (i * 31);
        }
        int[] ints = new int[big / 4 + 1];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = i * 7919;
        }
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        double[] doubles = {Math.PI, -0.0, Double.NaN};
        float[] floats = {1.5f, Float.MIN_VALUE};
        short[] shorts = {Short.MIN_VALUE, 7};
        char[] chars = "héllo".toCharArray();
        for (Object value : new Object[] {new byte[0], new byte[] {1, 2, 3}, bytes, ints, new int[] {1, 2}, longs,
                doubles, floats, shorts, chars, new long[0]}) {
            Object echoed = echo(ch, value);
            assertThat(echoed).as(value.getClass().getSimpleName()).isEqualTo(value);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(big);
        for (int i = 0; i < big; i++) {
            direct.put((byte) i);
        }
        direct.flip().position(5);
        ByteBuffer echoed = echo(ch, direct);
        assertThat(echoed.remaining()).isEqualTo(big - 5);
        assertThat(echoed).isEqualTo(direct);
        assertThat(direct.position()).as("the sent buffer is not consumed").isEqualTo(5);
        ch.sendUnacknowledged(ints);
        assertThat((int[]) ch.receive()).isEqualTo(ints);
    }
}

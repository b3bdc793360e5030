package io.pprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Procs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipe poller, on links joined in this process: timeouts, wake-ups, hang-ups, and the weak
 * spots of jnr-enxio's poll selector it covers.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipePollerTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private PipePoller poller;

    @BeforeAll
    static void quiet() throws InterruptedException {
        // A test counts this JVM's descriptors: no child of an earlier test may end in the count.
        Procs.endChildrenOfEarlierTests();
    }

    @BeforeEach
    void openPoller() throws IOException {
        poller = (PipePoller) Poller.forPipes();
        toClose.add(poller);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private PipeLink[] pair() throws IOException {
        PipeLink[] pair = PipeFixtures.linkPair();
        toClose.add(pair[0]);
        toClose.add(pair[1]);
        return pair;
    }

    private static void send(Link link, String text) throws IOException {
        link.write(ByteBuffer.wrap(text.getBytes()));
    }

    private static String receive(Link link, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (link.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void zeroTimeoutOnlyLooks() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        long start = System.nanoTime();
        assertThat(poller.select(0)).isEmpty();
        assertThat(millisSince(start)).isLessThan(500);
        send(p[1], "x");
        assertThat(poller.select(0)).containsExactly("a");
    }

    @Test
    void positiveTimeoutWaitsItsWholeLength() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        long start = System.nanoTime();
        assertThat(poller.select(300)).isEmpty();
        assertThat(millisSince(start)).isBetween(300L, 3000L);
    }

    @Test
    void positiveTimeoutEndsWhenInputArrives() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            sleep(100);
            try {
                send(p[1], "x");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        assertThat(poller.select(10_000)).containsExactly("a");
        assertThat(millisSince(start)).isLessThan(5000);
        writer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void negativeTimeoutWaitsForInput() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<List<Object>> selection = Procs.inThread("selecting", () -> poller.select(-1));
        assertThat(selection.blockedIn(PipePoller.class, "select", 200, 5000))
                .as("a selection without a time limit waits for input").isTrue();
        send(p[1], "x");
        assertThat(selection.outcome().get(5, TimeUnit.SECONDS)).containsExactly("a");
    }

    @Test
    void negativeTimeoutEndsOnWakeup() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<List<Object>> selection = Procs.inThread("selecting", () -> poller.select(-1));
        assertThat(selection.blockedIn(PipePoller.class, "select", 200, 5000))
                .as("a selection without a time limit waits for a wake-up").isTrue();
        poller.wakeup();
        assertThat(selection.outcome().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    /**
     * enxio writes one byte per wake-up to a blocking pipe and reads one per selection: without
     * coalescing, 100,000 wake-ups would block on the full pipe, and those left over would end
     * later selections early.
     */
    @Test
    void wakeupsDoNotPileUp() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        for (int i = 0; i < 100_000; i++) {
            poller.wakeup();
        }
        long start = System.nanoTime();
        assertThat(poller.select(-1)).isEmpty();
        assertThat(millisSince(start)).isLessThan(1000);
        start = System.nanoTime();
        assertThat(poller.select(200)).isEmpty();
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void wakeupBeforeSelectMakesTheNextSelectReturnOnce() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        poller.wakeup();
        long start = System.nanoTime();
        assertThat(poller.select(10_000)).isEmpty();
        assertThat(millisSince(start)).isLessThan(1000);
        send(p[1], "x");
        assertThat(poller.select(10_000)).containsExactly("a");
    }

    /** enxio casts the timeout to int: 2^32 + 1 ms would become a 1 ms poll. */
    @Test
    void timeoutBeyondIntRangeIsNotTruncated() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<List<Object>> selection = Procs.inThread("selecting", () -> poller.select((1L << 32) + 1));
        assertThat(selection.blockedIn(PipePoller.class, "select", 300, 5000))
                .as("a time limit of 2^32 + 1 ms is not a 1 ms poll").isTrue();
        poller.wakeup();
        assertThat(selection.outcome().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    /** enxio casts the timeout to int: Integer.MAX_VALUE + 1 ms would become "for ever". */
    @Test
    void longestTimeoutStillEndsOnInput() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<List<Object>> selection = Procs.inThread("selecting", () -> poller.select(Long.MAX_VALUE));
        assertThat(selection.blockedIn(PipePoller.class, "select", 100, 5000)).isTrue();
        send(p[1], "x");
        assertThat(selection.outcome().get(5, TimeUnit.SECONDS)).containsExactly("a");
    }

    @Test
    void hangUpIsReportedAsReadableAndReadsAsEndOfStream() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        p[1].close();
        assertThat(poller.select(5000)).containsExactly("a");
        assertThat(p[0].read(ByteBuffer.allocate(8))).isEqualTo(-1);
        assertThat(poller.select(0)).as("end of stream stays readable").containsExactly("a");
    }

    @Test
    void dataBeforeHangUpIsReadFirst() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        send(p[1], "last");
        p[1].close();
        assertThat(poller.select(5000)).containsExactly("a");
        assertThat(receive(p[0], 4)).isEqualTo("last");
        assertThat(poller.select(5000)).containsExactly("a");
        assertThat(p[0].read(ByteBuffer.allocate(8))).isEqualTo(-1);
    }

    @Test
    void reportsOnlyTheReadyLinks() throws IOException {
        List<PipeLink[]> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            PipeLink[] p = pair();
            pairs.add(p);
            poller.register(p[0], i);
        }
        send(pairs.get(3)[1], "x");
        send(pairs.get(17)[1], "y");
        pairs.get(42)[1].close();
        assertThat(poller.select(5000)).containsExactlyInAnyOrder(3, 17, 42);
    }

    @Test
    void deregisteredLinkIsNotReportedAndCanRegisterAgainAtOnce() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        send(p[1], "x");
        poller.deregister(p[0]);
        assertThat(poller.select(100)).isEmpty();
        poller.register(p[0], "b");
        assertThat(poller.select(5000)).containsExactly("b");
        poller.deregister(p[0]);
        poller.deregister(p[0]);
    }

    @Test
    void registeringAgainReplacesTheAttachment() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        poller.register(p[0], "b");
        send(p[1], "x");
        assertThat(poller.select(5000)).containsExactly("b");
    }

    @Test
    void aLinkCanBeWatchedByTwoPollers() throws IOException {
        PipeLink[] p = pair();
        PipePoller other = (PipePoller) Poller.forPipes();
        toClose.add(other);
        poller.register(p[0], "a");
        other.register(p[0], "b");
        send(p[1], "x");
        assertThat(poller.select(5000)).containsExactly("a");
        assertThat(other.select(5000)).containsExactly("b");
    }

    @Test
    void closedLinkIsNoLongerReported() throws IOException {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        send(p[1], "x");
        p[0].close();
        long start = System.nanoTime();
        assertThat(poller.select(200)).isEmpty();
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void blockingReadWorksWhileRegistered() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<String> reader = Procs.inThread("reading", () -> receive(p[0], 5));
        assertThat(reader.blockedIn(PipeLink.class, "read", 100, 5000)).as("the read waits for input").isTrue();
        send(p[1], "hello");
        assertThat(reader.outcome().get(5, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(poller.select(100)).isEmpty();
    }

    @Test
    void rejectsLinksOfOtherTransports() throws IOException {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            SocketLink link = new SocketLink(socket);
            assertThatThrownBy(() -> poller.register(link, "a"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a pipe link: ");
        }
    }

    @Test
    void rejectsClosedLinks() throws IOException {
        PipeLink[] p = pair();
        p[0].close();
        assertThatThrownBy(() -> poller.register(p[0], "a")).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void interruptEndsASelectionAndStaysSet() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<Boolean> selection = Procs.inThread("selecting", () -> {
            poller.select(-1);
            return Thread.currentThread().isInterrupted();
        });
        assertThat(selection.blockedIn(PipePoller.class, "select", 100, 5000)).isTrue();
        selection.thread().interrupt();
        assertThat(selection.outcome().get(5, TimeUnit.SECONDS)).as("the interrupt status stays set").isTrue();
    }

    @Test
    void closeEndsASelectionInAnotherThread() throws Exception {
        PipeLink[] p = pair();
        poller.register(p[0], "a");
        Procs.Call<Object> selection = Procs.inThread("selecting", () -> {
            try {
                return poller.select(-1);
            } catch (ClosedSelectorException e) {
                return e;
            }
        });
        assertThat(selection.blockedIn(PipePoller.class, "select", 100, 5000)).isTrue();
        poller.close();
        Object outcome = selection.outcome().get(5, TimeUnit.SECONDS);
        assertThat(outcome).satisfiesAnyOf(
                o -> assertThat(o).isInstanceOf(ClosedSelectorException.class),
                o -> assertThat(o).isEqualTo(List.of()));
        assertThatThrownBy(() -> poller.select(0)).isInstanceOf(ClosedSelectorException.class);
        poller.wakeup();
        poller.close();
        assertThat(p[0].isOpen()).as("closing a poller leaves its links open").isTrue();
    }

    @Test
    void closingPollersAndLinksGivesBackEveryDescriptor() throws Exception {
        PipeLink[] warm = pair();
        poller.register(warm[0], "warm");
        int before = Procs.openFds();
        for (int i = 0; i < 20; i++) {
            PipePoller other = (PipePoller) Poller.forPipes();
            PipeLink[] p = PipeFixtures.linkPair();
            other.register(p[0], "a");
            poller.register(p[0], "b");
            assertThat(p[0].awaitReadable(0)).isFalse();
            poller.select(0);
            p[0].close();
            p[1].close();
            other.close();
        }
        poller.select(0);
        assertThat(Procs.openFds()).isEqualTo(before);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }
}

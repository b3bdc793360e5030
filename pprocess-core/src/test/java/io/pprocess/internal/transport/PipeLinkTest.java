package io.pprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Procs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parent's pipe link, on links joined in this process. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeLinkTest {

    @Test
    void movesBytesBothWays() throws IOException {
        PipeLink[] p = PipeFixtures.linkPair();
        try {
            p[0].write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ByteBuffer in = ByteBuffer.allocate(10);
            in.position(4);
            assertThat(p[1].read(in)).isEqualTo(3);
            assertThat(in.position()).isEqualTo(7);
            assertThat(in.array()).startsWith(0, 0, 0, 0, 1, 2, 3);
            p[1].write(ByteBuffer.wrap(new byte[] {9}));
            ByteBuffer back = ByteBuffer.allocate(1);
            assertThat(p[0].read(back)).isEqualTo(1);
            assertThat(back.get(0)).isEqualTo((byte) 9);
            assertThat(p[0].read(ByteBuffer.allocate(0))).isZero();
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void largeTransferArrivesIntact() throws Exception {
        PipeLink[] p = PipeFixtures.linkPair();
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        CRC32 sent = new CRC32();
        sent.update(data);
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    // A heap buffer with an offset, written in odd slices.
                    ByteBuffer src = ByteBuffer.wrap(data);
                    while (src.hasRemaining()) {
                        ByteBuffer slice = src.slice();
                        slice.limit(Math.min(slice.remaining(), 100_003));
                        p[0].write(slice);
                        src.position(src.position() + slice.position());
                    }
                    p[0].close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            CRC32 received = new CRC32();
            long total = 0;
            ByteBuffer in = ByteBuffer.allocate(37_000);
            int n;
            while ((n = p[1].read(in)) >= 0) {
                received.update(in.array(), 0, n);
                total += n;
                in.clear();
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(data.length);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void awaitReadableHonoursItsTimeout() throws IOException {
        PipeLink[] p = PipeFixtures.linkPair();
        try {
            long start = System.nanoTime();
            assertThat(p[1].awaitReadable(0)).isFalse();
            assertThat(p[1].awaitReadable(200)).isFalse();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 3000L);
            p[0].write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(p[1].awaitReadable(-1)).isTrue();
            assertThat(p[1].read(ByteBuffer.allocate(1))).isEqualTo(1);
            assertThat(p[1].awaitReadable(0)).isFalse();
            p[0].close();
            assertThat(p[1].awaitReadable(5000)).as("end of stream is readable").isTrue();
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void writingToAClosedPeerFailsWithBrokenPipe() throws IOException {
        PipeLink[] p = PipeFixtures.linkPair();
        p[1].close();
        try {
            assertThatThrownBy(() -> p[0].write(ByteBuffer.wrap(new byte[] {1})))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("write to pipe link")
                    .hasMessageContaining("EPIPE");
        } finally {
            p[0].close();
        }
    }

    @Test
    void closedLinkRefusesUseAndClosesOnce() throws IOException {
        PipeLink[] p = PipeFixtures.linkPair();
        p[1].close();
        p[0].close();
        p[0].close();
        assertThat(p[0].isOpen()).isFalse();
        assertThatThrownBy(() -> p[0].read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> p[0].write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> p[0].awaitReadable(0)).isInstanceOf(ClosedChannelException.class);
    }

    /**
     * Closing never blocks; a descriptor a read is blocked on is closed when the read returns,
     * and then every descriptor is given back.
     */
    @Test
    void closeDuringABlockedReadDefersThatDescriptor() throws Exception {
        int before = Procs.openFds();
        PipeLink[] p = PipeFixtures.linkPair();
        Procs.Call<Integer> reader = Procs.inThread("reading", () -> p[1].read(ByteBuffer.allocate(4)));
        assertThat(reader.blockedIn(PipeLink.class, "read", 200, 5000)).as("the read is blocked").isTrue();
        long start = System.nanoTime();
        p[1].close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
        assertThat(p[1].isOpen()).isFalse();
        String readTarget = Procs.descriptorTarget(p[1].readFd());
        assertThat(readTarget).as("still open under the blocked read").startsWith("pipe:");
        p[0].close();
        assertThat(reader.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(Procs.eventually(5000, () -> Procs.openFds() == before)).isTrue();
    }

    @Test
    void closeEndsAnAwaitInAnotherThread() throws Exception {
        PipeLink[] p = PipeFixtures.linkPair();
        try {
            Procs.Call<Boolean> waiter = Procs.inThread("awaiting", () -> p[1].awaitReadable(-1));
            assertThat(waiter.blockedIn(PipeLink.class, "awaitReadable", 200, 5000)).isTrue();
            p[1].close();
            assertThat(waiter.outcome().get(5, TimeUnit.SECONDS)).isFalse();
        } finally {
            p[0].close();
            p[1].close();
        }
    }
}

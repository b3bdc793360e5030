package io.pprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket link's waits, on a connected pair of AF_UNIX channels in this process: a read
 * polls briefly and then sleeps in a selection, and both phases end on bytes, an interrupt, a
 * time limit or a close.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketLinkTest {
    private Path dir;
    private SocketLink a;
    private SocketLink b;

    @BeforeEach
    void connect() throws IOException {
        dir = Files.createTempDirectory("pprocess-linktest-");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.connect(address);
            a = new SocketLink(client);
            b = new SocketLink(server.accept());
        }
    }

    @AfterEach
    void close() throws IOException {
        a.close();
        b.close();
        Files.deleteIfExists(dir.resolve("s"));
        Files.delete(dir);
    }

    @Test
    void bytesWrittenAtOnceAndLaterAreBothRead() throws Exception {
        a.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteBuffer in = ByteBuffer.allocate(8);
        assertThat(b.read(in)).isEqualTo(3);
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
            pause(50);
            write(a, new byte[] {4});
        });
        assertThat(b.read(in)).isEqualTo(1);
        late.get(10, TimeUnit.SECONDS);
        assertThat(in.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
    }

    @Test
    void aTimedReadWithNothingToReadReturnsZeroAndAZeroLimitDoesNotWait() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8);
        assertThat(b.read(in, 0)).isZero();
        assertThat(b.read(in, 30)).isZero();
        a.write(ByteBuffer.wrap(new byte[] {7}));
        assertThat(b.read(in, 5_000)).isEqualTo(1);
    }

    @Test
    void anInterruptEndsAnUnlimitedReadAndTheLinkStaysUsable() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                b.read(ByteBuffer.allocate(8));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        reader.start();
        started.await();
        pause(100);
        reader.interrupt();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(b.isOpen()).isTrue();
        a.write(ByteBuffer.wrap(new byte[] {5}));
        ByteBuffer in = ByteBuffer.allocate(8);
        assertThat(b.read(in)).isEqualTo(1);
        assertThat(in.get(0)).isEqualTo((byte) 5);
    }

    @Test
    void anInterruptStatusSetBeforeTheReadThrowsAtOnce() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> b.read(ByteBuffer.allocate(8))).isInstanceOf(InterruptedIOException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aCloseFromAnotherThreadEndsAnUnlimitedRead() throws Exception {
        CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
            try {
                return b.read(ByteBuffer.allocate(8));
            } catch (IOException e) {
                return e;
            }
        });
        pause(100);
        b.close();
        assertThat(read.get(10, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void thePeerClosingEndsARead() throws IOException {
        a.close();
        assertThat(b.read(ByteBuffer.allocate(8))).isEqualTo(-1);
    }

    private static void write(SocketLink link, byte[] bytes) {
        try {
            link.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

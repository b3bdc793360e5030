package io.pprocess.internal.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A link over a JDK socket channel (AF_UNIX stream).
 *
 * <p>The channel is non-blocking from the start, and every wait is a selection on a private
 * selector. That is what makes the link survive interrupts: a JDK channel blocked in a
 * blocking read is closed by {@link Thread#interrupt()}, whereas an interrupt only wakes a
 * selection. Reads and writes of heap buffers move at most {@value #CHUNK_BYTES} bytes per
 * call, so the JDK's temporary direct buffer stays small and a large message is copied once,
 * not once per partial write.
 *
 * <p>A read that finds no bytes first polls the socket for a few microseconds ({@link ReadSpin})
 * before it sleeps in the selection: waking from a selection costs more than a blocking read did
 * (an extra system call, and the wake-up of a sleeping thread, which dominates a small round
 * trip). An interrupt ends the polling as it ends the selection.
 */
public final class SocketLink implements Link {
    /** The most bytes of a heap buffer handed to one read or write call. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final SocketChannel channel;
    private final Object selectors = new Object();
    private Selector readSelector;
    private Selector writeSelector;
    private volatile boolean open = true;

    /**
     * Wraps a connected socket channel, which the link now owns and makes non-blocking.
     *
     * @param channel the channel
     * @throws IOException if its mode cannot be changed
     */
    public SocketLink(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
    }

    SocketChannel channel() {
        return channel;
    }

    /** Kept for pollers: the channel is already non-blocking. */
    void makeSelectable() {
        // Nothing to do: see the constructor.
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, -1);
    }

    @Override
    public int read(ByteBuffer dst, long timeoutMillis) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        boolean polled = false;
        while (true) {
            int n = readChunk(dst);
            if (n != 0) {
                return n;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for input");
            }
            if (timeoutMillis == 0) {
                return 0;
            }
            if (!polled && ReadSpin.NANOS > 0) {
                polled = true;
                n = poll(dst);
                if (n != 0) {
                    return n;
                }
                continue;
            }
            long wait = -1;
            if (timeoutMillis > 0) {
                wait = (deadline - System.nanoTime() + 999_999) / 1_000_000L;
                if (wait <= 0) {
                    return 0;
                }
            }
            waitFor(SelectionKey.OP_READ, wait);
        }
    }

    /**
     * Reads again and again for a few microseconds ({@link ReadSpin}).
     *
     * @return the bytes read, -1 at end of stream, or 0 if none came (or the thread was interrupted)
     */
    private int poll(ByteBuffer dst) throws IOException {
        int[] n = new int[1];
        ReadSpin.poll(() -> (n[0] = readChunk(dst)) != 0);
        return n[0];
    }

    private int readChunk(ByteBuffer dst) throws IOException {
        if (dst.isDirect() || dst.remaining() <= CHUNK_BYTES) {
            return channel.read(dst);
        }
        ByteBuffer chunk = dst.slice(dst.position(), CHUNK_BYTES);
        int n = channel.read(chunk);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        boolean interrupted = false;
        try {
            while (src.hasRemaining()) {
                int n;
                if (src.isDirect() || src.remaining() <= CHUNK_BYTES) {
                    n = channel.write(src);
                } else {
                    n = channel.write(src.slice(src.position(), CHUNK_BYTES));
                    src.position(src.position() + n);
                }
                if (n == 0 && src.hasRemaining()) {
                    // A frame is never cut short: the interrupt waits for the caller's next wait.
                    interrupted |= Thread.interrupted();
                    waitFor(SelectionKey.OP_WRITE, -1);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        return waitFor(SelectionKey.OP_READ, timeoutMillis);
    }

    private boolean waitFor(int op, long timeoutMillis) throws IOException {
        Selector selector;
        synchronized (selectors) {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (op == SelectionKey.OP_READ) {
                if (readSelector == null) {
                    readSelector = Selector.open();
                    channel.register(readSelector, op);
                }
                selector = readSelector;
            } else {
                if (writeSelector == null) {
                    writeSelector = Selector.open();
                    channel.register(writeSelector, op);
                }
                selector = writeSelector;
            }
        }
        try {
            int n;
            if (timeoutMillis < 0) {
                n = selector.select();
            } else if (timeoutMillis == 0) {
                n = selector.selectNow();
            } else {
                n = selector.select(timeoutMillis);
            }
            selector.selectedKeys().clear();
            if (!open) {
                throw new AsynchronousCloseException();
            }
            return n > 0;
        } catch (ClosedSelectorException | CancelledKeyException e) {
            AsynchronousCloseException closed = new AsynchronousCloseException();
            closed.initCause(e);
            throw closed;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        synchronized (selectors) {
            if (!open) {
                return;
            }
            open = false;
            closeQuietly(readSelector);
            closeQuietly(writeSelector);
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket we own cannot fail in a way we could act on.
        }
    }

    private static void closeQuietly(Selector selector) {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing to do: the selector is being dropped.
            }
        }
    }

    @Override
    public String toString() {
        return "socket link";
    }
}

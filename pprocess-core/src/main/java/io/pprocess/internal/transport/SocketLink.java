package io.pprocess.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A link over a JDK socket channel (AF_UNIX stream).
 *
 * <p>The channel stays in blocking mode, the fastest for a lone channel, until it is first
 * registered with a {@link SelectorPoller}; from then on it is non-blocking and blocking reads
 * and writes wait on a private selector.
 */
public final class SocketLink implements Link {
    private final SocketChannel channel;
    private final Object modeLock = new Object();
    private Selector readSelector;
    private Selector writeSelector;
    private volatile boolean open = true;

    /**
     * Wraps a connected socket channel.
     *
     * @param channel the channel, in blocking mode
     */
    public SocketLink(SocketChannel channel) {
        this.channel = channel;
    }

    SocketChannel channel() {
        return channel;
    }

    /** Switches to non-blocking mode so the channel can be registered with a selector. */
    void makeSelectable() throws IOException {
        synchronized (modeLock) {
            if (channel.isBlocking()) {
                channel.configureBlocking(false);
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n != 0 || channel.isBlocking() || !dst.hasRemaining()) {
            return n;
        }
        while (true) {
            waitFor(SelectionKey.OP_READ, -1);
            n = channel.read(dst);
            if (n != 0) {
                return n;
            }
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n = channel.write(src);
            if (n == 0 && src.hasRemaining() && !channel.isBlocking()) {
                waitFor(SelectionKey.OP_WRITE, -1);
            }
        }
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        synchronized (modeLock) {
            if (channel.isBlocking()) {
                if (channel.isRegistered()) {
                    throw new IllegalStateException("blocking channel is registered");
                }
                channel.configureBlocking(false);
            }
        }
        return waitFor(SelectionKey.OP_READ, timeoutMillis);
    }

    private boolean waitFor(int op, long timeoutMillis) throws IOException {
        Selector selector;
        synchronized (modeLock) {
            if (!open) {
                throw new java.nio.channels.ClosedChannelException();
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
        int n;
        if (timeoutMillis < 0) {
            n = selector.select();
        } else if (timeoutMillis == 0) {
            n = selector.selectNow();
        } else {
            n = selector.select(timeoutMillis);
        }
        selector.selectedKeys().clear();
        return n > 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        synchronized (modeLock) {
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
}

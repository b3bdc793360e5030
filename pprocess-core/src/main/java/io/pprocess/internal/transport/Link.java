package io.pprocess.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bidirectional byte stream between two processes: one socket, or a pair of pipes.
 *
 * <p>Reads and writes block, whatever mode the underlying descriptors are in. A link may be
 * registered with a {@link Poller} of its own transport while it is read and written.
 *
 * <p><b>Interrupts.</b> {@link #read(ByteBuffer, long)} waits in a way that an interrupt wakes
 * without harming the link: it throws {@link java.io.InterruptedIOException}, the interrupt
 * status stays set, and the link can be read again. A write is not abandoned halfway (that
 * would cut a frame): an interrupt that comes during a write is kept for the caller's next
 * wait. {@link #close()} from another thread ends a wait with an {@link IOException}
 * ({@link java.nio.channels.AsynchronousCloseException} or
 * {@link java.nio.channels.ClosedChannelException}).
 */
public interface Link extends Closeable {

    /**
     * Reads at least one byte, waiting for it.
     *
     * @param dst where to put the bytes
     * @return the number of bytes read, or -1 at end of stream
     * @throws IOException on failure (including a reset by the peer)
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Reads at least one byte, waiting up to {@code timeoutMillis} for it; an interrupt ends the
     * wait without closing the link.
     *
     * @param dst where to put the bytes
     * @param timeoutMillis negative waits as long as needed, zero just looks
     * @return the number of bytes read, 0 if none came in time, or -1 at end of stream
     * @throws java.io.InterruptedIOException if the thread was interrupted before or while
     *     waiting (its interrupt status stays set; nothing was read)
     * @throws IOException on failure, or if the link was closed
     */
    int read(ByteBuffer dst, long timeoutMillis) throws IOException;

    /**
     * Writes all remaining bytes of {@code src}, waiting as needed.
     *
     * @param src the bytes
     * @throws IOException on failure (including a peer that has gone)
     */
    void write(ByteBuffer src) throws IOException;

    /**
     * Waits until a read would not block (input or end of stream).
     *
     * @param timeoutMillis how long to wait: negative waits as long as needed, zero just looks
     * @return whether a read would not block
     * @throws IOException on failure
     */
    boolean awaitReadable(long timeoutMillis) throws IOException;

    /** @return whether {@link #close()} has not been called */
    boolean isOpen();

    /** Closes both directions; idempotent; never blocks. */
    @Override
    void close();
}

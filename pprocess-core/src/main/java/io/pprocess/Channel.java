package io.pprocess;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * One end of a two-way connection between a parent process and a child process it created.
 *
 * <p>Objects travel as Kryo-serialised frames. {@link #send} is <em>acknowledged</em>: it
 * returns only when the peer's {@link #receive} has read the object, so a child cannot end
 * (and tear down the channel) before the parent has its data. {@link #sendUnacknowledged}
 * skips that wait, for streams.
 *
 * <p><b>Threads.</b> One thread at a time may read a channel: {@link #receive()},
 * {@link #receive(Duration)}, {@link #ready(Duration)}, and {@link #send} (which reads the
 * acknowledgement). A second thread that calls one of them while another is inside one gets an
 * {@link IllegalStateException} at once, and nothing is read or written for it.
 * {@link #sendUnacknowledged} is safe from any thread, also while another thread receives: each
 * message is written whole. {@link #close()} may be called from any thread.
 *
 * <p><b>Interrupts.</b> A thread interrupted while it waits in {@code receive}, {@code send} or
 * {@code ready} (or that would wait with its interrupt status already set) gets a
 * {@link ChannelInterruptedException}, its interrupt status still set. The channel stays usable
 * and the child keeps running: a message that arrives later is received by the next
 * {@code receive}. (Inside a child started with the pipe transport, an interrupt during an
 * unlimited wait closes the channel, as the JDK closes an interrupted file channel; the
 * exception says so.)
 *
 * <p><b>Ends.</b> Closing a channel never blocks. In the parent, {@link #close()} also ends the
 * child: one that has not exited 2 seconds later ({@code pprocess.exitGraceMillis}) is killed.
 * A thread blocked on the channel when another thread closes it gets a
 * {@link ChannelException} saying the channel is closed. When the peer has gone away,
 * {@code receive} and {@code send} throw: in the parent a {@link ChildProcessException} naming
 * the child's pid and its exit status or signal, in a child a {@link ChannelException}. No
 * call blocks forever on a dead peer.
 *
 * <p><b>Arrays.</b> A {@code byte[]}, a {@link java.nio.ByteBuffer} (its remaining bytes) and
 * arrays of {@code short}, {@code char}, {@code int}, {@code long}, {@code float} and
 * {@code double} are sent as their bytes, without the serialiser, and arrive as the same type (a
 * buffer arrives as a heap buffer, position 0). Any message may be up to 256 MiB; set
 * {@code -Dpprocess.maxFrameBytes} (or {@code PPROCESS_MAX_FRAME_BYTES}) to change that.
 */
public interface Channel extends AutoCloseable {

    /**
     * Sends a value and waits until the peer has received it.
     *
     * <p>A {@link Throwable} is sent as a failure: the peer's {@code receive} throws it as a
     * {@link RemoteException}. {@code null} is a valid value.
     *
     * @param value the value; its class must be serialisable by Kryo
     * @throws CodecException if the value cannot be serialised (nothing has been sent, the
     *     channel stays usable); the message names the value's class, or, for a value larger
     *     than the maximum frame size, the limit and the property that raises it
     * @throws ChannelInterruptedException if the thread was interrupted while waiting for the
     *     acknowledgement (the value has been sent)
     * @throws ChildProcessException if the child ended before acknowledging
     * @throws ChannelException if the channel is closed or broken
     */
    void send(Object value);

    /**
     * Sends a value without waiting for the peer to read it. Values arrive in order; the peer
     * reads them with {@link #receive()} as usual. Data already written is still delivered if
     * the sender then ends, because a reader reads a channel to its end.
     *
     * @param value the value
     * @throws CodecException if the value cannot be serialised (nothing has been sent)
     * @throws ChannelException if the channel is closed or broken
     */
    void sendUnacknowledged(Object value);

    /**
     * Waits for the next value and acknowledges it.
     *
     * @param <T> the expected type of the value (checked by the caller's cast)
     * @return the value, possibly {@code null}
     * @throws RemoteException if the peer sent a failure (a child's exception)
     * @throws ChildProcessException if the child ended without sending
     * @throws CodecException if the value could not be deserialised (it has been consumed; the
     *     channel stays usable)
     * @throws ChannelInterruptedException if the thread was interrupted while waiting
     * @throws ChannelException if the channel is closed, broken, or the peer broke the protocol
     */
    <T> T receive();

    /**
     * Waits up to {@code timeout} for the next value and acknowledges it; otherwise as
     * {@link #receive()}.
     *
     * @param <T> the expected type of the value (checked by the caller's cast)
     * @param timeout how long to wait for the whole message; zero takes only what has arrived
     * @return the value, possibly {@code null}
     * @throws ChannelTimeoutException if no whole message came in time (nothing is lost: part
     *     of a message that has arrived is kept for the next {@code receive}; the channel stays
     *     usable)
     * @throws ChannelInterruptedException if the thread was interrupted while waiting
     * @throws RemoteException if the peer sent a failure
     * @throws ChildProcessException if the child ended without sending
     * @throws ChannelException if the channel is closed or broken
     */
    <T> T receive(Duration timeout);

    /**
     * Tells whether {@link #receive()} would return (or throw) without waiting, waiting up to
     * {@code timeout} for that to become true. End of channel counts as ready.
     *
     * @param timeout how long to wait; zero just looks
     * @return whether a value (or the end of the channel) is waiting
     * @throws ChannelInterruptedException if the thread was interrupted while waiting
     * @throws ChannelException if the channel is closed
     */
    boolean ready(Duration timeout);

    /** @return the child's process id in the parent, or 0 inside the child (as in pprocess) */
    long pid();

    /** @return whether {@link #close()} has not yet been called and no protocol error broke it */
    boolean isOpen();

    /**
     * Waits up to {@code timeout} for the child to end and reaps it. Inside the child this
     * returns empty at once.
     *
     * @param timeout how long to wait; zero just looks
     * @return the child's exit status ({@code 128 + n} for signal n), or empty if it is still
     *     running
     */
    OptionalInt waitFor(Duration timeout);

    /**
     * Closes this end. A peer blocked on the channel sees its end; a child whose parent closes
     * the channel normally ends by itself, and in the parent a child still running 2 seconds
     * later ({@code pprocess.exitGraceMillis}) is killed. A persistent process is never ended by
     * closing a channel to it. Never blocks; closing twice does nothing.
     */
    @Override
    void close();
}

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
 * <p>A channel is meant to be used by one thread at a time. Closing a channel never blocks.
 * When the peer has gone away, {@code receive} and {@code send} throw: in the parent a
 * {@link ChildProcessException} naming the child's pid and its exit status or signal, in a
 * child a {@link ChannelException}. No call blocks forever on a dead peer.
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
     *     channel stays usable); the message names the value's class
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
     * @throws ChannelException if the channel is closed, broken, or the peer broke the protocol
     */
    <T> T receive();

    /**
     * Tells whether {@link #receive()} would return (or throw) without waiting, waiting up to
     * {@code timeout} for that to become true. End of channel counts as ready.
     *
     * @param timeout how long to wait; zero just looks
     * @return whether a value (or the end of the channel) is waiting
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
     * the channel normally ends by itself. Never blocks; closing twice does nothing.
     */
    @Override
    void close();
}

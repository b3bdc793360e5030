package io.pprocess;

/**
 * Thrown when a thread waiting on a channel or an exchange is interrupted (or was already
 * interrupted when it would have waited): the unchecked counterpart of
 * {@link InterruptedException} for pprocess's blocking calls.
 *
 * <p>The thread's interrupt status stays set, so code above it still sees the interrupt. The
 * child is not blamed and keeps running, and the channel stays usable: a message that arrives
 * later is received by the next {@code receive}, and a value whose {@code send} was waiting for
 * its acknowledgement has been sent (its late acknowledgement is passed over).
 */
public class ChannelInterruptedException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what was interrupted, naming the channel or exchange
     * @param cause the underlying {@link InterruptedException} or
     *     {@link java.io.InterruptedIOException}, or {@code null}
     */
    public ChannelInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}

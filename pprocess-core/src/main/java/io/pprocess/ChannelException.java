package io.pprocess;

/**
 * Thrown when a channel cannot carry a message: an I/O error, a closed channel, or a peer that
 * breaks the protocol (garbage, an unknown frame kind, a frame longer than the maximum).
 *
 * <p>After a protocol error the channel is unusable and is closed; after an I/O error it
 * usually is too. {@link ChildProcessException} is the case where the peer is a child process
 * that has ended.
 */
public class ChannelException extends PProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the channel
     */
    public ChannelException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, naming the channel
     * @param cause the underlying failure
     */
    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}

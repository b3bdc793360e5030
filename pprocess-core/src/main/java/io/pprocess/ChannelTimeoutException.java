package io.pprocess;

/**
 * Thrown by {@link Channel#receive(java.time.Duration)} when no whole message arrived within
 * the time limit.
 *
 * <p>Nothing is lost and the channel stays usable: bytes of a message that had begun to arrive
 * are kept, and the next {@code receive} continues with them. The child is not blamed and keeps
 * running.
 */
public class ChannelTimeoutException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what timed out, naming the channel and the limit
     */
    public ChannelTimeoutException(String message) {
        super(message);
    }
}

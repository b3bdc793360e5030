package io.pprocess;

/**
 * Thrown when a value cannot be serialised for a channel, or a received message cannot be
 * turned back into an object (for example because its class is missing on this side).
 *
 * <p>The message names the value's class. Encoding happens before anything is written, and a
 * received message is consumed whole before it is decoded, so the channel stays usable.
 */
public class CodecException extends PProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what could not be encoded or decoded, naming its class
     * @param cause the serialiser's own failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}

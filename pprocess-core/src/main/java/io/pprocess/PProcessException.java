package io.pprocess;

/** The root of the unchecked exceptions thrown by pprocess. */
public class PProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong
     */
    public PProcessException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public PProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}

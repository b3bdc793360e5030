package io.pprocess;

/** The root of the unchecked exceptions thrown by pprocess. */
public class PProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The index of the failed item, or -1 when the exception does not belong to one. */
    private int item = -1;

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

    /**
     * Returns the index of the item (the job's place in start order) of a
     * {@link MapExchange}, {@link QueueExchange} or {@code pmap} that failed with this exception.
     *
     * @return the item's index, or empty if the exception does not belong to an item
     */
    public java.util.OptionalInt item() {
        return item < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(item);
    }

    /** @param index the failed item's index */
    void setItem(int index) {
        this.item = index;
    }

    @Override
    public String getMessage() {
        String message = super.getMessage();
        return item < 0 ? message : "item " + item + ": " + message;
    }
}

package io.pprocess;

/**
 * Thrown for a result that will not come because its exchange or {@code pmap} was
 * {@linkplain Exchange#cancel() cancelled} before it arrived. Results that arrived before the
 * cancellation are still delivered.
 */
public class CancelledException extends PProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was cancelled
     */
    public CancelledException(String message) {
        super(message);
    }
}

package io.pprocess;

import java.time.Duration;

/**
 * Thrown for a {@code pmap} item that ran past its {@linkplain PoolOptions#itemTimeout time
 * limit} (its child was killed and replaced; the other items go on), or that was not done by
 * the {@linkplain PoolOptions#deadline deadline} of the whole {@code pmap}.
 *
 * <p>The message names the item ({@link #item()}), the child's pid when the item was running,
 * and the limit, for example
 * {@code "item 7: child process 4242 ran item 7 past its time limit of 2000 ms (itemTimeout); it was killed"}.
 */
public class TimeLimitException extends PProcessException {
    private static final long serialVersionUID = 1L;

    /** The pid of the child that was running the item, or 0. */
    private final long pid;
    /** The limit passed. */
    private final Duration limit;

    /**
     * Creates the exception.
     *
     * @param pid the pid of the child that was running the item, or 0 if it was not running
     * @param limit the limit that was passed
     * @param message the full message (without the item prefix)
     */
    public TimeLimitException(long pid, Duration limit, String message) {
        super(message);
        this.pid = pid;
        this.limit = limit;
    }

    /** @return the pid of the child that was running the item (it was killed), or 0 if none */
    public long pid() {
        return pid;
    }

    /** @return the limit that was passed */
    public Duration limit() {
        return limit;
    }
}

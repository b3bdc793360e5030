package io.pprocess.cluster;

import io.pprocess.TimeLimitException;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * An item of a cluster job ran past its {@linkplain io.pprocess.PoolOptions#itemTimeout time
 * limit} on a node — the child running it there was killed and replaced, the other items went
 * on — or was not done by the job's {@linkplain io.pprocess.PoolOptions#deadline deadline}: the
 * {@link TimeLimitException} of a local {@code pmap}, with the node. {@link #pid()} is the
 * killed child's on that node (0 for a deadline), {@link #limit()} the limit passed.
 *
 * <p>For example {@code "item 7: child process 4242 ran past the item time limit of 2000 ms
 * (itemTimeout) and was killed on node [10.0.0.2]:5701"}.
 */
public class NodeTimeLimitException extends TimeLimitException implements NodeFailure {
    private static final long serialVersionUID = 1L;

    private final int item;
    private final String node;

    /**
     * Creates the exception.
     *
     * @param pid the pid of the child that was killed on the node, or 0
     * @param limit the limit passed
     * @param message what happened
     * @param item the item's index
     * @param node the node, or {@code null} if the item was not running on one
     */
    public NodeTimeLimitException(long pid, Duration limit, String message, int item, String node) {
        super(pid, limit, message);
        this.item = item;
        this.node = node;
    }

    @Override
    public OptionalInt item() {
        return item < 0 ? OptionalInt.empty() : OptionalInt.of(item);
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String getMessage() {
        return NodeFailure.prefix(item, super.getMessage());
    }
}

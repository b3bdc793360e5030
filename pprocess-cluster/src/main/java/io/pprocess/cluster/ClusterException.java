package io.pprocess.cluster;

import io.pprocess.PProcessException;
import java.util.OptionalInt;

/**
 * A failure of the cluster rather than of an item's function: a job refused by the nodes (a
 * wrong secret), no node left to run the items, a node that could not run a chunk, a bad
 * option or secret file.
 *
 * <p>When it stands for one item of a {@link ClusterMap} or {@link ClusterQueue}, {@link #item()}
 * gives the item's index and the message begins with it, as for the failures of a local
 * {@code pmap}.
 */
public class ClusterException extends PProcessException implements NodeFailure {
    private static final long serialVersionUID = 1L;

    private final int item;
    private final String node;

    /**
     * Creates an exception that belongs to no item.
     *
     * @param message what went wrong
     */
    public ClusterException(String message) {
        this(message, null, -1, null);
    }

    /**
     * Creates an exception.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or {@code null}
     * @param item the item's index, or -1
     * @param node the node concerned, or {@code null}
     */
    public ClusterException(String message, Throwable cause, int item, String node) {
        super(message, cause);
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

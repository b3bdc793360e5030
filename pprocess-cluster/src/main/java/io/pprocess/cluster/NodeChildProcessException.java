package io.pprocess.cluster;

import io.pprocess.ChildProcessException;
import java.util.OptionalInt;

/**
 * An item's child died on a node without answering: the {@link ChildProcessException} of a
 * local {@code pmap}, with the node; {@link #pid()} and {@link #exitStatus()} are the child's
 * on that node.
 */
public class NodeChildProcessException extends ChildProcessException implements NodeFailure {
    private static final long serialVersionUID = 1L;

    private final int item;
    private final String node;
    private final int status;

    /**
     * Creates the exception.
     *
     * @param pid the child's pid on the node
     * @param exitStatus its exit status as the JDK reports it, or -1
     * @param message the node's description of the death
     * @param item the item's index
     * @param node the node
     */
    public NodeChildProcessException(long pid, int exitStatus, String message, int item, String node) {
        super(pid, message + " on node " + node, null);
        this.status = exitStatus;
        this.item = item;
        this.node = node;
    }

    @Override
    public int exitStatus() {
        return status;
    }

    @Override
    public OptionalInt signal() {
        return status > 128 && status < 128 + 65 ? OptionalInt.of(status - 128) : OptionalInt.empty();
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

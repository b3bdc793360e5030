package io.pprocess.cluster;

import io.pprocess.RemoteException;
import java.util.OptionalInt;

/**
 * An item's function threw in a child on a node: the {@link RemoteException} of a local
 * {@code pmap}, with the node; {@link #pid()} is the child's pid on that node.
 */
public class NodeRemoteException extends RemoteException implements NodeFailure {
    private static final long serialVersionUID = 1L;

    private final int item;
    private final String node;

    /**
     * Creates the exception.
     *
     * @param remoteClassName the class name of the exception in the child
     * @param remoteMessage its message, or {@code null}
     * @param pid the child's pid on the node
     * @param stack the child's stack trace
     * @param cause the remote cause, or {@code null}
     * @param item the item's index
     * @param node the node
     */
    public NodeRemoteException(String remoteClassName, String remoteMessage, long pid, StackTraceElement[] stack,
                               RemoteException cause, int item, String node) {
        super(remoteClassName, remoteMessage, pid, stack, cause);
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
        return NodeFailure.prefix(item, super.getMessage() + " (child process " + pid() + " on node " + node + ")");
    }
}

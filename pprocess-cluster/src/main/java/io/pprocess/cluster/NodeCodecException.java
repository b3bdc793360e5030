package io.pprocess.cluster;

import io.pprocess.CodecException;
import java.util.OptionalInt;

/**
 * An item or its result could not be serialised or deserialised, on the driver or on a node:
 * the {@link CodecException} of a local {@code pmap}, with the node.
 */
public class NodeCodecException extends CodecException implements NodeFailure {
    private static final long serialVersionUID = 1L;

    private final int item;
    private final String node;

    /**
     * Creates the exception.
     *
     * @param message what could not be (de)serialised
     * @param cause the serialiser's failure, or {@code null}
     * @param item the item's index
     * @param node the node, or {@code null} when it happened on the driver
     */
    public NodeCodecException(String message, Throwable cause, int item, String node) {
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
        return NodeFailure.prefix(item, super.getMessage() + (node == null ? " (on the driver)" : " (on node " + node + ")"));
    }
}

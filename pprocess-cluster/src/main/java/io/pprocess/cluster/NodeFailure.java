package io.pprocess.cluster;

/**
 * What the failures of a cluster job add to those of a local {@code pmap}: the node the item
 * ran on. Implemented by {@link NodeRemoteException}, {@link NodeChildProcessException},
 * {@link NodeCodecException}, {@link NodeTimeLimitException} and {@link ClusterException}.
 */
public interface NodeFailure {

    /**
     * Returns the node the failure happened on, as its Hazelcast member address
     * ({@code "[127.0.0.1]:5701"}).
     *
     * @return the node, or {@code null} when no node is concerned (for example none was left)
     */
    String node();

    /**
     * The message of an item's failure: {@code "item N: "} and the message, as a local map
     * words it.
     *
     * @param item the item's index, or -1
     * @param message the message
     * @return the message to show
     */
    static String prefix(int item, String message) {
        return item < 0 ? message : "item " + item + ": " + message;
    }
}

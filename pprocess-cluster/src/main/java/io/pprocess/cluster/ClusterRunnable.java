package io.pprocess.cluster;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to a node: write it as a lambda or method reference where
 * this type is expected, as in {@link ClusterExecutor#submit(ClusterRunnable)}.
 */
@FunctionalInterface
public interface ClusterRunnable extends Runnable, Serializable {
}

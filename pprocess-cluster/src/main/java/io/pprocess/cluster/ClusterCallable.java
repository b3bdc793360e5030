package io.pprocess.cluster;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a node: write it as a lambda or method reference where
 * this type is expected, as in {@link ClusterExecutor#submit(ClusterCallable)}.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface ClusterCallable<V> extends Callable<V>, Serializable {
}

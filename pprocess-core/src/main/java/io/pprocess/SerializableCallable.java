package io.pprocess;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a child process: write it as a lambda or method
 * reference where this type is expected, as in {@link ProcessExecutor#submit(SerializableCallable)}.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}

package io.pprocess;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to a child process: write it as a lambda or method
 * reference where this type is expected, as in {@link ProcessExecutor#submit(SerializableRunnable)}.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}

package io.pprocess;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can be sent to a child process: write it as a lambda or method
 * reference where this type is expected (a {@code pmap} worker's
 * {@linkplain PoolOptions#initializer initializer}).
 *
 * @param <T> the type of the value supplied
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}

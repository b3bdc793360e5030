package io.pprocess;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a child process: write it as a lambda or method
 * reference where this type is expected.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}

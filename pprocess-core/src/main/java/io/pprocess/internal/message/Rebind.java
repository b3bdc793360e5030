package io.pprocess.internal.message;

/**
 * Gives a parked worker a new function and its first chunk.
 *
 * @param function the function, a {@code SerializableFunction}
 * @param setup how to set the worker up for it
 * @param chunk the first chunk
 */
public record Rebind(Object function, Setup setup, Chunk chunk) {
}

package io.pprocess.internal.message;

/**
 * Consecutive items.
 *
 * @param base the index of the first item
 * @param items the items
 */
public record Chunk(int base, Object[] items) {
}

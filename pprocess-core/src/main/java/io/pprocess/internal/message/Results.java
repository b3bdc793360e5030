package io.pprocess.internal.message;

/**
 * The results of consecutive items of a chunk, in order.
 *
 * @param base the index of the first item
 * @param values the results, with {@link ItemError} for failed items
 * @param heapAfterGc the bytes of heap in use after the last collection, when the worker
 *     was asked to report it and this message ends a chunk; else -1
 */
public record Results(int base, Object[] values, long heapAfterGc) {
}

package io.pprocess.internal.message;

/**
 * How a worker is set up before its first item.
 *
 * @param initializer a {@code io.pprocess.SerializableSupplier} run once before the first item (its
 *     value is {@code Batches.workerState()}), or {@code null}
 * @param reportHeap whether the last report of each chunk carries the heap in use after GC
 */
public record Setup(Object initializer, boolean reportHeap) {
    /** No initialiser, no heap reports. */
    public static final Setup NONE = new Setup(null, false);
}

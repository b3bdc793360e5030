package io.pprocess.cluster.internal;

import io.pprocess.PoolOptions;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a job sends its nodes to run: the user's function and the options of the
 * {@link io.pprocess.PProcess#pmap} a job host runs each chunk with. It travels serialised
 * inside the job, so the job's authentication code covers the options too.
 *
 * @param function the user's function
 * @param itemTimeoutMillis the time limit of one item, or 0 for none
 * @param heapLimit each worker's {@code -Xmx}, or null
 * @param memoryLimit each worker's resident-set limit, or 0
 * @param recycleAfterItems the items after which a worker is replaced, or 0
 * @param recycleAfterAgeMillis the age after which a worker is replaced, or 0
 * @param recycleAboveHeap the heap after GC above which a worker is replaced, or 0
 * @param initializer the worker initialiser, or null
 */
public record JobFunction(SerializableFunction<Object, Object> function, long itemTimeoutMillis, String heapLimit,
                          long memoryLimit, int recycleAfterItems, long recycleAfterAgeMillis, long recycleAboveHeap,
                          SerializableSupplier<?> initializer) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Takes the options of a pool that apply on a node.
     *
     * @param function the user's function
     * @param pool the options, or null for none
     * @return the job's function
     */
    @SuppressWarnings("unchecked")
    public static JobFunction of(SerializableFunction<?, ?> function, PoolOptions pool) {
        SerializableFunction<Object, Object> fn = (SerializableFunction<Object, Object>) function;
        if (pool == null) {
            return new JobFunction(fn, 0, null, 0, 0, 0, 0, null);
        }
        return new JobFunction(fn, millis(pool.itemTimeout()), pool.heapLimit(), pool.memoryLimit(),
                pool.recycleAfterItems(), millis(pool.recycleAfterAge()), pool.recycleAboveHeap(), pool.initializer());
    }

    private static long millis(Duration d) {
        return d == null ? 0 : Math.max(1, d.toMillis());
    }

    /**
     * The options of a job host's {@code pmap} of one chunk.
     *
     * @param workers the workers to use
     * @return the options
     */
    public PoolOptions pool(int workers) {
        PoolOptions o = PoolOptions.defaults().workers(workers).heapLimit(heapLimit).memoryLimit(memoryLimit)
                .recycleAfterItems(recycleAfterItems).recycleAboveHeap(recycleAboveHeap).initializer(initializer);
        if (itemTimeoutMillis > 0) {
            o = o.itemTimeout(Duration.ofMillis(itemTimeoutMillis));
        }
        if (recycleAfterAgeMillis > 0) {
            o = o.recycleAfterAge(Duration.ofMillis(recycleAfterAgeMillis));
        }
        return o;
    }
}

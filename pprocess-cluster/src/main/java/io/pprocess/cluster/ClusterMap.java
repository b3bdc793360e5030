package io.pprocess.cluster;

import io.pprocess.ChannelInterruptedException;
import io.pprocess.PProcessException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The results of {@link Cluster#pmap}, in item order: what {@link io.pprocess.MapExchange} is
 * on one machine.
 *
 * <p>Every item is already on its way when the map is returned. {@link #get(int)} and the
 * iterator wait only for the result they return. An item that failed throws its failure from
 * {@code get} or {@code next} — {@link NodeRemoteException}, {@link NodeChildProcessException},
 * {@link NodeCodecException} or {@link ClusterException}, each naming the item
 * ({@link PProcessException#item()}) and the node — and the other items are still delivered.
 * Each item's result is delivered once, even when its node was lost and the item ran again.
 *
 * <p>Thread-safe. {@link #cancel()} and {@link #close()} stop the job at once: nothing more is
 * sent, the nodes stop the chunks they hold (the children running them end, and nothing of
 * the job is left on the nodes), and every item without a result fails with a
 * {@link io.pprocess.CancelledException} naming it.
 *
 * @param <R> the type of the results
 */
public final class ClusterMap<R> extends JobResults implements Iterable<R> {
    private static final Object PENDING = new Object();

    private final Object[] results;

    ClusterMap(int size) {
        this.results = new Object[size];
        java.util.Arrays.fill(results, PENDING);
    }

    Job.Sink sink() {
        return new Job.Sink() {
            @Override
            public void deliver(int index, Object value) {
                set(index, value);
            }

            @Override
            public void fail(int index, PProcessException failure) {
                set(index, new Failed(failure));
            }
        };
    }

    private record Failed(PProcessException failure) {
    }

    private synchronized void set(int index, Object value) {
        if (results[index] == PENDING) {
            results[index] = value;
            notifyAll();
        }
    }

    /** @return the number of items */
    public int size() {
        return results.length;
    }

    /**
     * Returns the result of item {@code index}, waiting as long as it needs.
     *
     * @param index the item's place, from 0
     * @return its result
     * @throws IndexOutOfBoundsException if there is no such item
     * @throws PProcessException the item's failure, with {@code item()} set: a
     *     {@link io.pprocess.CancelledException} if the map was cancelled or closed before the
     *     result came
     * @throws ChannelInterruptedException if the thread is interrupted while it waits (the
     *     interrupt status stays set; the job goes on)
     */
    @SuppressWarnings("unchecked")
    public R get(int index) {
        if (index < 0 || index >= results.length) {
            throw new IndexOutOfBoundsException("index " + index + " out of 0.." + results.length + " items");
        }
        Object value;
        synchronized (this) {
            while ((value = results[index]) == PENDING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChannelInterruptedException("interrupted while waiting for item " + index
                            + " of a cluster map", e);
                }
            }
        }
        if (value instanceof Failed) {
            throw ((Failed) value).failure();
        }
        return (R) value;
    }

    /**
     * @return every result in item order, waiting for all
     * @throws PProcessException the first failure
     */
    public List<R> toList() {
        List<R> out = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            out.add(get(i));
        }
        return out;
    }

    /**
     * Iterates over the results in item order; a failed item throws from its {@code next()}
     * and iteration may go on.
     *
     * @return the iterator
     */
    @Override
    public Iterator<R> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < results.length;
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    @Override
    String what() {
        return "map";
    }
}

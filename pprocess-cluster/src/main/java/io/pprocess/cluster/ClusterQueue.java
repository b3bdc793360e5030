package io.pprocess.cluster;

import io.pprocess.ChannelInterruptedException;
import io.pprocess.PProcessException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The results of {@link Cluster#queue}, in the order they arrive from the nodes: what
 * {@link io.pprocess.QueueExchange} is on one machine.
 *
 * <p>Iteration waits for the next result and ends when every item has been delivered. A
 * failed item is delivered at its place in arrival order: that {@code next()} throws its
 * failure, naming the item ({@link PProcessException#item()}) and the node, and iteration may
 * go on. Thread-safe. {@link #cancel()} stops the job at once — nothing more is sent, the nodes
 * stop the chunks they hold (the children running them end) — and each item without a result
 * then arrives as a {@link io.pprocess.CancelledException} naming it; {@link #close()} does the
 * same and ends the iteration.
 *
 * @param <R> the type of the results
 */
public final class ClusterQueue<R> extends JobResults implements Iterable<R> {
    private final ArrayDeque<Object[]> arrived = new ArrayDeque<>();
    private final int size;
    private int delivered;
    private int taken;

    ClusterQueue(int size) {
        this.size = size;
    }

    Job.Sink sink() {
        return new Job.Sink() {
            @Override
            public void deliver(int index, Object value) {
                add(new Object[] {value, null});
            }

            @Override
            public void fail(int index, PProcessException failure) {
                add(new Object[] {null, failure});
            }
        };
    }

    private synchronized void add(Object[] outcome) {
        if (isClosed()) {
            return;
        }
        arrived.add(outcome);
        delivered++;
        notifyAll();
    }

    /** @return the number of items */
    public int size() {
        return size;
    }

    /** @return how many results have arrived and not been taken yet */
    public synchronized int available() {
        return arrived.size();
    }

    /**
     * Iterates over the results as they arrive. {@code hasNext()} waits; a thread interrupted
     * while it waits gets a {@link ChannelInterruptedException} (its interrupt status stays
     * set; the job goes on).
     *
     * @return the iterator
     */
    @Override
    public Iterator<R> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                synchronized (ClusterQueue.this) {
                    while (arrived.isEmpty() && taken < size && !isClosed()) {
                        try {
                            ClusterQueue.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new ChannelInterruptedException("interrupted while waiting for a result of a"
                                    + " cluster queue", e);
                        }
                    }
                    return !arrived.isEmpty();
                }
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                Object[] outcome;
                synchronized (ClusterQueue.this) {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    outcome = arrived.poll();
                    taken++;
                }
                if (outcome[1] != null) {
                    throw (PProcessException) outcome[1];
                }
                return (R) outcome[0];
            }
        };
    }

    @Override
    String what() {
        return "queue";
    }

    @Override
    void closing() {
        arrived.clear();
    }
}

package io.pprocess.cluster;

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
 * go on. Thread-safe; closing stops sending items and ends the iteration.
 *
 * @param <R> the type of the results
 */
public final class ClusterQueue<R> implements Iterable<R>, AutoCloseable {
    private final ArrayDeque<Object[]> arrived = new ArrayDeque<>();
    private final int size;
    private int delivered;
    private int taken;
    private Job job;
    private boolean closed;

    ClusterQueue(int size) {
        this.size = size;
    }

    void attach(Job job) {
        this.job = job;
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
     * Iterates over the results as they arrive.
     *
     * @return the iterator
     */
    @Override
    public Iterator<R> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                synchronized (ClusterQueue.this) {
                    boolean interrupted = false;
                    while (arrived.isEmpty() && taken < size && !closed) {
                        try {
                            ClusterQueue.this.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
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

    /** Stops the job; iteration ends after the results already arrived. */
    @Override
    public void close() {
        Job j;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            j = job;
        }
        if (j != null) {
            j.cancel("the queue was closed before the item was delivered");
        }
    }
}

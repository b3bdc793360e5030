package io.pprocess.cluster;

import io.pprocess.CancelledException;

/**
 * What {@link ClusterMap} and {@link ClusterQueue} share: the job behind them and how it is
 * cancelled or closed. The monitor of this object guards the results of both.
 */
abstract class JobResults implements AutoCloseable {
    private Job job;
    private boolean closed;
    private boolean stopped;

    synchronized void attach(Job job) {
        this.job = job;
    }

    /** @return whether {@link #close()} was called */
    final synchronized boolean isClosed() {
        return closed;
    }

    /** @return "map" or "queue", for the messages */
    abstract String what();

    /** Called, holding the monitor, when the results are closed: let go of what is kept. */
    void closing() {
    }

    /**
     * Cancels the job: the results already arrived stay readable; every item without a result
     * fails with a {@link CancelledException} naming it, and the nodes stop its chunks at once
     * (the children running them end). Does nothing once every result has arrived or after
     * {@link #close()}.
     */
    public void cancel() {
        stop("the " + what() + " was cancelled before the item's result arrived", false);
    }

    /**
     * Closes the results: as {@link #cancel()}, and the results are let go. Idempotent.
     */
    @Override
    public void close() {
        stop("the " + what() + " was closed before the item's result arrived", true);
    }

    private void stop(String reason, boolean close) {
        Job j;
        synchronized (this) {
            if (closed || (stopped && !close)) {
                return;
            }
            stopped = true;
            j = job;
        }
        if (j != null) {
            j.stop(index -> new ItemCancelledException(reason, index), true);
        }
        if (close) {
            synchronized (this) {
                closed = true;
                closing();
                notifyAll();
            }
        }
    }
}

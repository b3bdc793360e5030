package io.pprocess.indexer;

import io.pprocess.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends a child's messages, unacknowledged and in order, from a thread of its own, so that the
 * child goes on reading while a large batch crosses the channel (a batch is larger than the
 * socket's buffer, and the parent may be busy merging another child's batch). At most
 * {@link #QUEUED} messages wait; {@link #send} blocks beyond that. Used by one thread, which must
 * not make an acknowledged {@code send} on the channel itself until {@link #close} has returned
 * (it may receive, and send unacknowledged: the channel writes each message whole, from any
 * thread, also beside a receive).
 */
final class Sender implements AutoCloseable {
    /** The most messages waiting to be sent. */
    static final int QUEUED = 3;
    private static final Object END = new Object();

    private final Channel channel;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile RuntimeException failure;
    private boolean closed;

    /**
     * Starts the sending thread.
     *
     * @param channel where messages go
     */
    Sender(Channel channel) {
        this.channel = channel;
        this.thread = new Thread(this::loop, "pprocess-indexer-sender");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            Object message;
            try {
                message = queue.take();
            } catch (InterruptedException e) {
                failure = new IllegalStateException("the sending thread was interrupted", e);
                return;
            }
            if (message == END) {
                return;
            }
            try {
                channel.sendUnacknowledged(message);
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /**
     * Queues a message, waiting while {@link #QUEUED} others wait (an interrupt is kept for the
     * caller, not lost).
     *
     * @param message the message
     * @throws RuntimeException what sending an earlier message threw (the channel is broken)
     */
    void send(Object message) {
        if (closed) {
            throw new IllegalStateException("sender is closed");
        }
        put(message);
    }

    private void put(Object message) {
        boolean interrupted = false;
        try {
            while (true) {
                RuntimeException f = failure;
                if (f != null) {
                    throw f;
                }
                try {
                    if (queue.offer(message, 50, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every queued message has been sent and the thread has ended.
     *
     * @throws RuntimeException what sending threw, if it failed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        put(END);
        Threads.joinAll(thread);
        if (failure != null) {
            throw failure;
        }
    }
}

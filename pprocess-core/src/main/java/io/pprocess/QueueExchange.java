package io.pprocess;

import io.pprocess.internal.exchange.Job;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An {@link Exchange} that yields results in the order they arrive: the {@code Queue} of
 * pprocess.
 *
 * <p>Iteration drives the exchange and ends when no child is active and no job is queued.
 * A failed job (a child that throws or dies) is delivered at its place in arrival order: that
 * {@code next()} throws the failure, naming the job's index ({@link PProcessException#item()}),
 * and iteration may go on.
 *
 * <pre>{@code
 * try (QueueExchange<String> queue = new QueueExchange<>(ExchangeOptions.defaults().limit(4))) {
 *     for (String url : urls) {
 *         queue.start((Channel c, String u) -> c.send(fetch(u)), url);
 *     }
 *     for (String page : queue) {
 *         System.out.println(page.length());
 *     }
 * }
 * }</pre>
 *
 * @param <T> the type of the results
 */
public class QueueExchange<T> extends Exchange implements Iterable<T> {
    /** Stands for a {@code null} result, which the deque cannot hold. */
    private static final Object NULL = new Object();

    private final ArrayDeque<Object> arrived = new ArrayDeque<>();
    private int slots;

    /** Creates a queue with no limit. */
    public QueueExchange() {
        this(ExchangeOptions.defaults());
    }

    /**
     * Creates a queue with a limit.
     *
     * @param limit the most active children, 0 for no limit
     */
    public QueueExchange(int limit) {
        this(ExchangeOptions.defaults().limit(limit));
    }

    /**
     * Creates a queue.
     *
     * @param options the options
     */
    public QueueExchange(ExchangeOptions options) {
        super(options);
    }

    /** @return the number of results that have arrived and not yet been taken */
    public int available() {
        return arrived.size();
    }

    /**
     * Returns a sequential stream of the results in arrival order, as {@link #iterator()} gives
     * them: it waits as needed and ends when nothing is unfinished; a failed job throws from the
     * stream operation that reaches it. Closing the stream does not close this queue.
     *
     * @return the stream
     */
    public java.util.stream.Stream<T> stream() {
        return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(iterator(), 0),
                false);
    }

    /**
     * Iterates over results as they arrive, waiting as needed; ends when nothing is
     * unfinished.
     *
     * @return the iterator
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (arrived.isEmpty() && unfinished() && !isClosed()) {
                    store();
                }
                return !arrived.isEmpty();
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object value = arrived.poll();
                if (value instanceof ItemFailure) {
                    throw ((ItemFailure) value).failure;
                }
                return value == NULL ? null : (T) value;
            }
        };
    }

    @Override
    protected void storeData(Channel channel) {
        int slot = slotOf(channel);
        try {
            Object value = channel.receive();
            jobDone();
            arrived.add(value == null ? NULL : value);
        } catch (PProcessException e) {
            arrived.add(ItemFailure.of(jobFailure(e), slot));
        }
    }

    @Override
    boolean reportsResolutions() {
        return true;
    }

    @Override
    int reserveSlot() {
        return slots++;
    }

    @Override
    void jobFailed(Job job, RuntimeException failure) {
        arrived.add(ItemFailure.of(failure, job.slot));
    }
}

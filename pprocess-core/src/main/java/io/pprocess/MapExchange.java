package io.pprocess;

import io.pprocess.internal.exchange.Job;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An {@link Exchange} that keeps one result per job in the order the jobs were started, not
 * the order they finish: the {@code Map} of pprocess.
 *
 * <p>Each {@code start}, {@code create} or managed call reserves the next index. Reading a
 * result — {@link #get(int)}, iteration, {@link #slice} — drives the exchange only as long as
 * that result needs. A job whose child fails (throws, dies, or sends something that cannot be
 * serialised) fails only its own index: reading it throws that failure, naming the index
 * ({@link PProcessException#item()}), and every other result is still delivered.
 *
 * <pre>{@code
 * try (MapExchange<Integer> squares = new MapExchange<>(4)) {
 *     squares.startEach(PProcess.parallel((Integer x) -> x * x), List.of(1, 2, 3));
 *     for (int square : squares) {
 *         System.out.println(square);
 *     }
 * }
 * }</pre>
 *
 * <p>A child is expected to send one result; anything it sends after the first is ignored.
 *
 * @param <T> the type of the results
 */
public class MapExchange<T> extends Exchange implements Iterable<T> {
    private static final Object PENDING = new Object();

    private final Slots results = new Slots();

    /** Creates a map with no limit. */
    public MapExchange() {
        this(ExchangeOptions.defaults());
    }

    /**
     * Creates a map with a limit.
     *
     * @param limit the most active children, 0 for no limit
     */
    public MapExchange(int limit) {
        this(ExchangeOptions.defaults().limit(limit));
    }

    /**
     * Creates a map.
     *
     * @param options the options
     */
    public MapExchange(ExchangeOptions options) {
        super(options);
    }

    /**
     * Starts {@code task} once for each item, in order (pprocess's {@code Map(callable,
     * sequence)}).
     *
     * @param <A> the item type
     * @param task the work, run with one item each
     * @param items the items
     * @return this map
     */
    public <A> MapExchange<T> startEach(ChannelTask1<A> task, Iterable<? extends A> items) {
        for (A item : items) {
            start(task, item);
        }
        return this;
    }

    /**
     * Returns the result of the job started {@code index}-th, waiting only as long as it
     * needs.
     *
     * @param index the job's place in start order, from 0
     * @return its result
     * @throws IndexOutOfBoundsException if no such job was started
     * @throws PProcessException the job's failure ({@link RemoteException},
     *     {@link ChildProcessException}, {@link CodecException}), with {@code item()} set
     * @throws IllegalStateException if the exchange was closed before the result came
     */
    @SuppressWarnings("unchecked")
    public T get(int index) {
        if (index >= results.base() && index < results.end() && !usedByAnotherThread()) {
            // A result that is already here needs no step, so no use of the exchange: reading it
            // costs a volatile read instead of an atomic update and a fenced store.
            Object value = results.get(index);
            if (value != PENDING && !(value instanceof ItemFailure)) {
                return (T) value;
            }
        }
        Thread token = enterUse("get");
        try {
            return getAsUser(index);
        } finally {
            exitUse(token);
        }
    }

    @SuppressWarnings("unchecked")
    private T getAsUser(int index) {
        if (index < 0 || !awaitSize(index)) {
            throw new IndexOutOfBoundsException("index " + index + " out of 0.." + results.end()
                    + " started jobs");
        }
        if (index < results.base()) {
            throw new IllegalStateException("item " + index + " was already taken by this map's iterator"
                    + " (a map over a lazily read input keeps results only until they are iterated)");
        }
        while (results.get(index) == PENDING) {
            if (isCancelled()) {
                throw cancelled(index);
            }
            if (isClosed()) {
                throw new IllegalStateException("exchange closed before item " + index + " was delivered");
            }
            if (!unfinished()) {
                throw new IllegalStateException("item " + index + " was never delivered");
            }
            step();
        }
        Object value = results.get(index);
        if (value instanceof ItemFailure) {
            throw ((ItemFailure) value).failure;
        }
        return (T) value;
    }

    /**
     * Returns the results of jobs {@code from} (inclusive) to {@code to} (exclusive), waiting
     * for them: pprocess's slice.
     *
     * @param from the first index
     * @param to the index after the last
     * @return the results, in order
     * @throws PProcessException the first failure among them
     */
    public List<T> slice(int from, int to) {
        Thread token = enterUse("slice");
        try {
            return sliceAsUser(from, to);
        } finally {
            exitUse(token);
        }
    }

    private List<T> sliceAsUser(int from, int to) {
        if (from < 0 || from > to || (to > 0 && !awaitSize(to - 1))) {
            throw new IndexOutOfBoundsException("slice " + from + ".." + to + " out of 0.." + results.end());
        }
        List<T> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(get(i));
        }
        return out;
    }

    /**
     * @return every result, in start order, waiting for all of them
     * @throws PProcessException the first failure
     */
    public List<T> toList() {
        Thread token = enterUse("toList");
        try {
            awaitSize(Integer.MAX_VALUE);
            return slice(0, results.end());
        } finally {
            exitUse(token);
        }
    }

    /**
     * @return the number of jobs started (or queued) so far; for a {@code pmap} over a lazily
     *     read input, the number of items read so far
     */
    public int size() {
        return results.end();
    }

    /**
     * Reads input until item {@code index} exists or the input ends. A map of started jobs has
     * no more input: it just looks.
     *
     * @param index an index
     * @return whether the item exists
     */
    boolean awaitSize(int index) {
        return index < results.end();
    }

    /** @return whether the iterator lets go of each result it has returned */
    boolean releasesOnIteration() {
        return false;
    }

    CancelledException cancelled(int index) {
        CancelledException e = new CancelledException("cancelled before the result came");
        e.setItem(index);
        return e;
    }

    /**
     * Returns a sequential, ordered stream of the results in start order, as
     * {@link #iterator()} gives them: each element waits only for its own result, and a failed
     * item throws from the stream operation that reaches it. Closing the stream does not close
     * this map.
     *
     * <pre>{@code
     * int total = PProcess.pmap((Integer x) -> x * x, items).stream().mapToInt(Integer::intValue).sum();
     * }</pre>
     *
     * @return the stream
     */
    public java.util.stream.Stream<T> stream() {
        return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(iterator(),
                java.util.Spliterator.ORDERED), false);
    }

    /**
     * Iterates over the results in start order, each {@code next()} waiting only for its own
     * result. A failed item throws from its {@code next()}; iteration may go on after it.
     *
     * @return the iterator
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return awaitSize(next);
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int index = next++;
                try {
                    return get(index);
                } finally {
                    if (releasesOnIteration()) {
                        results.release(index + 1);
                    }
                }
            }
        };
    }

    @Override
    protected void storeData(Channel channel) {
        int slot = slotOf(channel);
        Object value;
        boolean failed = false;
        try {
            value = channel.receive();
        } catch (PProcessException e) {
            value = e;
            failed = true;
        }
        if (slot >= 0 && results.get(slot) == PENDING) {
            if (failed) {
                value = ItemFailure.of(jobFailure((PProcessException) value), slot);
            } else {
                jobDone();
            }
            results.set(slot, value);
        }
    }

    @Override
    boolean reportsResolutions() {
        return true;
    }

    /**
     * Sets a slot's result unless it already has one (or was let go of).
     *
     * @param slot the slot
     * @param value the result, or an {@link ItemFailure}
     * @return whether the slot took it
     */
    boolean fill(int slot, Object value) {
        if (slot >= results.base() && results.get(slot) == PENDING) {
            results.set(slot, value);
            return true;
        }
        return false;
    }

    /**
     * @param slot a slot
     * @return whether it still waits for its result (false once let go of)
     */
    boolean pending(int slot) {
        return slot >= results.base() && slot < results.end() && results.get(slot) == PENDING;
    }

    /** @return the first slot still held */
    int firstHeld() {
        return results.base();
    }

    /** Reserves {@code count} slots at once. */
    void reserveSlots(int count) {
        results.addPending(count);
    }

    @Override
    int reserveSlot() {
        results.add(PENDING);
        return results.end() - 1;
    }

    /**
     * Results by index, in a growing ring: {@link #release} lets go of the oldest, so a map
     * that is iterated while its input is read holds only the results between the two.
     */
    private static final class Slots {
        private Object[] ring = new Object[16];
        /** The index of the first held result. */
        private int base;
        /** The index after the last. */
        private int end;

        int base() {
            return base;
        }

        int end() {
            return end;
        }

        Object get(int index) {
            return ring[index & (ring.length - 1)];
        }

        void set(int index, Object value) {
            ring[index & (ring.length - 1)] = value;
        }

        void add(Object value) {
            if (end - base == ring.length) {
                Object[] bigger = new Object[ring.length * 2];
                for (int i = base; i < end; i++) {
                    bigger[i & (bigger.length - 1)] = ring[i & (ring.length - 1)];
                }
                ring = bigger;
            }
            end++;
            set(end - 1, value);
        }

        /** Adds {@code count} slots waiting for their results, growing the ring once. */
        void addPending(int count) {
            int needed = end - base + count;
            if (needed > ring.length) {
                int size = Integer.highestOneBit(Math.max(16, needed - 1)) << 1;
                Object[] bigger = new Object[size];
                for (int i = base; i < end; i++) {
                    bigger[i & (size - 1)] = ring[i & (ring.length - 1)];
                }
                ring = bigger;
            }
            for (int i = 0; i < count; i++) {
                ring[(end + i) & (ring.length - 1)] = PENDING;
            }
            end += count;
        }

        /** Lets go of every result before {@code index}. */
        void release(int index) {
            while (base < index && base < end) {
                set(base, null);
                base++;
            }
        }
    }

    @Override
    void jobFailed(Job job, RuntimeException failure) {
        fill(job.slot, ItemFailure.of(failure, job.slot));
    }
}

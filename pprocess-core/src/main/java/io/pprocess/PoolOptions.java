package io.pprocess;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a {@code pmap}'s pool of worker children treats its items, and how an exchange treats
 * the jobs it starts ({@link ExchangeOptions#pool}, one job being one item): immutable, each
 * method returns a changed copy. Every option is off by default, and an option that is off
 * costs nothing.
 *
 * <pre>{@code
 * PoolOptions options = PoolOptions.defaults()
 *         .workers(4)
 *         .itemTimeout(Duration.ofSeconds(30))   // an item over it fails alone; its child is replaced
 *         .retries(2)                            // an item whose child died is tried twice more
 *         .recycleAfterItems(10_000)             // for code that leaks
 *         .memoryLimit(512L << 20)               // resident set, checked every 100 ms
 *         .progress(ConsoleProgress.create("items"));
 * try (MapExchange<Result> results = PProcess.pmap(fn, items, options)) {
 *     for (Result r : results) { ... }
 * }
 * }</pre>
 *
 * <p><b>What a dead worker costs.</b> Whatever the options, a worker child that dies (killed,
 * {@code System.exit}, out of memory) fails only the item it was running, with its pid and
 * exit status or signal ({@link ChildProcessException}); results it had reported are kept,
 * the items of its chunk that it had not started go to another worker, and a replacement
 * worker is started — also when a worker dies while its JVM is starting. Workers report
 * results at least every millisecond, so "the item it was running" is exact for items longer
 * than that; among shorter items, the first one not yet reported is taken for it.
 *
 * <p><b>Time is checked while the map is read.</b> Time limits and the memory watchdog are
 * enforced by the thread that reads the results (within a few milliseconds, or 100 ms for
 * the watchdog); {@link Exchange#cancel()} and {@link Exchange#close()} end the children at
 * once from any state.
 */
public final class PoolOptions {
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    private static final PoolOptions DEFAULTS = new PoolOptions(0, null, null, 0, 0, null, 0, null, 0,
            null, 0, null);

    private final int workers;
    private final Duration itemTimeout;
    private final Duration deadline;
    private final int retries;
    private final int recycleAfterItems;
    private final Duration recycleAfterAge;
    private final long recycleAboveHeap;
    private final String heapLimit;
    private final long memoryLimit;
    private final SerializableSupplier<?> initializer;
    private final int maxInFlight;
    private final ProgressListener progress;

    private PoolOptions(int workers, Duration itemTimeout, Duration deadline, int retries,
                        int recycleAfterItems, Duration recycleAfterAge, long recycleAboveHeap,
                        String heapLimit, long memoryLimit, SerializableSupplier<?> initializer,
                        int maxInFlight, ProgressListener progress) {
        this.workers = workers;
        this.itemTimeout = itemTimeout;
        this.deadline = deadline;
        this.retries = retries;
        this.recycleAfterItems = recycleAfterItems;
        this.recycleAfterAge = recycleAfterAge;
        this.recycleAboveHeap = recycleAboveHeap;
        this.heapLimit = heapLimit;
        this.memoryLimit = memoryLimit;
        this.initializer = initializer;
        this.maxInFlight = maxInFlight;
        this.progress = progress;
    }

    /** @return as many workers as {@link PProcess#numberOfCores()}, every other option off */
    public static PoolOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param workers the most worker children at once, or 0 for {@link PProcess#numberOfCores()}
     * @return a copy with that number
     * @throws IllegalArgumentException if {@code workers < 0}
     */
    public PoolOptions workers(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("workers < 0: " + workers);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Limits the time of one item. An item that runs longer fails alone with a
     * {@link TimeLimitException} naming its index, the child's pid and the limit; the child is
     * killed (an endless loop cannot hold a worker) and replaced, and the other items go on.
     * Items timed out are not retried.
     *
     * @param limit the most time an item may run, positive, or {@code null} for none
     * @return a copy with that limit
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public PoolOptions itemTimeout(Duration limit) {
        return new PoolOptions(workers, positive(limit, "itemTimeout"), deadline, retries, recycleAfterItems,
                recycleAfterAge, recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Limits the time of the whole {@code pmap}, counted from the call. When it passes, every
     * item without a result fails with a {@link TimeLimitException} (with the pid of its child
     * if it was running) and the children are killed; results that arrived are kept.
     *
     * @param limit the time, positive, or {@code null} for none
     * @return a copy with that deadline
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public PoolOptions deadline(Duration limit) {
        return new PoolOptions(workers, itemTimeout, positive(limit, "deadline"), retries, recycleAfterItems,
                recycleAfterAge, recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Retries items whose worker died while running them (a signal, an exit, running out of
     * memory, passing the memory limit), each in a new worker, up to {@code retries} more
     * times. An item that kills every worker it touches (a "poison" item) then fails with the
     * last attempt's cause, every earlier attempt's cause attached as a suppressed exception.
     * Results are never duplicated or reordered by a retry: each item has one result, in its
     * place. Items whose function threw are not retried (that is a result), nor items over
     * their time limit.
     *
     * <p>Off by default because a retry runs the function again: whatever the first attempt
     * did before its process died (written a file, sent a request, charged a card) it may do
     * again. Turn it on for functions that are safe to repeat.
     *
     * @param retries the most further attempts per item, 0 for none
     * @return a copy with that count
     * @throws IllegalArgumentException if {@code retries < 0}
     */
    public PoolOptions retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries < 0: " + retries);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Replaces each worker after it has run {@code items} items (multiprocessing's
     * {@code maxtasksperchild}), for code that leaks. The worker finishes its items, reports
     * them and ends; a new worker takes over. Nothing is lost or run twice.
     *
     * @param items the items per worker, 0 for no limit
     * @return a copy with that count
     * @throws IllegalArgumentException if {@code items < 0}
     */
    public PoolOptions recycleAfterItems(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("recycleAfterItems < 0: " + items);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, items, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Replaces each worker once it is older than {@code age}, at the end of the chunk of items
     * it is running.
     *
     * @param age the age, positive, or {@code null} for none
     * @return a copy with that age
     * @throws IllegalArgumentException if {@code age} is zero or negative
     */
    public PoolOptions recycleAfterAge(Duration age) {
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems,
                positive(age, "recycleAfterAge"), recycleAboveHeap, heapLimit, memoryLimit, initializer,
                maxInFlight, progress);
    }

    /**
     * Replaces a worker whose heap in use after garbage collection passes {@code bytes}: each
     * worker reports its own figure at the end of every chunk (from the JVM's memory pools),
     * and a worker above it is ended after that chunk.
     *
     * @param bytes the threshold, 0 for none
     * @return a copy with that threshold
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public PoolOptions recycleAboveHeap(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("recycleAboveHeap < 0: " + bytes);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                bytes, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Gives each worker this maximum heap ({@code -Xmx}). A worker that runs out of heap exits
     * at once (status 3) and its item fails with a {@link MemoryLimitException}. Workers with a
     * heap limit are started for this {@code pmap} (spares and warm workers of other
     * {@code pmap}s have other options) and end with it.
     *
     * @param size a size as {@code -Xmx} takes it ({@code "256m"}, {@code "2g"}), or
     *     {@code null} for the JVM's default
     * @return a copy with that limit
     * @throws IllegalArgumentException if {@code size} is not such a size
     */
    public PoolOptions heapLimit(String size) {
        if (size != null && !HEAP.matcher(size).matches()) {
            throw new IllegalArgumentException("heapLimit is not a size such as 256m or 2g: " + size);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, size, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Limits each worker's resident set (its {@code VmRSS} in {@code /proc/<pid>/status},
     * read every 100 ms while the map is read; Linux only). A worker over it is killed and its
     * item fails with a {@link MemoryLimitException} that says the limit was passed.
     *
     * @param bytes the limit, 0 for none
     * @return a copy with that limit
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public PoolOptions memoryLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memoryLimit < 0: " + bytes);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, bytes, initializer, maxInFlight, progress);
    }

    /**
     * Runs {@code initializer} once in each worker before its first item; the value it returns
     * is that worker's state, which the function reads with {@link PProcess#workerState()}
     * (a connection, a loaded model, a cache). An initialiser that throws fails the
     * {@code pmap}: every item without a result fails with a {@link PProcessException} whose
     * cause is the initialiser's {@link RemoteException}. It is not tried again.
     *
     * @param initializer the initialiser, or {@code null} for none
     * @return a copy with that initialiser
     */
    public PoolOptions initializer(SerializableSupplier<?> initializer) {
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, progress);
    }

    /**
     * Bounds the items of a lazily read input ({@code Iterator}, {@code Stream}, or an
     * {@code Iterable} that is not a {@code Collection}) read ahead of the reader: at most
     * this many items are read from the input and not yet taken by the map's iterator.
     *
     * @param items the bound, at least 1, or 0 for the default (1024 per worker)
     * @return a copy with that bound
     * @throws IllegalArgumentException if {@code items < 0}
     */
    public PoolOptions maxInFlight(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("maxInFlight < 0: " + items);
        }
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, items, progress);
    }

    /**
     * Reports progress to {@code listener}, on the thread that reads the map, at most about
     * ten times a second and once more when the map is done.
     *
     * @param listener the listener (such as {@link ConsoleProgress}), or {@code null} for none
     * @return a copy with that listener
     */
    public PoolOptions progress(ProgressListener listener) {
        return new PoolOptions(workers, itemTimeout, deadline, retries, recycleAfterItems, recycleAfterAge,
                recycleAboveHeap, heapLimit, memoryLimit, initializer, maxInFlight, listener);
    }

    /** @return the most workers, 0 for {@link PProcess#numberOfCores()} */
    public int workers() {
        return workers;
    }

    /** @return the time limit of one item, or {@code null} */
    public Duration itemTimeout() {
        return itemTimeout;
    }

    /** @return the time limit of the whole map, or {@code null} */
    public Duration deadline() {
        return deadline;
    }

    /** @return the most further attempts of an item whose worker died */
    public int retries() {
        return retries;
    }

    /** @return the items after which a worker is replaced, 0 for none */
    public int recycleAfterItems() {
        return recycleAfterItems;
    }

    /** @return the age after which a worker is replaced, or {@code null} */
    public Duration recycleAfterAge() {
        return recycleAfterAge;
    }

    /** @return the heap after GC above which a worker is replaced, 0 for none */
    public long recycleAboveHeap() {
        return recycleAboveHeap;
    }

    /** @return each worker's {@code -Xmx} size, or {@code null} */
    public String heapLimit() {
        return heapLimit;
    }

    /** @return each worker's resident-set limit in bytes, 0 for none */
    public long memoryLimit() {
        return memoryLimit;
    }

    /** @return the worker initialiser, or {@code null} */
    public SerializableSupplier<?> initializer() {
        return initializer;
    }

    /** @return the bound on items read ahead of a lazy input, 0 for the default */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** @return the progress listener, or {@code null} */
    public ProgressListener progress() {
        return progress;
    }

    private static Duration positive(Duration d, String name) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "PoolOptions[workers=" + workers + ", itemTimeout=" + itemTimeout + ", deadline=" + deadline
                + ", retries=" + retries + ", recycleAfterItems=" + recycleAfterItems + ", recycleAfterAge="
                + recycleAfterAge + ", recycleAboveHeap=" + recycleAboveHeap + ", heapLimit=" + heapLimit
                + ", memoryLimit=" + memoryLimit + ", initializer=" + (initializer != null)
                + ", maxInFlight=" + maxInFlight + ", progress=" + (progress != null) + "]";
    }
}

package io.pprocess;

/**
 * The options of an {@link Exchange}, immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * ExchangeOptions options = ExchangeOptions.defaults().limit(4).reuse(true);
 * }</pre>
 *
 * <ul>
 * <li>{@code limit}: the most channels active at once; further starts are queued (0, the
 *     default, means no limit).</li>
 * <li>{@code reuse}: a child that has delivered its result is given the next queued job over
 *     the same channel instead of a new process being started; the task must be written for
 *     it ({@link PProcess#reusable}).</li>
 * <li>{@code continuous}: a child may send many results; its slot is not handed on until it
 *     ends.</li>
 * <li>{@code autoclose} (default on): a channel removed from the exchange is closed.</li>
 * <li>{@code persistent}: how jobs started at an address run in background processes.</li>
 * <li>{@code pool}: {@link PoolOptions} for the jobs the exchange starts — a time limit per
 *     job, a deadline, retries, recycling, memory limits, a worker initialiser, progress
 *     (see {@link #pool(PoolOptions)}).</li>
 * </ul>
 */
public final class ExchangeOptions {
    private static final ExchangeOptions DEFAULTS =
            new ExchangeOptions(0, false, false, true, PersistentOptions.defaults(), null);

    private final int limit;
    private final boolean reuse;
    private final boolean continuous;
    private final boolean autoclose;
    private final PersistentOptions persistent;
    private final PoolOptions pool;

    private ExchangeOptions(int limit, boolean reuse, boolean continuous, boolean autoclose,
                            PersistentOptions persistent, PoolOptions pool) {
        this.limit = limit;
        this.reuse = reuse;
        this.continuous = continuous;
        this.autoclose = autoclose;
        this.persistent = persistent;
        this.pool = pool;
    }

    /** @return no limit, no reuse, not continuous, autoclose on */
    public static ExchangeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param limit the most active channels, or 0 for no limit
     * @return a copy with that limit
     * @throws IllegalArgumentException if {@code limit < 0}
     */
    public ExchangeOptions limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit < 0: " + limit);
        }
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /**
     * @param reuse whether to hand queued jobs to children that have finished one
     * @return a copy with that setting
     */
    public ExchangeOptions reuse(boolean reuse) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /**
     * @param continuous whether children send many results each
     * @return a copy with that setting
     */
    public ExchangeOptions continuous(boolean continuous) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /**
     * @param autoclose whether removed channels are closed
     * @return a copy with that setting
     */
    public ExchangeOptions autoclose(boolean autoclose) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /**
     * @param persistent how the exchange's persistent jobs ({@code start(address, ...)}) are
     *     started
     * @return a copy with those options
     */
    public ExchangeOptions persistent(PersistentOptions persistent) {
        if (persistent == null) {
            throw new NullPointerException("persistent == null");
        }
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /**
     * Supervises the jobs the exchange starts itself ({@code start}, {@code create},
     * {@code manage}) as a {@code pmap} supervises its items, one job being one item: its
     * {@link PoolOptions#itemTimeout time limit} counts from the job's start in its child
     * (a child over it is killed, the job fails with a {@link TimeLimitException}, and the
     * next job gets a new child); the {@link PoolOptions#deadline deadline} counts from the
     * exchange's creation; {@link PoolOptions#retries retries} start a job again when its
     * child died before delivering; with {@linkplain #reuse reuse}, a child is
     * {@linkplain PoolOptions#recycleAfterItems recycled} after its jobs or its age and runs
     * the {@linkplain PoolOptions#initializer initialiser} once for all its jobs; the
     * {@linkplain PoolOptions#heapLimit heap} and {@linkplain PoolOptions#memoryLimit memory}
     * limits and the {@linkplain PoolOptions#progress progress} listener apply as in a
     * {@code pmap}. Channels given to {@code add} and persistent jobs are watched as before,
     * not supervised. Limits are enforced while the exchange is driven ({@code store},
     * {@code finish}, reading results).
     *
     * <p>Not for a continuous exchange (its children have no single result), and
     * {@code workers}, {@code maxInFlight} and {@code recycleAboveHeap} are {@code pmap}'s
     * only: the exchange's constructor rejects them with an {@link IllegalArgumentException}.
     *
     * @param pool the pool options, or {@code null} for none (the default)
     * @return a copy with those options
     */
    public ExchangeOptions pool(PoolOptions pool) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent, pool);
    }

    /** @return the pool options of the jobs the exchange starts, or {@code null} for none */
    public PoolOptions pool() {
        return pool;
    }

    /** @return how persistent jobs are started */
    public PersistentOptions persistent() {
        return persistent;
    }

    /** @return the most active channels, 0 for no limit */
    public int limit() {
        return limit;
    }

    /** @return whether children are reused */
    public boolean reuse() {
        return reuse;
    }

    /** @return whether children send many results */
    public boolean continuous() {
        return continuous;
    }

    /** @return whether removed channels are closed */
    public boolean autoclose() {
        return autoclose;
    }

    @Override
    public String toString() {
        return "ExchangeOptions[limit=" + limit + ", reuse=" + reuse + ", continuous=" + continuous
                + ", autoclose=" + autoclose + ", persistent=" + persistent + (pool == null ? "" : ", pool=" + pool)
                + "]";
    }
}

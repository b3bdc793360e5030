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
 * </ul>
 */
public final class ExchangeOptions {
    private static final ExchangeOptions DEFAULTS =
            new ExchangeOptions(0, false, false, true, PersistentOptions.defaults());

    private final int limit;
    private final boolean reuse;
    private final boolean continuous;
    private final boolean autoclose;
    private final PersistentOptions persistent;

    private ExchangeOptions(int limit, boolean reuse, boolean continuous, boolean autoclose,
                            PersistentOptions persistent) {
        this.limit = limit;
        this.reuse = reuse;
        this.continuous = continuous;
        this.autoclose = autoclose;
        this.persistent = persistent;
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
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent);
    }

    /**
     * @param reuse whether to hand queued jobs to children that have finished one
     * @return a copy with that setting
     */
    public ExchangeOptions reuse(boolean reuse) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent);
    }

    /**
     * @param continuous whether children send many results each
     * @return a copy with that setting
     */
    public ExchangeOptions continuous(boolean continuous) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent);
    }

    /**
     * @param autoclose whether removed channels are closed
     * @return a copy with that setting
     */
    public ExchangeOptions autoclose(boolean autoclose) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent);
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
        return new ExchangeOptions(limit, reuse, continuous, autoclose, persistent);
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
                + ", autoclose=" + autoclose + ", persistent=" + persistent + "]";
    }
}

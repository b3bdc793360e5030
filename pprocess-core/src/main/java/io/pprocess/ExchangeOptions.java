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
 * </ul>
 */
public final class ExchangeOptions {
    private static final ExchangeOptions DEFAULTS = new ExchangeOptions(0, false, false, true);

    private final int limit;
    private final boolean reuse;
    private final boolean continuous;
    private final boolean autoclose;

    private ExchangeOptions(int limit, boolean reuse, boolean continuous, boolean autoclose) {
        this.limit = limit;
        this.reuse = reuse;
        this.continuous = continuous;
        this.autoclose = autoclose;
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
        return new ExchangeOptions(limit, reuse, continuous, autoclose);
    }

    /**
     * @param reuse whether to hand queued jobs to children that have finished one
     * @return a copy with that setting
     */
    public ExchangeOptions reuse(boolean reuse) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose);
    }

    /**
     * @param continuous whether children send many results each
     * @return a copy with that setting
     */
    public ExchangeOptions continuous(boolean continuous) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose);
    }

    /**
     * @param autoclose whether removed channels are closed
     * @return a copy with that setting
     */
    public ExchangeOptions autoclose(boolean autoclose) {
        return new ExchangeOptions(limit, reuse, continuous, autoclose);
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
                + ", autoclose=" + autoclose + "]";
    }
}

package io.pprocess;

/**
 * An {@link Exchange} used for persistent processes, under pprocess's name: its jobs are
 * started with an address first ({@link #start(java.nio.file.Path, ChannelTask1, Object)},
 * {@link #create(java.nio.file.Path, ChannelTask)}, {@link #manage(java.nio.file.Path,
 * ChannelTask1)}) and run in background processes that outlive this program; a later run
 * collects their results with {@link #connect(java.nio.file.Path)}.
 *
 * <pre>{@code
 * // first run
 * PersistentExchange ex = new PersistentExchange(ExchangeOptions.defaults(), ch -> ...);
 * ex.start(Path.of("/tmp/job.sock"), (Channel c) -> c.send(longComputation()));
 * // a later run
 * ex.connect(Path.of("/tmp/job.sock"));
 * ex.finish();
 * }</pre>
 */
public class PersistentExchange extends Exchange {

    /**
     * Creates a persistent exchange; override {@link #storeData} to use it.
     *
     * @param options the options
     */
    public PersistentExchange(ExchangeOptions options) {
        super(options);
    }

    /**
     * Creates a persistent exchange whose ready channels go to {@code handler}.
     *
     * @param options the options
     * @param handler what {@link #storeData} does
     */
    public PersistentExchange(ExchangeOptions options, StoreHandler handler) {
        super(options, handler);
    }
}

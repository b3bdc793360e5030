package io.pprocess;

/**
 * A {@link QueueExchange} used for persistent processes, under pprocess's name: jobs are
 * started with an address first and run in background processes; a later run reconnects with
 * {@link #connect(java.nio.file.Path)} and iterates over the results as they arrive.
 *
 * <pre>{@code
 * PersistentQueue<Integer> queue = new PersistentQueue<>(ExchangeOptions.defaults().limit(4));
 * if (starting) {
 *     queue.start(address, PProcess.parallel((Integer n) -> n * n), 7);
 *     return;                       // the background process keeps running
 * }
 * queue.connect(address);
 * for (int result : queue) { ... }
 * }</pre>
 *
 * @param <T> the type of the results
 */
public class PersistentQueue<T> extends QueueExchange<T> {

    /**
     * Creates a persistent queue.
     *
     * @param options the options
     */
    public PersistentQueue(ExchangeOptions options) {
        super(options);
    }
}

package io.pprocess.internal.message;

/**
 * The task of a {@code pmap} worker as the codec sees it: the function mapped and the worker's
 * set-up. The worker itself ({@code io.pprocess.internal.exchange.Batches.Worker}) implements
 * it, so that the codec can write a worker's task without Kryo (see {@code PlainCodec}).
 */
public interface MapTask {
    /** @return the function the worker applies to each item */
    Object function();

    /** @return how the worker is set up */
    Setup setup();
}

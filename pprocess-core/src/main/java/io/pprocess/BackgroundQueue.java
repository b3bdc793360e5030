package io.pprocess;

import java.nio.file.Path;

/**
 * A queue already connected to the persistent process at an address, pprocess's
 * {@code BackgroundQueue}: iterate over it to collect the results of a
 * {@link BackgroundCallable} started earlier, perhaps by another program.
 *
 * @param <T> the type of the results
 */
public class BackgroundQueue<T> extends PersistentQueue<T> {
    private final Path address;

    /**
     * Connects to the persistent process at {@code address}.
     *
     * @param address the socket file path
     * @throws ChannelException naming the address if nothing of ours listens there
     */
    public BackgroundQueue(Path address) {
        super(ExchangeOptions.defaults().limit(1).continuous(true));
        this.address = address;
        connect(address);
    }

    /** @return the address this queue is connected to */
    public Path address() {
        return address;
    }
}

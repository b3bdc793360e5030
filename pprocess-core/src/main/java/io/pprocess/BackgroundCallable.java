package io.pprocess;

import java.nio.file.Path;

/**
 * A task that, each time it is called, runs in a persistent background process at a fixed
 * address, with no exchange involved: pprocess's {@code BackgroundCallable}. Collect the
 * results later with a {@link BackgroundQueue} on the same address.
 *
 * <pre>{@code
 * BackgroundCallable<Integer> job = new BackgroundCallable<>(address,
 *         (Channel c, Integer n) -> { for (int i = 0; i < n; i++) c.send(i); });
 * job.call(10);                           // returns once the process listens
 * // later, perhaps in another program:
 * for (int i : new BackgroundQueue<Integer>(address)) { ... }
 * }</pre>
 *
 * @param <A> the type of the task's argument
 */
public final class BackgroundCallable<A> {
    private final Path address;
    private final ChannelTask1<A> task;
    private final PersistentOptions options;

    /**
     * Creates a background callable with default {@link PersistentOptions}.
     *
     * @param address the socket file path
     * @param task the work, run in the background process
     */
    public BackgroundCallable(Path address, ChannelTask1<A> task) {
        this(address, task, PersistentOptions.defaults());
    }

    /**
     * Creates a background callable.
     *
     * @param address the socket file path
     * @param task the work, run in the background process
     * @param options where its output goes and its idle limit
     */
    public BackgroundCallable(Path address, ChannelTask1<A> task, PersistentOptions options) {
        if (address == null || task == null || options == null) {
            throw new NullPointerException("address, task and options are required");
        }
        this.address = address;
        this.task = task;
        this.options = options;
    }

    /**
     * Starts the task with {@code a} in a background process at the address.
     *
     * @param a the argument
     * @return the started process
     * @throws PProcessException naming the address if it is in use or cannot be bound
     */
    public BackgroundProcess call(A a) {
        return PProcess.persistent(address, options, task, a);
    }

    /** @return the address */
    public Path address() {
        return address;
    }
}

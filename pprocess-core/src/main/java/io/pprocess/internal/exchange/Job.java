package io.pprocess.internal.exchange;

import java.nio.file.Path;

/** A job of an exchange, waiting for a child or running in one: a task, its arguments, and where its result goes. */
public final class Job {
    /** The task (a {@code ChannelTask…} or a reusable wrapped function), or {@code null} for a connection. */
    public final Object task;
    /** Its arguments. */
    public final Object[] args;
    /** The slot of its result in a {@code MapExchange}, or -1. */
    public final int slot;
    /** The persistent process's address, or {@code null} for an ordinary child. */
    public final Path address;

    /**
     * Creates a job.
     *
     * @param task the task, or {@code null} for a connection to a running persistent process
     * @param args its arguments
     * @param slot the slot of its result, or -1
     * @param address the persistent process's address, or {@code null}
     */
    public Job(Object task, Object[] args, int slot, Path address) {
        this.task = task;
        this.args = args;
        this.slot = slot;
        this.address = address;
    }

    /** @return whether it runs in an ordinary child (not a persistent process), so pool options apply */
    public boolean ordinary() {
        return address == null;
    }
}

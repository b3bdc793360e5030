package io.pprocess.internal.transport;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * Lets {@link Thread#interrupt()} wake a wait that the JDK does not know about: jnr-enxio's
 * poll selector never marks its selections as interruptible, so an interrupted thread would
 * stay in {@code poll(2)}. Between {@link #enter()} and {@link #exit()} an interrupt of the
 * calling thread runs {@code onInterrupt} (at once if the thread is already interrupted).
 *
 * <p>This borrows {@link AbstractSelector}'s {@code begin()}/{@code end()}, the JDK's public
 * hook for interruptible selections; the object is never used as a selector and holds no
 * descriptor.
 */
final class InterruptHook extends AbstractSelector {
    private final Runnable onInterrupt;

    InterruptHook(Runnable onInterrupt) {
        super(SelectorProvider.provider());
        this.onInterrupt = onInterrupt;
    }

    /** Starts a wait that an interrupt must end. */
    void enter() {
        begin();
    }

    /** Ends it. */
    void exit() {
        end();
    }

    @Override
    public Selector wakeup() {
        onInterrupt.run();
        return this;
    }

    @Override
    protected void implCloseSelector() {
        // Nothing is held.
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        throw new UnsupportedOperationException("an interrupt hook is not a selector");
    }

    @Override
    public Set<SelectionKey> keys() {
        return Set.of();
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return Set.of();
    }

    @Override
    public int selectNow() {
        throw new UnsupportedOperationException("an interrupt hook is not a selector");
    }

    @Override
    public int select(long timeout) {
        throw new UnsupportedOperationException("an interrupt hook is not a selector");
    }

    @Override
    public int select() {
        throw new UnsupportedOperationException("an interrupt hook is not a selector");
    }
}

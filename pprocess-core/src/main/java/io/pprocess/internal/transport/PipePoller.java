package io.pprocess.internal.transport;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import jnr.enxio.channels.NativeSelectorProvider;

/**
 * A {@link Poller} for {@link PipeLink}s: jnr-enxio's selector ({@code poll(2)} on Linux,
 * {@code kqueue} on the BSDs and macOS), with its weak spots covered.
 *
 * <p>What enxio's poll selector does, and what this class does about it:
 * <ul>
 *   <li><b>Timeouts.</b> {@code select(0)} and negative timeouts block for ever, and the
 *       timeout is cast to {@code int}, so a long one becomes negative (blocks for ever, the
 *       "infinite selection") or small (returns early). Here zero only looks, negative waits,
 *       and positive timeouts are cut into {@code int} slices and measured against a
 *       deadline, so a selection returns neither early nor late.</li>
 *   <li><b>Extra wake-ups.</b> Each {@code wakeup()} writes one byte to a (blocking) pipe and
 *       each selection reads at most one, so wake-ups pile up and later selections return with
 *       nothing ready; enough of them would even block {@code wakeup()} on the full pipe. Here
 *       wake-ups are coalesced (one byte at most until a selection has seen it), and a
 *       selection that returns with nothing ready, before its deadline and with no wake-up
 *       asked for, simply polls again.</li>
 *   <li><b>Hang-up with no interest.</b> {@code POLLHUP} and {@code POLLERR} make enxio copy
 *       the key's interest set into its ready set; an invalid descriptor ({@code POLLNVAL})
 *       gives an empty ready set, yet the key is still selected. Here every link is watched
 *       for reading, so a hang-up or error shows as readable and the reader meets the end of
 *       stream or the error; and any selected, valid key is reported whatever its ready set,
 *       so no event is dropped and no selection spins on an unreported one.</li>
 *   <li><b>Closing under a selection.</b> Closing enxio's selector closes its wake-up pipe
 *       while a selection may still read from it. Here {@link #close()} wakes the selection
 *       and waits for it to leave first.</li>
 * </ul>
 *
 * <p>A thread interrupted while selecting (or before) returns at once with what is ready, its
 * interrupt status kept: enxio's selections do not react to interrupts, so an
 * {@link InterruptHook} turns the interrupt into a wake-up.
 */
final class PipePoller implements Poller {
    private final AbstractSelector selector;
    private final Map<Link, SelectionKey> keys = new IdentityHashMap<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ReentrantLock selecting = new ReentrantLock();
    /** Orders {@link #wakeup()} before closing: a late wake-up must not write to a closed pipe. */
    private final Object wakeLock = new Object();
    private volatile boolean closed;
    /** Makes an interrupt of the selecting thread wake the selection. */
    private final InterruptHook interrupts = new InterruptHook(this::wakeup);

    /**
     * Opens a selector. The caller holds {@link Posix#DESCRIPTORS}, since the selector makes a
     * pipe of its own.
     *
     * @throws IOException if the selector cannot be opened
     */
    PipePoller() throws IOException {
        selector = NativeSelectorProvider.getInstance().openSelector();
    }

    @Override
    public void register(Link link, Object attachment) throws IOException {
        if (!(link instanceof PipeLink)) {
            throw new IllegalArgumentException("not a pipe link: " + link);
        }
        checkOpen();
        SelectionKey existing = keys.get(link);
        if (existing != null) {
            existing.attach(attachment);
            return;
        }
        ReadHandle handle = ((PipeLink) link).openHandle();
        try {
            handle.configureBlocking(false);
            keys.put(link, handle.register(selector, SelectionKey.OP_READ, attachment));
        } catch (IOException | RuntimeException e) {
            closeHandle(handle);
            throw e;
        }
    }

    @Override
    public void deregister(Link link) {
        SelectionKey key = keys.remove(link);
        if (key != null) {
            closeHandle((ReadHandle) key.channel());
        }
    }

    @Override
    public List<Object> select(long timeoutMillis) throws IOException {
        checkOpen();
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        selecting.lock();
        interrupts.enter();
        try {
            while (true) {
                checkOpen();
                boolean woken = wakeupPending.getAndSet(false);
                if (woken || timeoutMillis == 0) {
                    selector.selectNow();
                } else if (timeoutMillis < 0) {
                    selector.select();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(sliceMillis(left));
                    }
                }
                List<Object> ready = collect();
                if (!ready.isEmpty() || woken || timeoutMillis == 0 || closed
                        || wakeupPending.getAndSet(false) || Thread.currentThread().isInterrupted()
                        || timeoutMillis > 0 && deadline - System.nanoTime() <= 0) {
                    return ready;
                }
            }
        } finally {
            interrupts.exit();
            selecting.unlock();
        }
    }

    /** Rounds up to whole milliseconds, within what {@code poll(2)} takes. */
    private static long sliceMillis(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000;
        return Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    private List<Object> collect() {
        List<Object> ready = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid()) {
                ready.add(key.attachment());
            }
        }
        selector.selectedKeys().clear();
        return ready;
    }

    @Override
    public void wakeup() {
        synchronized (wakeLock) {
            if (!closed && wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        }
    }

    @Override
    public void close() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        }
        selecting.lock();
        try {
            for (SelectionKey key : keys.values()) {
                closeHandle((ReadHandle) key.channel());
            }
            keys.clear();
            selector.close();
        } catch (IOException ignored) {
            // Closing the selector's own pipe failed: it is being dropped either way.
        } finally {
            selecting.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedSelectorException();
        }
    }

    private static void closeHandle(ReadHandle handle) {
        try {
            handle.close();
        } catch (IOException ignored) {
            // A view owns no descriptor: closing it only cancels its key.
        }
    }
}

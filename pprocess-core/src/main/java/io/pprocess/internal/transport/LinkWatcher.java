package io.pprocess.internal.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the links of one exchange, whatever their kind: {@link PipeLink}s with a pipe poller
 * and {@link SocketLink}s (children on the socket transport, persistent processes on either)
 * with a socket poller, each opened when its first link is registered.
 *
 * <p>The two kinds cannot share one selector. When both are watched, {@link #select} looks at
 * both and then waits on the pipe poller in slices of {@value #MIXED_SLICE_MILLIS} ms, so a
 * socket that becomes ready is seen within a slice; with one kind it waits on that poller
 * alone. Threads: as {@link Poller}.
 */
public final class LinkWatcher implements Poller {
    static final long MIXED_SLICE_MILLIS = 5;

    private volatile Poller pipes;
    private volatile Poller sockets;
    private volatile boolean woken;

    @Override
    public void register(Link link, Object attachment) throws IOException {
        pollerFor(link, true).register(link, attachment);
    }

    @Override
    public void deregister(Link link) {
        try {
            Poller p = pollerFor(link, false);
            if (p != null) {
                p.deregister(link);
            }
        } catch (IOException e) {
            throw new IllegalStateException("a poller opened without being asked to", e);
        }
    }

    private Poller pollerFor(Link link, boolean open) throws IOException {
        if (link instanceof PipeLink) {
            if (pipes == null && open) {
                pipes = Poller.forPipes();
            }
            return pipes;
        }
        if (sockets == null && open) {
            sockets = Poller.forSockets();
        }
        return sockets;
    }

    /** {@inheritDoc} Nothing registered yet: waits as asked, for a {@link #wakeup()} only. */
    @Override
    public List<Object> select(long timeoutMillis) throws IOException {
        if (pipes == null || sockets == null) {
            Poller only = pipes != null ? pipes : sockets;
            if (only == null) {
                only = sockets = Poller.forSockets();
            }
            return only.select(timeoutMillis);
        }
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            List<Object> ready = new ArrayList<>(pipes.select(0));
            ready.addAll(sockets.select(0));
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (!ready.isEmpty() || timeoutMillis == 0 || left <= 0 || wokenUp()) {
                return ready;
            }
            ready.addAll(pipes.select(Math.min(left, MIXED_SLICE_MILLIS)));
            if (!ready.isEmpty() || wokenUp()) {
                return ready;
            }
        }
    }

    private boolean wokenUp() {
        if (!woken) {
            return false;
        }
        woken = false;
        return true;
    }

    @Override
    public void wakeup() {
        woken = true;
        Poller p = pipes;
        if (p != null) {
            p.wakeup();
        }
        Poller s = sockets;
        if (s != null) {
            s.wakeup();
        }
    }

    /** Closes the pollers it opened; does not close the links. */
    @Override
    public void close() {
        if (pipes != null) {
            pipes.close();
        }
        if (sockets != null) {
            sockets.close();
        }
    }
}

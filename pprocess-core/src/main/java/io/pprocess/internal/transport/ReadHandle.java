package io.pprocess.internal.transport;

import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import jnr.enxio.channels.NativeSelectableChannel;
import jnr.enxio.channels.NativeSelectorProvider;

/**
 * A view of a {@link PipeLink}'s read descriptor that a jnr-enxio selector can watch.
 *
 * <p>Unlike enxio's own channels, configuring a view as non-blocking (which registration
 * requires) leaves the descriptor alone: the descriptor stays blocking, so the link reads and
 * writes with plain blocking calls while any number of pollers watch it. Each registration
 * uses a fresh view, so a link can be registered again at once after being deregistered
 * (a selector keeps a cancelled key until its next selection). Closing a view cancels its
 * key; it never closes the descriptor, which belongs to the link.
 */
final class ReadHandle extends AbstractSelectableChannel implements NativeSelectableChannel {
    private final PipeLink link;
    private final int fd;

    ReadHandle(PipeLink link, int fd) {
        super(NativeSelectorProvider.getInstance());
        this.link = link;
        this.fd = fd;
    }

    @Override
    public int getFD() {
        return fd;
    }

    @Override
    public int validOps() {
        return SelectionKey.OP_READ;
    }

    @Override
    protected void implCloseSelectableChannel() {
        link.forget(this);
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // The mode belongs to the link's descriptor, which stays blocking; see the class comment.
    }

    @Override
    public String toString() {
        return "read view of fd " + fd + " of " + link;
    }
}

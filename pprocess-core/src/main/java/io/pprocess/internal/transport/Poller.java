package io.pprocess.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Watches many {@link Link}s of one transport for input, end of stream and errors: the
 * {@code poll} of pprocess.
 *
 * <p>{@link #select} and {@link #wakeup} may be called from different threads; {@code register}
 * and {@code deregister} from the thread that selects.
 */
public interface Poller extends Closeable {

    /**
     * Opens a poller for {@link SocketLink}s: a JDK {@code Selector}.
     *
     * @return the poller
     * @throws IOException if the selector cannot be opened
     */
    static Poller forSockets() throws IOException {
        return new SelectorPoller();
    }

    /**
     * Opens a poller for {@link PipeLink}s: jnr-enxio's selector with its weak spots covered
     * (see {@code PipePoller}).
     *
     * @return the poller
     * @throws IOException if the selector cannot be opened
     */
    static Poller forPipes() throws IOException {
        Posix.DESCRIPTORS.lock();
        try {
            return new PipePoller();
        } finally {
            Posix.DESCRIPTORS.unlock();
        }
    }

    /**
     * Starts watching a link.
     *
     * @param link a link made by this poller's transport
     * @param attachment what {@link #select} returns when the link is ready
     * @throws IOException on failure
     * @throws IllegalArgumentException if the link belongs to another transport
     */
    void register(Link link, Object attachment) throws IOException;

    /**
     * Stops watching a link; does nothing if it is not watched.
     *
     * @param link the link
     */
    void deregister(Link link);

    /**
     * Waits for watched links to become readable, reach end of stream or fail.
     *
     * @param timeoutMillis negative waits until one is ready or {@link #wakeup()}, zero just
     *     looks
     * @return the attachments of the ready links, possibly empty
     * @throws IOException on failure
     */
    List<Object> select(long timeoutMillis) throws IOException;

    /** Makes a blocked {@link #select} return now. */
    void wakeup();

    /** Stops watching everything; does not close the links. */
    @Override
    void close();
}

package io.pprocess.internal.spawn;

import io.pprocess.internal.transport.Poller;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * How a parent starts a child JVM and gets a link to it, and how the child opens its end.
 *
 * <p>Two implementations: {@link SocketTransport} (AF_UNIX stream sockets from the JDK, the
 * default) and {@link PipeTransport} (two pipes made with jnr-posix and passed as fds 3 and 4).
 */
interface Transport {

    /** @return the transport's name as {@code pprocess.transport} spells it */
    String name();

    /**
     * Starts a child and waits until its link is up.
     *
     * @param command the whole command line ({@code java}, options, class path, main class)
     * @param environment extra environment variables for the child
     * @param connectTimeoutMillis how long the child may take to connect
     * @return the child and the parent's end of the link
     * @throws IOException if the child cannot be started or does not connect; if the child
     *     ended first, the message gives its exit status
     */
    Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException;

    /** @return a new poller for links of this transport */
    Poller openPoller() throws IOException;
}

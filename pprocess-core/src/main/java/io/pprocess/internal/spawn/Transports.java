package io.pprocess.internal.spawn;

import io.pprocess.internal.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Chooses the transport: {@code -Dpprocess.transport} or {@code PPROCESS_TRANSPORT}. */
public final class Transports {
    /** Environment variable telling a child which transport its parent used. */
    public static final String ENV_CHILD_TRANSPORT = "PPROCESS_CHILD_TRANSPORT";

    private static volatile Transport current;
    private static SocketTransport socket;

    private Transports() {
    }

    /**
     * Returns the transport chosen for this JVM, creating it on first use.
     *
     * @return the transport
     * @throws IllegalArgumentException if the configured name is unknown
     */
    static Transport current() {
        Transport t = current;
        if (t == null) {
            synchronized (Transports.class) {
                t = current;
                if (t == null) {
                    t = create(configuredName());
                    current = t;
                }
            }
        }
        return t;
    }

    /**
     * Returns the socket transport, whatever transport is configured: persistent processes are
     * reached through UNIX-domain sockets.
     *
     * @return the socket transport
     */
    static synchronized SocketTransport socket() {
        if (socket == null) {
            Transport t = current();
            if (t instanceof SocketTransport) {
                socket = (SocketTransport) t;
            } else {
                try {
                    socket = new SocketTransport();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot set up the socket transport: " + e.getMessage(), e);
                }
            }
        }
        return socket;
    }

    /**
     * Returns the name of the transport chosen for this JVM, creating it on first use.
     *
     * @return {@code socket} or {@code pipe}
     * @throws IllegalArgumentException if the configured name is unknown
     */
    public static String currentName() {
        return current().name();
    }

    /** @return the configured transport name, {@code socket} by default */
    public static String configuredName() {
        return Setting.TRANSPORT.lowerCase("socket");
    }

    private static Transport create(String name) {
        try {
            switch (name) {
                case "socket":
                    return new SocketTransport();
                case "pipe":
                    return new PipeTransport();
                default:
                    throw new IllegalArgumentException("unknown pprocess.transport '" + name
                            + "': use 'socket' (the default) or 'pipe'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the " + name + " transport: " + e.getMessage(), e);
        }
    }
}

package io.pprocess.internal.persist;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Checks and prepares the socket file paths of persistent processes. */
final class Addresses {
    private Addresses() {
    }

    /** What is at an address. */
    enum State {
        /** Nothing: the address is free. */
        FREE,
        /** A socket file nobody listens on: left by a process that died. */
        STALE,
        /** A socket someone listens on. */
        LIVE
    }

    /**
     * Looks at an address without changing it.
     *
     * @param address the socket file path
     * @return what is there
     * @throws IOException if something that is not a socket is there
     */
    static State probe(Path address) throws IOException {
        if (!Files.exists(address, LinkOption.NOFOLLOW_LINKS)) {
            return State.FREE;
        }
        if (Files.isRegularFile(address, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(address, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(address)) {
            throw new IOException(address + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(address));
            return State.LIVE;
        } catch (java.net.ConnectException e) {
            return State.STALE;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("refused")) {
                return State.STALE;
            }
            throw new IOException("cannot check " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure an address can be bound: creates its directory (0700) if missing, fails if a
     * live process or a non-socket is there, and removes a stale socket file.
     *
     * @param address the socket file path
     * @throws IOException with a message naming the address and the problem
     */
    static void prepare(Path address) throws IOException {
        Path dir = address.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        switch (probe(address)) {
            case LIVE:
                throw new IOException("address " + address + " is in use by a live process");
            case STALE:
                // A process that has just bound the address may not be listening yet: look again.
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while checking " + address, e);
                }
                if (probe(address) == State.LIVE) {
                    throw new IOException("address " + address + " is in use by a live process");
                }
                Files.deleteIfExists(address);
                break;
            default:
                break;
        }
    }
}

package io.pprocess.internal.transport;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Both halves of the socket transport's rendezvous: the parent's listening socket, which hands
 * each connecting child to whoever expects its token, and the child's {@link #connect}.
 *
 * <p>The parent listens once, at {@code p.sock} inside a private (0700) temporary directory
 * named {@code pprocess-<pid>-<n>}; at start, such directories left by dead processes of this
 * user are removed ({@link StaleDirectories}). A child is given the path ({@link #ENV_ADDRESS})
 * and a one-time random token ({@link Frames#TOKEN_ENV}), connects, and sends a
 * {@link Frames#HELLO} frame with the token; from then on the connection behaves like a
 * socketpair. A daemon thread accepts connections and completes the future that
 * {@link #expect} returned for the token; connections with an unknown token are closed.
 */
public final class SocketListener {
    /** Environment variable giving a child the socket path. */
    public static final String ENV_ADDRESS = "PPROCESS_SOCKET";

    private final Path directory;
    private final Path address;
    private final ServerSocketChannel server;
    private final Map<String, CompletableFuture<Link>> pending = new ConcurrentHashMap<>();

    /**
     * Listens in a new private directory and starts the accepting thread.
     *
     * @throws IOException if the directory or the socket cannot be made
     */
    public SocketListener() throws IOException {
        directory = Files.createTempDirectory("pprocess-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        address = directory.resolve(StaleDirectories.SOCKET);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(address), 256);
        Thread acceptor = LibraryThreads.daemon(this::acceptLoop, "pprocess-accept");
        acceptor.start();
        Thread sweeper = LibraryThreads.daemon(() -> StaleDirectories.sweep(directory.getParent()), "pprocess-stale-sweep");
        sweeper.start();
        LibraryThreads.onShutdown(this::shutdown, "pprocess-socket-cleanup");
    }

    /** @return the path children connect to, for {@link #ENV_ADDRESS} */
    public String address() {
        return address.toString();
    }

    /**
     * Waits for the child that will greet with {@code token}.
     *
     * @param token the child's token, as {@link Frames#tokenText} spells it
     * @return completed with the parent's end of the link once that child has connected
     */
    public CompletableFuture<Link> expect(String token) {
        CompletableFuture<Link> connection = new CompletableFuture<>();
        pending.put(token, connection);
        return connection;
    }

    /**
     * Stops waiting for {@code token}: its child started, failed or gave up.
     *
     * @param token the token given to {@link #expect}
     */
    public void forget(String token) {
        pending.remove(token);
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                continue;
            }
            try {
                String token = readHello(channel);
                CompletableFuture<Link> waiter = token == null ? null : pending.get(token);
                if (waiter == null) {
                    channel.close();
                } else {
                    SocketLink link = new SocketLink(channel);
                    if (!waiter.complete(link)) {
                        link.close();
                    }
                }
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Dropping a connection that failed its greeting.
                }
            }
        }
    }

    private static String readHello(SocketChannel channel) throws IOException {
        ByteBuffer hello = ByteBuffer.allocate(Frames.HELLO_BYTES);
        while (hello.hasRemaining()) {
            if (channel.read(hello) < 0) {
                return null;
            }
        }
        byte[] token = Frames.childToken(hello);
        return token == null ? null : Frames.tokenText(token);
    }

    /**
     * Connects a child to its parent: the child's half of the rendezvous.
     *
     * @param address the path from {@link #ENV_ADDRESS}
     * @param token the token from {@link Frames#TOKEN_ENV}
     * @return the child's end
     * @throws IOException if the parent cannot be reached
     */
    public static Link connect(String address, String token) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(address));
        ByteBuffer hello = Frames.childHello(Frames.tokenFromText(token));
        while (hello.hasRemaining()) {
            channel.write(hello);
        }
        return new SocketLink(channel);
    }

    private void shutdown() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Exiting anyway.
        }
        try {
            Files.deleteIfExists(address);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A leftover empty directory in /tmp is all that can remain.
        }
    }
}

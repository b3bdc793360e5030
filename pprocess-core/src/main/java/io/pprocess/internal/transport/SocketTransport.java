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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default transport: AF_UNIX stream sockets from the JDK.
 *
 * <p>The parent listens once, at {@code p.sock} inside a private (0700) temporary directory
 * named {@code pprocess-<pid>-<n>}; at start, such directories left by dead processes of this
 * user are removed ({@link StaleDirectories}).
 * Each child is given the path and a one-time random token in its environment, connects,
 * and sends a {@link Frames#HELLO} frame with the token; from then on the connection behaves
 * like a socketpair. A daemon thread accepts connections and hands each to the spawn waiting
 * for its token; connections with an unknown token are closed.
 */
public final class SocketTransport implements Transport {
    /** Environment variable giving a child the socket path. */
    public static final String ENV_ADDRESS = "PPROCESS_SOCKET";

    private final Path directory;
    private final Path address;
    private final ServerSocketChannel server;
    private final Map<String, CompletableFuture<SocketChannel>> pending = new ConcurrentHashMap<>();

    SocketTransport() throws IOException {
        directory = Files.createTempDirectory("pprocess-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        address = directory.resolve("p.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(address), 256);
        Thread acceptor = LibraryThreads.daemon(this::acceptLoop, "pprocess-accept");
        acceptor.start();
        Thread sweeper = LibraryThreads.daemon(() -> StaleDirectories.sweep(directory.getParent()), "pprocess-stale-sweep");
        sweeper.start();
        LibraryThreads.onShutdown(this::shutdown, "pprocess-socket-cleanup");
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException {
        return spawn(command, environment, connectTimeoutMillis, null);
    }

    /**
     * Starts a detached child: a new session ({@code setsid}), working directory {@code /},
     * standard input from {@code /dev/null}, standard output and error appended to {@code log}
     * (or discarded).
     *
     * @param command the command
     * @param environment extra environment variables
     * @param connectTimeoutMillis how long the child may take to connect
     * @param log where the child's output goes, or {@code null} to discard it
     * @return the child and the parent's end of the link
     * @throws IOException if the child cannot be started or does not connect
     */
    public Spawned spawnDetached(List<String> command, Map<String, String> environment, long connectTimeoutMillis,
                                 Path log) throws IOException {
        List<String> detached = new java.util.ArrayList<>();
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(setsid))) {
                detached.add(setsid);
                break;
            }
        }
        detached.addAll(command);
        ProcessBuilder.Redirect out = log == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.appendTo(log.toAbsolutePath().toFile());
        return spawn(detached, environment, connectTimeoutMillis, out);
    }

    private Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis,
                          ProcessBuilder.Redirect detachedOutput) throws IOException {
        String token = Frames.tokenText(Frames.newToken());
        CompletableFuture<SocketChannel> connection = new CompletableFuture<>();
        pending.put(token, connection);
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (detachedOutput == null) {
                pb.inheritIO();
            } else {
                // A daemon leaves the directory it was started in, which may be removed.
                pb.directory(new java.io.File("/"))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(detachedOutput)
                        .redirectErrorStream(true);
            }
            Map<String, String> env = pb.environment();
            env.putAll(environment);
            env.put(ENV_ADDRESS, address.toString());
            env.put(Frames.TOKEN_ENV, token);
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            pending.remove(token);
            throw e;
        }
        ChildProcess child = new JdkChildProcess(process);
        try {
            SocketChannel channel = awaitConnection(connection, process, connectTimeoutMillis);
            return new Spawned(child, new SocketLink(channel));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            pending.remove(token);
        }
    }

    private static SocketChannel awaitConnection(CompletableFuture<SocketChannel> connection, Process process,
                                                 long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                return connection.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw new ChildStartException(process.pid(), process.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("child process " + process.pid() + " did not connect within "
                            + timeoutMillis + " ms (pprocess.connectTimeoutMillis)");
                }
            } catch (ExecutionException e) {
                throw new IOException("child process " + process.pid() + " failed to connect", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while child process " + process.pid() + " was starting", e);
            }
        }
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
                CompletableFuture<SocketChannel> waiter = token == null ? null : pending.get(token);
                if (waiter == null || !waiter.complete(channel)) {
                    channel.close();
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
     * Connects a child to its parent: the child's side of {@link #spawn}.
     *
     * @param address the path from {@link #ENV_ADDRESS}
     * @param token the token from {@link Frames#TOKEN_ENV}
     * @return the child's end
     * @throws IOException if the parent cannot be reached
     */
    public static Link connectChild(String address, String token) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(address));
        ByteBuffer hello = Frames.childHello(Frames.tokenFromText(token));
        while (hello.hasRemaining()) {
            channel.write(hello);
        }
        return new SocketLink(channel);
    }

    @Override
    public Poller openPoller() throws IOException {
        return new SelectorPoller();
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

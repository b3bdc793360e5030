package io.pprocess.internal.persist;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.CodecException;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.transport.SocketLink;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The channel of a persistent process: it listens at a socket file and serves one peer at a
 * time. Sends and receives wait for a peer; a peer that goes away (or breaks the protocol, or
 * belongs to another user) is dropped and the operation goes on with the next one, so a
 * message is delivered exactly once to whichever peer acknowledges it.
 *
 * <p>Peers are accepted, checked and greeted as soon as they connect (on a thread of their
 * own), and queued until the task needs one, so connecting never waits for the task. The socket
 * file is created with mode 0600 and removed on {@link #close()}. If no peer comes for the idle
 * limit while the task waits for one, the wait fails and the process ends.
 *
 * <p>Silent peers are time-limited: a peer must answer the
 * greeting within {@code pprocess.handshakeMillis} (5 s), and the peer being served that neither
 * acknowledges nor sends for that long, while another peer waits, is dropped for the next one
 * (a message it had not acknowledged is withdrawn: it is told with a {@link Frames#WITHDRAWN}
 * frame and never receives it).
 */
public final class PersistentServer implements Channel {
    /**
     * How long a peer may take to answer the greeting, and how long the peer being served may
     * stay silent (not acknowledging, or not sending while the task waits for it) before a
     * peer that is waiting takes over.
     */
    static final long HANDSHAKE_MILLIS = io.pprocess.internal.Setting.HANDSHAKE_MILLIS.longValue(5_000, 1);

    private final Path address;
    private final ServerSocketChannel server;
    private final long idleMillis;
    private final UserPrincipal owner;
    private final LinkedBlockingQueue<FrameChannel> waiting = new LinkedBlockingQueue<>();
    private FrameChannel current;
    private volatile boolean open = true;

    private PersistentServer(Path address, ServerSocketChannel server, long idleMillis) throws IOException {
        this.address = address;
        this.server = server;
        this.idleMillis = idleMillis;
        this.owner = address.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Thread acceptor = LibraryThreads.daemon(this::acceptLoop, "pprocess-persistent-accept");
        acceptor.start();
    }

    /**
     * Binds the address: replaces a stale socket file, refuses a live one.
     *
     * @param address the socket file path
     * @param idleMillis how long to wait for a peer before giving up
     * @return the server
     * @throws IOException naming the address and the problem
     */
    public static PersistentServer bind(Path address, long idleMillis) throws IOException {
        Addresses.prepare(address);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            try {
                server.bind(UnixDomainSocketAddress.of(address), 16);
            } catch (java.net.BindException e) {
                throw new IOException("another process began listening there at the same moment (address"
                        + " already in use); connect to it, or start this one at another address", e);
            }
            Files.setPosixFilePermissions(address, PosixFilePermissions.fromString("rw-------"));
            return new PersistentServer(address, server, idleMillis);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** @return the socket file path */
    public Path address() {
        return address;
    }

    private FrameChannel peer() {
        while (current == null || !current.isOpen()) {
            if (!open) {
                throw new ChannelException("persistent channel at " + address + " is closed");
            }
            try {
                current = waiting.poll(idleMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelException("interrupted while waiting for a peer at " + address, e);
            }
            if (current == null) {
                throw new IdleException("no peer connected to " + address + " for "
                        + Duration.ofMillis(idleMillis) + " (the idle limit); giving up");
            }
        }
        return current;
    }

    /**
     * Accepts peers as soon as they connect, so that connecting never waits for the task:
     * checks each one's user, greets it, and queues it for the task's next send or receive once
     * it has answered the greeting. Greetings run side by side on one selector, each with the
     * handshake limit, so a peer that connects and says nothing delays nobody and is dropped.
     */
    private void acceptLoop() {
        try (Selector selector = Selector.open()) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (open) {
                long now = System.nanoTime();
                long wait = HANDSHAKE_MILLIS;
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof Greeting) {
                        Greeting g = (Greeting) key.attachment();
                        long left = (g.deadline - now) / 1_000_000L;
                        if (left <= 0) {
                            log("dropped a peer that did not answer the greeting within " + HANDSHAKE_MILLIS
                                    + " ms (pprocess.handshakeMillis)");
                            key.cancel();
                            closeQuietly(key.channel());
                        } else {
                            wait = Math.min(wait, left);
                        }
                    }
                }
                selector.select(Math.max(1, wait));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(selector);
                    } else if (key.isReadable()) {
                        answer(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            if (open) {
                log("cannot accept: " + e.getMessage());
            }
        }
    }

    /** A peer's answer to the greeting, being read. */
    private static final class Greeting {
        final ByteBuffer answer = ByteBuffer.allocate(Frames.HELLO_BYTES);
        final long deadline = System.nanoTime() + HANDSHAKE_MILLIS * 1_000_000L;
    }

    private void accept(Selector selector) {
        SocketChannel peer;
        try {
            peer = server.accept();
        } catch (IOException e) {
            if (open) {
                log("cannot accept: " + e.getMessage());
            }
            return;
        }
        if (peer == null) {
            return;
        }
        try {
            String refusal = refusal(peer);
            if (refusal != null) {
                log("refused a connection: " + refusal);
                refuse(peer, refusal);
                return;
            }
            ByteBuffer hello = Frames.persistentHello(ProcessHandle.current().pid());
            while (hello.hasRemaining()) {
                peer.write(hello);
            }
            peer.configureBlocking(false);
            peer.register(selector, SelectionKey.OP_READ, new Greeting());
        } catch (IOException e) {
            log("dropped a connection during the greeting: " + e.getMessage());
            closeQuietly(peer);
        }
    }

    /** Reads a peer's answer; a whole, right one queues the peer, anything else drops it. */
    private void answer(SelectionKey key) {
        SocketChannel peer = (SocketChannel) key.channel();
        Greeting g = (Greeting) key.attachment();
        try {
            int n = peer.read(g.answer);
            if (n < 0 || !Frames.isPersistentHelloPrefix(g.answer)) {
                log("dropped a peer that " + (n < 0 ? "left" : "answered wrongly") + " during the greeting");
                key.cancel();
                closeQuietly(peer);
                return;
            }
            if (g.answer.hasRemaining()) {
                return;
            }
            key.cancel();
            log("peer " + Frames.persistentHelloPid(g.answer) + " connected");
            waiting.add(new FrameChannel(new SocketLink(peer), null));
        } catch (IOException e) {
            log("dropped a connection during the greeting: " + e.getMessage());
            key.cancel();
            closeQuietly(peer);
        }
    }

    private String refusal(SocketChannel peer) throws IOException {
        jdk.net.UnixDomainPrincipal who = peer.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
        if (who == null || !who.user().equals(owner)) {
            return "peer user " + (who == null ? "unknown" : who.user().getName())
                    + " is not the owner " + owner.getName();
        }
        return null;
    }

    private static void refuse(SocketChannel peer, String reason) {
        try {
            byte[] frame = FrameChannel.encodeFailure(new SecurityException("connection refused: " + reason));
            if (frame.length - Frames.HEADER_BYTES <= Frames.MAX_REFUSAL_BYTES) {
                peer.write(ByteBuffer.wrap(frame));
            }
        } catch (IOException | RuntimeException ignored) {
            // The refused peer learns from the closed connection.
        } finally {
            closeQuietly(peer);
        }
    }

    private void dropPeer(RuntimeException why) {
        if (current != null) {
            log("peer went away: " + why.getMessage());
            current.close();
            current = null;
        }
    }

    /**
     * Runs an operation on the current peer, moving on to the next peer whenever the current
     * one goes away or breaks the protocol; a value that cannot be (de)serialised is the
     * caller's problem and is thrown.
     */
    private <T> T withPeer(Function<FrameChannel, T> operation) {
        while (true) {
            FrameChannel peer = peer();
            try {
                return operation.apply(peer);
            } catch (CodecException e) {
                throw e;
            } catch (ChannelException e) {
                dropPeer(e);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>While the peer being served has not acknowledged for the handshake limit and another
     * peer is waiting, the value is withdrawn from the silent one (told so, and dropped) and
     * goes to the next.
     */
    @Override
    public void send(Object value) {
        withPeer(peer -> {
            if (!peer.sendAwaitingAck(value, HANDSHAKE_MILLIS, () -> !waiting.isEmpty())) {
                peer.withdraw();
                throw new ChannelException("peer did not acknowledge within " + HANDSHAKE_MILLIS
                        + " ms while another peer was waiting; the message goes to the next peer");
            }
            return null;
        });
    }

    @Override
    public void sendUnacknowledged(Object value) {
        withPeer(peer -> {
            peer.sendUnacknowledged(value);
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>While the peer being served sends nothing for the handshake limit and another peer is
     * waiting, the silent one is dropped and the next is served.
     */
    @Override
    public <T> T receive() {
        return withPeer(peer -> {
            while (true) {
                try {
                    return peer.<T>receive(Duration.ofMillis(HANDSHAKE_MILLIS));
                } catch (io.pprocess.ChannelTimeoutException e) {
                    if (!waiting.isEmpty()) {
                        throw new ChannelException("peer sent nothing for " + HANDSHAKE_MILLIS
                                + " ms while another peer was waiting", e);
                    }
                }
            }
        });
    }

    @Override
    public <T> T receive(Duration timeout) {
        long end = System.nanoTime() + Math.max(0, timeout.toNanos());
        return withPeer(peer -> peer.<T>receive(Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
    }

    @Override
    public boolean ready(Duration timeout) {
        return current != null && current.isOpen() && current.ready(timeout);
    }

    /** Tells the current peer, if any, that the task has finished. */
    public void finish() {
        if (current != null && current.isOpen()) {
            try {
                current.sendEnd();
            } catch (ChannelException e) {
                log("could not tell the peer that the task finished: " + e.getMessage());
            }
        }
    }

    @Override
    public long pid() {
        return 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        return OptionalInt.empty();
    }

    /** Closes the current peer and the listening socket, and removes the socket file. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (current != null) {
            current.close();
        }
        closeQuietly(server);
        FrameChannel queued;
        while ((queued = waiting.poll()) != null) {
            queued.close();
        }
        try {
            Files.deleteIfExists(address);
        } catch (IOException e) {
            log("cannot remove " + address + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Being dropped.
        }
    }

    private void log(String message) {
        System.err.println(Instant.now() + " pprocess persistent process " + ProcessHandle.current().pid()
                + " at " + address + ": " + message);
    }

    /** Thrown when no peer came within the idle limit. */
    public static final class IdleException extends ChannelException {
        private static final long serialVersionUID = 1L;

        IdleException(String message) {
            super(message);
        }
    }
}

package io.pprocess.internal.persist;

import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.Setting;
import io.pprocess.ChannelException;
import io.pprocess.PProcessException;
import io.pprocess.PersistentOptions;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.internal.spawn.Launcher;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.transport.SocketLink;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The parent's side of persistent processes: starts one at an address ({@link #start}), and
 * connects to one ({@link #connect}), checks that it is one (its greeting, within
 * {@code pprocess.greetingMillis}), and answers the greeting, as the process requires within its
 * handshake limit.
 */
public final class PersistentClient {
    private static final long GREETING_MILLIS = Setting.greetingMillis();

    private PersistentClient() {
    }

    /**
     * Starts {@code task} in a detached persistent process listening at {@code address}, once
     * the address is free (a stale socket file is removed; its directory is created, 0700).
     *
     * @param address the socket file path, absolute
     * @param options the process's idle limit and log
     * @param task the task, not {@code null}
     * @param args its arguments
     * @return the process's pid
     * @throws PProcessException naming the address if it is in use or the process cannot listen there
     * @throws io.pprocess.CodecException if the task cannot be serialised
     * @throws io.pprocess.ChildProcessException if the child died before it was listening
     */
    public static long start(Path address, PersistentOptions options, Object task, Object[] args) {
        try {
            Addresses.prepare(address);
        } catch (IOException e) {
            throw new PProcessException("cannot start a persistent process at " + address + ": "
                    + e.getMessage(), e);
        }
        Invocation invocation = new Invocation(task, args,
                new PersistentSpec(address.toString(), options.idleLimit().toMillis()));
        return Launcher.startPersistent(invocation, options.log());
    }

    /**
     * Connects to the persistent process at {@code address}.
     *
     * @param address the socket file path
     * @return the connected end
     * @throws ChannelException naming the address when nothing (or nothing of ours) is there
     */
    public static FrameChannel connect(Path address) {
        if (!Files.exists(address, LinkOption.NOFOLLOW_LINKS)) {
            throw new ChannelException("no persistent process at " + address + ": no such file");
        }
        if (Files.isRegularFile(address, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(address)) {
            throw new ChannelException("no persistent process at " + address + ": it is not a socket");
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new ChannelException("cannot open a socket: " + e.getMessage(), e);
        }
        try {
            try {
                channel.connect(UnixDomainSocketAddress.of(address));
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                if (why.contains("refused")) {
                    throw new ChannelException("no process is listening at " + address
                            + " (a stale socket file left by a process that ended)", e);
                }
                throw new ChannelException("cannot connect to " + address + ": " + why, e);
            }
            long pid = greeting(channel, address);
            try {
                ByteBuffer answer = Frames.persistentHello(ProcessHandle.current().pid());
                while (answer.hasRemaining()) {
                    channel.write(answer);
                }
                FrameChannel peer = new FrameChannel(new SocketLink(channel), new PeerProcess(pid));
                peer.expectWithdrawals();
                return peer;
            } catch (IOException e) {
                throw new ChannelException("cannot use the connection to " + address + ": " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Failed connection being dropped.
            }
            throw e;
        }
    }

    private static long greeting(SocketChannel channel, Path address) {
        ByteBuffer hello = ByteBuffer.allocate(Frames.HELLO_BYTES).limit(Frames.HEADER_BYTES);
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            readFully(channel, selector, hello, address);
            int length = Frames.length(hello, 0);
            byte kind = Frames.kind(hello, 0);
            if (kind == Frames.HELLO && length == Frames.TOKEN_BYTES) {
                readFully(channel, selector, hello.limit(Frames.HELLO_BYTES), address);
                long pid = Frames.persistentHelloPid(hello);
                if (pid >= 0) {
                    return pid;
                }
            } else if (kind == Frames.FAILURE && length > 0 && length <= Frames.MAX_REFUSAL_BYTES) {
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(channel, selector, body, address);
                Object failure = Codec.decode(body.array(), 0, length);
                if (failure instanceof RemoteFailure) {
                    throw new PProcessException("the persistent process at " + address + " refused the"
                            + " connection: " + ((RemoteFailure) failure).toException().remoteMessage());
                }
            }
            throw new ChannelException(address + " is not a pprocess persistent process (unexpected greeting)");
        } catch (IOException e) {
            throw new ChannelException("cannot read the greeting of " + address + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(SocketChannel channel, Selector selector, ByteBuffer dst, Path address)
            throws IOException {
        long deadline = System.nanoTime() + GREETING_MILLIS * 1_000_000L;
        while (dst.hasRemaining()) {
            int n = channel.read(dst);
            if (n < 0) {
                throw new ChannelException(address + " closed the connection before greeting"
                        + " (not a pprocess persistent process, or it refused us)");
            }
            if (n == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new ChannelException(address + " sent no greeting within " + GREETING_MILLIS
                            + " ms: not a pprocess persistent process");
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
    }
}

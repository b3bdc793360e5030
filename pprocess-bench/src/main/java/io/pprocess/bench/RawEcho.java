package io.pprocess.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The child of the raw baselines in {@link RoundTripBenchmark} and {@link LargeMessageBenchmark}: connects to the AF_UNIX socket
 * path given as its argument and echoes length-prefixed messages (a 4-byte big-endian length,
 * then that many bytes) until the parent closes the connection. No codec, no acknowledgement.
 */
public final class RawEcho {

    private RawEcho() {
    }

    /** A started {@link RawEcho} child and the parent's end of its connection. */
    static final class Connection implements AutoCloseable {
        final Process process;
        final SocketChannel socket;

        private Connection(Process process, SocketChannel socket) {
            this.process = process;
            this.socket = socket;
        }

        /**
         * Starts a {@link RawEcho} child and accepts its connection, at a socket in a private
         * (0700) temporary directory that is removed once the child has connected.
         *
         * @return the connection, blocking
         * @throws IOException if the socket cannot be set up, or the child does not connect
         *     within 30 s
         * @throws InterruptedException if interrupted while waiting for the child
         */
        static Connection start() throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("pprocess-bench-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path path = dir.resolve("raw.sock");
            Process process;
            SocketChannel socket;
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                server.configureBlocking(false);
                process = new ProcessBuilder(ChildJvm.command(RawEcho.class, path.toString())).inheritIO().start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((socket = server.accept()) == null) {
                    if (!process.isAlive()) {
                        throw new IOException("RawEcho child " + process.pid()
                                + " exited with status " + process.exitValue() + " before connecting");
                    }
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IOException("RawEcho child " + process.pid() + " did not connect within 30 s");
                    }
                    Thread.sleep(1);
                }
            } finally {
                Files.deleteIfExists(path);
                Files.delete(dir);
            }
            socket.configureBlocking(true);
            return new Connection(process, socket);
        }

        /**
         * Closes the connection, which ends the child, and checks its exit status.
         *
         * @throws IOException if closing fails
         * @throws IllegalStateException if the child does not exit within 10 s (it is then
         *     killed) or exits with a status other than 0
         */
        @Override
        public void close() throws IOException {
            socket.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("RawEcho child " + process.pid() + " did not exit within 10 s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for RawEcho child " + process.pid(), e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("RawEcho child " + process.pid() + " exited with status "
                        + process.exitValue());
            }
        }
    }

    /**
     * Echoes until end of stream.
     *
     * @param args the socket path
     * @throws IOException if the connection fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RawEcho <AF_UNIX socket path>");
            System.exit(2);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(args[0]));
            ByteBuffer header = ByteBuffer.allocateDirect(4);
            ByteBuffer body = ByteBuffer.allocateDirect(64);
            while (true) {
                header.clear();
                if (!readFully(ch, header)) {
                    return;
                }
                int length = header.getInt(0);
                if (length < 0) {
                    throw new IOException("negative message length: " + length);
                }
                if (body.capacity() < length) {
                    body = ByteBuffer.allocateDirect(length);
                }
                body.clear().limit(length);
                if (!readFully(ch, body)) {
                    throw new EOFException("connection ended inside a message of " + length + " bytes");
                }
                header.flip();
                body.flip();
                ByteBuffer[] both = {header, body};
                while (header.hasRemaining() || body.hasRemaining()) {
                    ch.write(both);
                }
            }
        }
    }

    /** @return false on end of stream before the first byte */
    static boolean readFully(SocketChannel ch, ByteBuffer buffer) throws IOException {
        boolean started = false;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer);
            if (n < 0) {
                if (!started) {
                    return false;
                }
                throw new EOFException("connection ended after " + buffer.position() + " of "
                        + buffer.limit() + " bytes");
            }
            started = true;
        }
        return true;
    }
}

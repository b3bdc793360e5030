package io.pprocess.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The child of the raw baseline in {@link RoundTripBenchmark}: connects to the AF_UNIX socket
 * path given as its argument and echoes length-prefixed messages (a 4-byte big-endian length,
 * then that many bytes) until the parent closes the connection. No codec, no acknowledgement.
 */
public final class RawEcho {

    private RawEcho() {
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

package io.pprocess.internal.persist;

import io.pprocess.internal.wire.Frames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The greeting a persistent process sends each peer that connects: a {@link Frames#HELLO}
 * frame whose 16-byte payload is the magic {@code "PPROCESS"} and the process's pid.
 */
final class Handshake {
    static final byte[] MAGIC = "PPROCESS".getBytes(StandardCharsets.US_ASCII);

    private Handshake() {
    }

    static ByteBuffer hello(long pid) {
        ByteBuffer b = ByteBuffer.allocate(Frames.HEADER_BYTES + Frames.TOKEN_BYTES);
        b.putInt(Frames.TOKEN_BYTES).put(Frames.HELLO).put(MAGIC).putLong(pid).flip();
        return b;
    }
}

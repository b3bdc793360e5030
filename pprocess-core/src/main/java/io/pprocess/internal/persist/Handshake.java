package io.pprocess.internal.persist;

import io.pprocess.internal.wire.Frames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The greeting a persistent process sends each peer that connects: a {@link Frames#HELLO}
 * frame whose 16-byte payload is the magic {@code "PPROCESS"} and the process's pid. The peer
 * answers with the same frame and its own pid, within {@code pprocess.handshakeMillis}; only
 * then is it queued to be served.
 */
final class Handshake {
    static final byte[] MAGIC = "PPROCESS".getBytes(StandardCharsets.US_ASCII);

    private Handshake() {
    }

    /**
     * Tells whether the bytes read so far can be a peer's answer to the greeting: the same
     * frame, with the peer's pid.
     *
     * @param answer the buffer being filled (position = bytes read)
     * @return false as soon as a byte is wrong
     */
    static boolean isAnswer(ByteBuffer answer) {
        ByteBuffer expected = hello(0);
        int n = Math.min(answer.position(), Frames.HEADER_BYTES + MAGIC.length);
        for (int i = 0; i < n; i++) {
            if (answer.get(i) != expected.get(i)) {
                return false;
            }
        }
        return true;
    }

    static ByteBuffer hello(long pid) {
        ByteBuffer b = ByteBuffer.allocate(Frames.HEADER_BYTES + Frames.TOKEN_BYTES);
        b.putInt(Frames.TOKEN_BYTES).put(Frames.HELLO).put(MAGIC).putLong(pid).flip();
        return b;
    }
}

package io.pprocess.internal.channel;

import java.nio.ByteBuffer;

/**
 * A large raw payload being read straight into its array: a {@code byte[]} or buffer through a
 * view of it, other arrays through a small direct buffer. Its progress survives a wait that
 * stops in the middle (an interrupt, a time limit), so the next receive continues it.
 */
final class RawReceive {
    private static final int STAGING_BYTES = 256 * 1024;

    final byte kind;
    final int total;
    private final Object value;
    /** For {@code byte[]} and buffers: the array itself. */
    private final ByteBuffer target;
    /** For other arrays: bytes read and not yet turned into elements. */
    private final ByteBuffer staging;
    private int bytes;
    private int elements;

    RawReceive(byte kind, Object value, int total) {
        this.kind = kind;
        this.value = value;
        this.total = total;
        if (value instanceof byte[]) {
            target = ByteBuffer.wrap((byte[]) value);
            staging = null;
        } else if (value instanceof ByteBuffer) {
            target = (ByteBuffer) value;
            staging = null;
        } else {
            target = null;
            staging = ByteBuffer.allocateDirect(Math.min(total, STAGING_BYTES)).order(RawValues.ORDER);
        }
    }

    /** Takes the payload's bytes that are already buffered. */
    void take(ByteBuffer in) {
        while (in.hasRemaining() && !done()) {
            int n = Math.min(in.remaining(), room());
            ByteBuffer part = in.slice(in.position(), n);
            in.position(in.position() + n);
            (target != null ? target : staging).put(part);
            arrived(n);
        }
    }

    /**
     * Reads more of the payload from the link, waiting as the reader allows.
     *
     * @return the bytes read, or -1 at end of stream
     */
    int readFrom(FrameReader reader) {
        ByteBuffer dst = target != null ? target : staging;
        int limit = dst.limit();
        dst.limit(dst.position() + room());
        int n;
        try {
            n = reader.readSome(dst);
        } finally {
            dst.limit(limit);
        }
        if (n > 0) {
            arrived(n);
        }
        return n;
    }

    /** @return how many bytes may be read into the current destination */
    private int room() {
        int left = total - bytes;
        return target != null ? left : Math.min(left, staging.remaining());
    }

    private void arrived(int n) {
        bytes += n;
        if (staging != null) {
            staging.flip();
            elements += RawValues.get(staging, value, elements);
            staging.compact();
        }
    }

    boolean done() {
        return bytes == total;
    }

    int bytesDone() {
        return bytes;
    }

    /** @return the filled value (a buffer is flipped, ready to read) */
    Object value() {
        if (target != null && value instanceof ByteBuffer) {
            target.flip();
        }
        return value;
    }
}

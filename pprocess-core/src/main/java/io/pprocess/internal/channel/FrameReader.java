package io.pprocess.internal.channel;

import io.pprocess.ChannelInterruptedException;
import io.pprocess.ChannelTimeoutException;
import io.pprocess.CodecException;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The reading half of a {@link FrameChannel}: its input buffer and the parsing of
 * {@link Frames}. One read may bring several frames; nothing is consumed until a frame is whole,
 * except that a large raw payload is read straight into its array ({@link RawReceive}), whose
 * progress is kept if a wait stops in its middle. One thread at a time uses it (the channel's
 * reader).
 */
final class FrameReader {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A buffer grown for large frames is kept up to this size, so a stream of them does not regrow it. */
    private static final int KEEP_BUFFER_BYTES = 16 << 20;
    /** Raw payloads above this size are read straight into their array, not the input buffer. */
    private static final int DIRECT_RAW_BYTES = 256 * 1024;

    private final ChannelState state;
    private ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES).flip();
    /** The end of the current timed wait, or 0 for no limit. */
    private long deadline;
    private Duration limit;
    /** A raw payload being read straight into its array, when a wait stopped in its middle. */
    private RawReceive partial;
    /** The value of the last raw frame read. */
    private Object rawValue;
    private int frameOffset;
    private int frameLength;

    FrameReader(ChannelState state) {
        this.state = state;
    }

    /**
     * Limits the waits of the reads to come, until {@link #clearLimit()}.
     *
     * @param end the {@link System#nanoTime()} at which they stop (not 0)
     * @param limit the limit, for the timeout's message
     */
    void limit(long end, Duration limit) {
        this.deadline = end;
        this.limit = limit;
    }

    void clearLimit() {
        deadline = 0;
        limit = null;
    }

    /** @return whether a whole frame (or a bad header) is buffered, nothing being read into an array */
    boolean hasWholeFrame() {
        if (partial != null || in.remaining() < Frames.HEADER_BYTES) {
            return false;
        }
        int length = Frames.length(in, in.position());
        if (Frames.checkHeader(length, Frames.kind(in, in.position())) != null) {
            return true;
        }
        return in.remaining() - Frames.HEADER_BYTES >= length;
    }

    /** @return whether any byte is buffered, a partial frame or a raw payload under way included */
    boolean hasAnyBytes() {
        return in.hasRemaining() || partial != null;
    }

    /** @return whether a raw payload is being read into its array */
    boolean hasPartial() {
        return partial != null;
    }

    /**
     * Reads one frame; its payload is then {@link #decodeFrame()}, {@link #copyFrame()} or, for a
     * raw frame, {@link #takeRaw()}.
     *
     * @return the frame's kind
     */
    byte readRawFrame() {
        if (partial != null) {
            return finishRaw();
        }
        if (state.finished) {
            throw state.ended(null);
        }
        if (!fill(Frames.HEADER_BYTES)) {
            if (in.hasRemaining()) {
                throw state.ended("in the middle of a frame header");
            }
            throw state.ended(null);
        }
        int length = Frames.length(in, in.position());
        byte kind = Frames.kind(in, in.position());
        String problem = Frames.checkHeader(length, kind);
        if (problem != null) {
            throw state.protocolError(problem);
        }
        boolean raw = kind == Frames.RAW || kind == Frames.RAW_STREAM;
        if (raw && length == 0) {
            throw state.protocolError(Frames.kindName(kind) + " frame without a type");
        }
        if (raw && length > DIRECT_RAW_BYTES && in.remaining() < Frames.HEADER_BYTES + length) {
            if (!fill(Frames.HEADER_BYTES + 1)) {
                throw state.ended("in the middle of a frame");
            }
            byte type = in.get(in.position() + Frames.PAYLOAD_OFFSET);
            Object value = RawValues.allocate(type, length - 1);
            if (value == null) {
                throw state.protocolError(String.format("raw frame of type 0x%02x with %d bytes",
                        type & 0xff, length - 1));
            }
            in.position(in.position() + Frames.HEADER_BYTES + 1);
            partial = new RawReceive(kind, value, length - 1);
            partial.take(in);
            return finishRaw();
        }
        if (!fill(Frames.HEADER_BYTES + length)) {
            throw state.ended("after " + (in.remaining() - Frames.HEADER_BYTES) + " of " + length
                    + " bytes of a frame");
        }
        in.position(in.position() + Frames.HEADER_BYTES);
        frameOffset = in.arrayOffset() + in.position();
        frameLength = length;
        in.position(in.position() + length);
        if (raw) {
            rawValue = RawValues.decode(in.array(), frameOffset, frameLength);
            if (rawValue == null) {
                throw state.protocolError("malformed " + Frames.kindName(kind) + " frame of " + length + " bytes");
            }
        }
        return kind;
    }

    /** Reads the rest of {@link #partial} into its array; the frame's kind once it is whole. */
    private byte finishRaw() {
        RawReceive r = partial;
        while (!r.done()) {
            int n = r.readFrom(this);
            if (n < 0) {
                partial = null;
                state.ended = true;
                throw state.peerGone("after " + r.bytesDone() + " of " + r.total + " bytes of a frame", null);
            }
        }
        partial = null;
        rawValue = r.value();
        return r.kind;
    }

    /** @return the payload of the last frame read, decoded */
    Object decodeFrame() {
        return decode(in.array(), frameOffset, frameLength);
    }

    /** @return a copy of the payload of the last frame read, to decode later */
    byte[] copyFrame() {
        return Arrays.copyOfRange(in.array(), frameOffset, frameOffset + frameLength);
    }

    /** Decodes a payload, naming the channel in the message if it cannot be. */
    Object decode(byte[] buffer, int offset, int length) {
        try {
            return Codec.decode(buffer, offset, length);
        } catch (CodecException e) {
            throw new CodecException(e.getMessage() + " (on the " + state.description + ")", e.getCause());
        }
    }

    /** @return the value of the last raw frame read, which is then forgotten */
    Object takeRaw() {
        Object value = rawValue;
        rawValue = null;
        return value;
    }

    /**
     * Looks, without waiting and without touching the frame just read, whether the next frame
     * is a {@link Frames#WITHDRAWN} one. If so, the raw value just read is dropped.
     *
     * @return whether the frame just read was withdrawn
     */
    boolean nextIsWithdrawn() {
        int offset = frameOffset;
        int length = frameLength;
        if (in.remaining() < Frames.HEADER_BYTES) {
            // Only into the room after the buffered bytes: the payload just read must stay intact.
            try {
                if (in.limit() < in.capacity()) {
                    ByteBuffer free = in.duplicate();
                    free.position(in.limit()).limit(in.capacity());
                    if (state.link.read(free, 0) > 0) {
                        in.limit(free.position());
                    }
                }
            } catch (IOException e) {
                return false;
            }
        }
        if (in.remaining() >= Frames.HEADER_BYTES && Frames.kind(in, in.position()) == Frames.WITHDRAWN) {
            rawValue = null;
            return true;
        }
        frameOffset = offset;
        frameLength = length;
        return false;
    }

    /** Takes in what the link holds without waiting; the end of the stream, or a failure, marks the peer ended. */
    void readAvailable() {
        try {
            makeRoom();
            ByteBuffer free = in.duplicate();
            free.position(in.limit()).limit(in.capacity());
            int n = state.link.read(free, 0);
            if (n < 0) {
                state.ended = true;
            } else {
                in.limit(free.position());
            }
        } catch (IOException e) {
            state.ended = true;
        }
    }

    /**
     * Consumes the next frame if it is an {@link Frames#ACK} frame, nothing being read into an
     * array.
     *
     * @return whether it was
     */
    boolean takeAck() {
        if (partial == null && in.remaining() >= Frames.HEADER_BYTES && Frames.kind(in, in.position()) == Frames.ACK
                && Frames.length(in, in.position()) == 0) {
            in.position(in.position() + Frames.HEADER_BYTES);
            return true;
        }
        return false;
    }

    /**
     * Consumes the next frame if it is an {@link Frames#END} frame.
     *
     * @return whether it was
     */
    boolean takeEnd() {
        if (in.remaining() >= Frames.HEADER_BYTES && Frames.kind(in, in.position()) == Frames.END) {
            in.position(in.position() + Frames.HEADER_BYTES);
            return true;
        }
        return false;
    }

    /**
     * Ensures {@code need} bytes are buffered; false at end of stream. The buffer doubles only
     * when it is full, so a peer that announces a huge frame and sends little costs little, and
     * the bytes kept are moved to its start only when that frees at least half of it, so a large
     * frame is copied a bounded number of times.
     */
    private boolean fill(int need) {
        if (in.remaining() == 0 && in.capacity() > KEEP_BUFFER_BYTES) {
            in = ByteBuffer.allocate(BUFFER_BYTES).flip();
        }
        while (in.remaining() < need) {
            makeRoom();
            ByteBuffer free = in.duplicate();
            free.position(in.limit()).limit(in.capacity());
            int n = readSome(free);
            if (n < 0) {
                state.ended = true;
                return false;
            }
            in.limit(free.position());
        }
        return true;
    }

    /** Makes room after the buffered bytes when there is none. */
    private void makeRoom() {
        if (in.limit() < in.capacity()) {
            return;
        }
        if (in.position() > 0 && in.remaining() <= in.capacity() / 2) {
            in.compact().flip();
        } else {
            growFull();
        }
    }

    /** Doubles a full buffer, up to the largest frame. */
    private void growFull() {
        int target = (int) Math.min(2L * in.capacity(), (long) Frames.maxFrameBytes() + Frames.HEADER_BYTES);
        if (target <= in.capacity()) {
            throw state.protocolError("frame does not fit in " + in.capacity() + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(target);
        bigger.put(in);
        bigger.flip();
        in = bigger;
    }

    /**
     * Reads what the link has, waiting as the current operation allows: without limit, or up to
     * the deadline of {@link #limit}.
     *
     * @return the bytes read, or -1 at end of stream
     * @throws ChannelTimeoutException if the deadline passed
     * @throws ChannelInterruptedException if the thread was interrupted
     */
    int readSome(ByteBuffer dst) {
        long wait = -1;
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            wait = left <= 0 ? 0 : (left + 999_999) / 1_000_000L;
        }
        int n;
        try {
            n = state.link.read(dst, wait);
        } catch (ClosedByInterruptException e) {
            state.open = false;
            state.link.close();
            throw new ChannelInterruptedException("interrupted while receiving on the " + state.description
                    + "; the interrupted read closed the channel", e);
        } catch (InterruptedIOException e) {
            throw state.interrupted(e, "receiving");
        } catch (IOException e) {
            throw state.peerGone("while receiving", e);
        }
        if (n == 0) {
            throw new ChannelTimeoutException("no whole message on the " + state.description + " within " + limit
                    + "; the channel stays usable");
        }
        return n;
    }
}

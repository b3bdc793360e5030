package io.pprocess.internal.channel;

import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.CodecException;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The writing half of a {@link FrameChannel}: encodes values into {@link Frames} (header and
 * payload, raw arrays as their bytes) and writes each frame whole under one lock, so any number
 * of threads may write at once.
 */
final class FrameWriter {
    static final byte[] ACK_FRAME = Frames.emptyFrame(Frames.ACK);
    static final byte[] END_FRAME = Frames.emptyFrame(Frames.END);
    static final byte[] WITHDRAWN_FRAME = Frames.emptyFrame(Frames.WITHDRAWN);
    /** A buffer grown for large frames is kept up to this size, so a stream of them does not regrow it. */
    private static final int KEEP_BUFFER_BYTES = 16 << 20;
    /** Raw payloads up to this size are sent with their header in one write. */
    private static final int SMALL_RAW_BYTES = 64 * 1024;

    private final ChannelState state;
    private final Output out = new Output(256, Frames.maxFrameBytes() + Frames.HEADER_BYTES);
    private final Object writeLock = new Object();
    /** A direct buffer for raw sends, made on first use. */
    private ByteBuffer scratch;

    FrameWriter(ChannelState state) {
        this.state = state;
    }

    /**
     * Encodes one frame without sending it.
     *
     * @param kind the frame's kind
     * @param value its payload
     * @param what what the value is, for the message if it is too large
     * @return the whole frame
     * @throws CodecException if it cannot be serialised
     */
    static byte[] encodeFrame(byte kind, Object value, String what) {
        Output output = new Output(256, Frames.maxFrameBytes() + Frames.HEADER_BYTES);
        output.setPosition(Frames.PAYLOAD_OFFSET);
        encodeChecked(output, value, what);
        byte[] frame = output.toBytes();
        Frames.seal(frame, frame.length, kind);
        return frame;
    }

    /** Encodes into {@code output}, turning a full buffer into a message about the frame limit. */
    private static void encodeChecked(Output output, Object value, String what) {
        try {
            Codec.encode(output, value);
        } catch (CodecException e) {
            if (e.getCause() instanceof KryoBufferOverflowException) {
                throw new CodecException(Frames.tooLarge(what + " (a value of class "
                        + value.getClass().getName() + ")"), e.getCause());
            }
            throw e;
        }
    }

    /** Writes a whole frame made beforehand; {@code when} says what failed if the peer is gone. */
    void writeBytes(byte[] frame, String when) {
        synchronized (writeLock) {
            try {
                state.link.write(ByteBuffer.wrap(frame));
            } catch (IOException e) {
                throw state.peerGone(when, e);
            }
        }
    }

    void writeAck() {
        writeBytes(ACK_FRAME, "while acknowledging");
    }

    /**
     * Sends a value: an exception as a {@link Frames#FAILURE} frame, an array or buffer as its
     * bytes (a raw frame), anything else encoded.
     *
     * @param value the value
     * @param acknowledged whether the peer is to acknowledge it
     */
    void writeValue(Object value, boolean acknowledged) {
        state.checkUsable();
        byte rawType = value instanceof Throwable ? 0 : RawValues.typeOf(value);
        synchronized (writeLock) {
            if (rawType != 0) {
                writeRaw(value, rawType, acknowledged ? Frames.RAW : Frames.RAW_STREAM);
                return;
            }
            byte kind;
            out.reset();
            out.setPosition(Frames.PAYLOAD_OFFSET);
            if (value instanceof Throwable) {
                encodeChecked(out, RemoteFailure.of((Throwable) value, ProcessHandle.current().pid()), "failure");
                kind = Frames.FAILURE;
            } else {
                encodeChecked(out, value, "message");
                kind = acknowledged ? Frames.DATA : Frames.STREAM;
            }
            writeFrame(kind);
        }
    }

    private void writeFrame(byte kind) {
        int total = out.position();
        byte[] buffer = out.getBuffer();
        Frames.seal(buffer, total, kind);
        try {
            state.link.write(ByteBuffer.wrap(buffer, 0, total));
        } catch (IOException e) {
            throw state.peerGone("while sending", e);
        } finally {
            if (buffer.length > KEEP_BUFFER_BYTES) {
                out.setBuffer(new byte[256], Frames.maxFrameBytes() + Frames.HEADER_BYTES);
            }
        }
    }

    /**
     * Sends an array or buffer as its bytes: small ones in one write with their header, large
     * ones from where they lie (a {@code byte[]} or buffer) or through the scratch buffer.
     */
    private void writeRaw(Object value, byte type, byte kind) {
        int width = RawValues.width(type);
        long bytes = (long) RawValues.elements(value) * width;
        if (bytes + 1 > Frames.maxFrameBytes()) {
            throw new CodecException(Frames.tooLarge("message " + RawValues.describe(value)
                    + " (" + bytes + " bytes)"), null);
        }
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(SMALL_RAW_BYTES + Frames.HEADER_BYTES + 1).order(RawValues.ORDER);
        }
        ByteBuffer b = scratch;
        b.clear();
        Frames.putHeader(b, (int) bytes + 1, kind).put(type);
        try {
            if (bytes <= SMALL_RAW_BYTES) {
                putElements(value, type, 0, RawValues.elements(value), b);
                b.flip();
                state.link.write(b);
                return;
            }
            b.flip();
            state.link.write(b);
            if (value instanceof byte[]) {
                state.link.write(ByteBuffer.wrap((byte[]) value));
            } else if (value instanceof ByteBuffer) {
                state.link.write(((ByteBuffer) value).duplicate());
            } else {
                int n = RawValues.elements(value);
                int step = SMALL_RAW_BYTES / width;
                for (int at = 0; at < n; at += step) {
                    b.clear();
                    int count = Math.min(step, n - at);
                    RawValues.put(value, at, count, b);
                    b.flip();
                    state.link.write(b);
                }
            }
        } catch (IOException e) {
            throw state.peerGone("while sending", e);
        }
    }

    private static void putElements(Object value, byte type, int from, int count, ByteBuffer dst) {
        if (type == Frames.RAW_BYTES) {
            dst.put((byte[]) value, from, count);
        } else if (type == Frames.RAW_BUFFER) {
            dst.put(((ByteBuffer) value).duplicate());
        } else {
            RawValues.put(value, from, count, dst);
        }
    }
}

package io.pprocess.internal.wire;

import io.pprocess.internal.Setting;

/**
 * The wire format of a channel, in one place.
 *
 * <pre>
 * frame  = length:int32 (big-endian, payload bytes only) kind:int8 payload:byte[length]
 * </pre>
 *
 * <p>Kinds: {@link #HELLO} (a child proves itself to its parent with its one-time token; a
 * persistent process greets each peer with a magic and its pid),
 * {@link #TASK} (the first message to a child: what it must run), {@link #DATA} (an object the
 * receiver acknowledges), {@link #STREAM} (an object with no acknowledgement), {@link #ACK},
 * {@link #FAILURE} (an exception, acknowledged like {@code DATA}), {@link #END} (the sender's
 * task returned normally and nothing follows).
 */
public final class Frames {
    /** Bytes before the payload: the length and the kind. */
    public static final int HEADER_BYTES = 5;

    /**
     * A greeting: a child's one-time token (16 bytes), or a persistent process's magic
     * {@code "PPROCESS"} and pid (8 + 8 bytes).
     */
    public static final byte HELLO = 1;
    /** The task a child is to run: an encoded task and its arguments. */
    public static final byte TASK = 2;
    /** An object whose receiver sends {@link #ACK}. */
    public static final byte DATA = 3;
    /** An object that is not acknowledged. */
    public static final byte STREAM = 4;
    /** The acknowledgement of {@link #DATA} or {@link #FAILURE}; empty payload. */
    public static final byte ACK = 5;
    /** An encoded exception; acknowledged. */
    public static final byte FAILURE = 6;
    /** A child's task returned normally; nothing follows. Empty payload, not acknowledged. */
    public static final byte END = 7;
    /**
     * Parent to a waiting child, before its task: the kinds of task it may get (a list of
     * {@code LambdaShape}s) to prepare; the child answers {@link #ACK}.
     */
    public static final byte PRIME = 8;

    /** The default maximum payload: 256 MiB. Set {@code pprocess.maxFrameBytes} to change it. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 256 << 20;

    /** Length of the payload of {@link #HELLO}. */
    public static final int TOKEN_BYTES = 16;

    private static final int MAX_FRAME_BYTES = readMax();

    private Frames() {
    }

    /** @return the largest payload accepted or sent, from {@code pprocess.maxFrameBytes} */
    public static int maxFrameBytes() {
        return MAX_FRAME_BYTES;
    }

    /**
     * Checks a header read from a peer.
     *
     * @param length the payload length
     * @param kind the kind byte
     * @return {@code null} if valid, or what is wrong with it
     */
    public static String checkHeader(int length, byte kind) {
        if (length < 0 || length > MAX_FRAME_BYTES) {
            return "frame length " + Integer.toUnsignedString(length) + " is outside 0.."
                    + MAX_FRAME_BYTES + " (pprocess.maxFrameBytes); the peer is not speaking"
                    + " the pprocess protocol or sent garbage";
        }
        if (kind < HELLO || kind > PRIME) {
            return String.format("unknown frame kind 0x%02x; the peer is not speaking the"
                    + " pprocess protocol or sent garbage", kind & 0xff);
        }
        if ((kind == ACK || kind == END) && length != 0) {
            return kindName(kind) + " frame with a payload of " + length + " bytes";
        }
        return null;
    }

    /**
     * Names a kind for messages.
     *
     * @param kind the kind byte
     * @return its name
     */
    public static String kindName(byte kind) {
        switch (kind) {
            case HELLO: return "HELLO";
            case TASK: return "TASK";
            case DATA: return "DATA";
            case STREAM: return "STREAM";
            case ACK: return "ACK";
            case FAILURE: return "FAILURE";
            case END: return "END";
            case PRIME: return "PRIME";
            default: return String.format("0x%02x", kind & 0xff);
        }
    }

    private static int readMax() {
        return Setting.MAX_FRAME_BYTES.intValue(DEFAULT_MAX_FRAME_BYTES, 1024);
    }
}

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
 * task returned normally and nothing follows), {@link #RAW} and {@link #RAW_STREAM} (an array or
 * buffer sent as its bytes, without the codec; acknowledged like {@code DATA} or not, like
 * {@code STREAM}), {@link #WITHDRAWN} (a persistent process takes back the message before it).
 *
 * <pre>
 * raw payload = type:int8 elements (little-endian)
 * </pre>
 *
 * <p>Raw types: {@link #RAW_BYTES} ({@code byte[]}), {@link #RAW_BUFFER} (a {@code ByteBuffer}'s
 * remaining bytes; received as a heap buffer), {@link #RAW_SHORTS}, {@link #RAW_CHARS},
 * {@link #RAW_INTS}, {@link #RAW_LONGS}, {@link #RAW_FLOATS}, {@link #RAW_DOUBLES}.
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
    /** An array or buffer as its bytes, acknowledged like {@link #DATA}. */
    public static final byte RAW = 9;
    /** An array or buffer as its bytes, not acknowledged, like {@link #STREAM}. */
    public static final byte RAW_STREAM = 10;
    /**
     * A persistent process to a peer it drops for not acknowledging in time: the acknowledged
     * message just before this frame went to another peer, and must not be received. Empty
     * payload; the connection ends after it.
     */
    public static final byte WITHDRAWN = 11;

    /** Raw type: {@code byte[]}. */
    public static final byte RAW_BYTES = 1;
    /** Raw type: a {@code ByteBuffer}'s remaining bytes. */
    public static final byte RAW_BUFFER = 2;
    /** Raw type: {@code short[]}. */
    public static final byte RAW_SHORTS = 3;
    /** Raw type: {@code char[]}. */
    public static final byte RAW_CHARS = 4;
    /** Raw type: {@code int[]}. */
    public static final byte RAW_INTS = 5;
    /** Raw type: {@code long[]}. */
    public static final byte RAW_LONGS = 6;
    /** Raw type: {@code float[]}. */
    public static final byte RAW_FLOATS = 7;
    /** Raw type: {@code double[]}. */
    public static final byte RAW_DOUBLES = 8;


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
     * Says that a message is too large, naming the limit and how to raise it.
     *
     * @param what the message, e.g. {@code "a byte[] of 314572800 bytes"}
     * @return the sentence
     */
    public static String tooLarge(String what) {
        return what + " exceeds the maximum frame size of " + MAX_FRAME_BYTES + " bytes ("
                + (MAX_FRAME_BYTES >> 20) + " MiB); raise it with -D" + Setting.MAX_FRAME_BYTES.key()
                + "=<bytes> (or the environment variable " + Setting.MAX_FRAME_BYTES.environment()
                + ") in both processes;"
                + " children started from here get the property";
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
        if (kind < HELLO || kind > WITHDRAWN) {
            return String.format("unknown frame kind 0x%02x; the peer is not speaking the"
                    + " pprocess protocol or sent garbage", kind & 0xff);
        }
        if ((kind == ACK || kind == END || kind == WITHDRAWN) && length != 0) {
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
            case RAW: return "RAW";
            case RAW_STREAM: return "RAW_STREAM";
            case WITHDRAWN: return "WITHDRAWN";
            default: return String.format("0x%02x", kind & 0xff);
        }
    }

    private static int readMax() {
        return Setting.MAX_FRAME_BYTES.intValue(DEFAULT_MAX_FRAME_BYTES, 1024);
    }
}

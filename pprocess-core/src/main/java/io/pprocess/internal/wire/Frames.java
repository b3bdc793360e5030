package io.pprocess.internal.wire;

import io.pprocess.internal.Setting;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The wire format of a channel, in one place: every encoder and parser of pprocess frames
 * calls this class for the layout, the kinds, the greetings and the codec's registration ids.
 *
 * <h2>Frame</h2>
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              length (int32, big-endian, payload only)         |  LENGTH_OFFSET = 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     kind      |  payload: length bytes ...                    |  KIND_OFFSET = 4,
 * +-+-+-+-+-+-+-+-+                                               |  PAYLOAD_OFFSET = 5
 * |                                                      ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The length is at most {@link #maxFrameBytes()} ({@code pprocess.maxFrameBytes}, default
 * {@link #DEFAULT_MAX_FRAME_BYTES}); {@link #checkHeader} rejects anything else.
 *
 * <h2>Kinds</h2>
 * <pre>
 * kind  name        payload                                  answered by
 *  1    HELLO       a greeting (below)                       -
 *  2    TASK        codec: Invocation (what a child runs)    -
 *  3    DATA        codec: any value                         ACK
 *  4    STREAM      codec: any value                         -
 *  5    ACK         empty                                    -
 *  6    FAILURE     codec: RemoteFailure (an exception)      ACK
 *  7    END         empty (the sender's task returned)       -
 *  8    PRIME       codec: List of LambdaShape (to prepare)  ACK
 *  9    RAW         raw payload (below)                      ACK
 * 10    RAW_STREAM  raw payload                              -
 * 11    WITHDRAWN   empty (the message before went elsewhere; the connection ends)
 *
 * raw payload = type:int8 elements (little-endian, native width)
 *   type 1 byte[], 2 ByteBuffer (its remaining bytes; received as a heap buffer), 3 short[],
 *        4 char[], 5 int[], 6 long[], 7 float[], 8 double[]
 * </pre>
 *
 * <h2>Greetings ({@link #HELLO}, {@link #HELLO_BYTES} bytes in all)</h2>
 * <pre>
 * child to parent:       00 00 00 10 01 | token: 16 random bytes
 * persistent process,    00 00 00 10 01 | "PPROCESS" (8 bytes, ASCII) | pid: int64 big-endian
 *   and its peer's answer
 * </pre>
 * A child's token reaches it as 32 hexadecimal digits in the environment variable
 * {@link #TOKEN_ENV} ({@link #tokenText}, {@link #tokenFromText}); the parent accepts a
 * connection or pipe only once its first {@link #HELLO_BYTES} bytes are that greeting. A
 * persistent process that refuses a peer sends one {@link #FAILURE} frame instead of its
 * greeting (at most {@link #MAX_REFUSAL_BYTES} of payload) and closes the connection.
 *
 * <h2>Codec registration ids</h2>
 * Codec payloads are Kryo; the classes below are registered with fixed ids in every process,
 * so they are wire format too: an id is never reused or renumbered, a new class takes the next
 * free one ({@link CodecId}).
 * <pre>
 * 40 lambda (ClosureSerializer.Closure)   50 HashMap          60 NextJob          70 InitFailed
 * 41 RemoteFailure                        51 LinkedHashMap    61 Wrapped          71 TaskBatch
 * 42 RemoteFailure[]                      52 HashSet          62 PersistentSpec   72 SkipTask
 * 43 Object[]                             53 LinkedHashSet    63 Chunk            73 TaskOutcome
 * 44 String[]                             54 TreeMap          64 Results          74 ExecutorWorker
 * 45 int[]                                55 TreeSet          65 ItemError        75 Batches.Worker
 * 46 long[]                               56 LinkedList       66 Rebind           76 Batches.Initialised
 * 47 double[]                             57 ArrayDeque       67 Park             77 KeptWorkerTask
 * 48 byte[]                               58 Arrays.asList    68 LambdaShape      78 (plain payload)
 * 49 ArrayList                            59 Invocation       69 Setup
 * </pre>
 * Id 78 names no class: a payload whose first byte is {@code 0x50} (78 + 2) is a plain one,
 * the messages of a {@code pmap} over plain numbers written without Kryo (see
 * {@code io.pprocess.internal.codec.PlainCodec} for its layout); Kryo refuses to read it.
 * The pprocess classes among them are the messages of {@code io.pprocess.internal.message},
 * {@code LambdaShape} of {@code io.pprocess.internal.codec}, and the tasks the library itself
 * sends a child: the executor's worker ({@code internal.executor.ExecutorWorker}), {@code pmap}'s
 * worker and the initialising wrapper of an exchange's jobs ({@code internal.exchange.Batches}),
 * and a kept worker's task ({@code internal.spawn.KeptWorkerTask}). Every class of
 * {@code io.pprocess.internal} that crosses the wire has an id here: the codec refuses to send or
 * receive one by name.
 */
public final class Frames {
    /** Where a frame's payload length (int32, big-endian) is, from the frame's start. */
    public static final int LENGTH_OFFSET = 0;
    /** Where a frame's kind byte is, from the frame's start. */
    public static final int KIND_OFFSET = 4;
    /** Bytes before the payload: the length and the kind. */
    public static final int HEADER_BYTES = 5;
    /** Where the payload starts, from the frame's start; in a raw frame, its type byte. */
    public static final int PAYLOAD_OFFSET = HEADER_BYTES;

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

    /** Length of the payload of {@link #HELLO}: a child's token, or the magic and a pid. */
    public static final int TOKEN_BYTES = 16;
    /** A whole {@link #HELLO} frame. */
    public static final int HELLO_BYTES = HEADER_BYTES + TOKEN_BYTES;
    /** The environment variable that gives a child its token, as {@link #tokenText} made it. */
    public static final String TOKEN_ENV = "PPROCESS_TOKEN";
    /** The largest payload of the {@link #FAILURE} frame a persistent process refuses a peer with. */
    public static final int MAX_REFUSAL_BYTES = 1 << 20;

    private static final byte[] PERSISTENT_MAGIC = "PPROCESS".getBytes(StandardCharsets.US_ASCII);
    private static final int PID_OFFSET = HEADER_BYTES + PERSISTENT_MAGIC.length;

    private static final int MAX_FRAME_BYTES = readMax();

    private Frames() {
    }

    /** Holds the random source, so that a child, which makes no tokens, never seeds one. */
    private static final class Tokens {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * The codec's fixed Kryo registration ids: see the table in {@link Frames}. Kryo writes a
     * registered class as the varint {@code id + 2}.
     */
    public static final class CodecId {
        /** The first id; Kryo's own default registrations stay below it. */
        public static final int FIRST = 40;
        /** A serialisable lambda ({@code ClosureSerializer.Closure}). */
        public static final int LAMBDA = 40;
        /** {@code RemoteFailure}. */
        public static final int REMOTE_FAILURE = 41;
        /** {@code RemoteFailure[]}. */
        public static final int REMOTE_FAILURE_ARRAY = 42;
        /** {@code Object[]}. */
        public static final int OBJECT_ARRAY = 43;
        /** {@code String[]}. */
        public static final int STRING_ARRAY = 44;
        /** {@code int[]}. */
        public static final int INT_ARRAY = 45;
        /** {@code long[]}. */
        public static final int LONG_ARRAY = 46;
        /** {@code double[]}. */
        public static final int DOUBLE_ARRAY = 47;
        /** {@code byte[]}. */
        public static final int BYTE_ARRAY = 48;
        /** {@code ArrayList}. */
        public static final int ARRAY_LIST = 49;
        /** {@code HashMap}. */
        public static final int HASH_MAP = 50;
        /** {@code LinkedHashMap}. */
        public static final int LINKED_HASH_MAP = 51;
        /** {@code HashSet}. */
        public static final int HASH_SET = 52;
        /** {@code LinkedHashSet}. */
        public static final int LINKED_HASH_SET = 53;
        /** {@code TreeMap}. */
        public static final int TREE_MAP = 54;
        /** {@code TreeSet}. */
        public static final int TREE_SET = 55;
        /** {@code LinkedList}. */
        public static final int LINKED_LIST = 56;
        /** {@code ArrayDeque}. */
        public static final int ARRAY_DEQUE = 57;
        /** The list of {@code Arrays.asList}. */
        public static final int ARRAYS_AS_LIST = 58;
        /** {@code Invocation}: a task and its arguments. */
        public static final int INVOCATION = 59;
        /** {@code NextJob}. */
        public static final int NEXT_JOB = 60;
        /** {@code Wrapped}: a plain function as a reusable task. */
        public static final int WRAPPED = 61;
        /** {@code PersistentSpec}. */
        public static final int PERSISTENT_SPEC = 62;
        /** {@code Chunk}. */
        public static final int CHUNK = 63;
        /** {@code Results}. */
        public static final int RESULTS = 64;
        /** {@code ItemError}. */
        public static final int ITEM_ERROR = 65;
        /** {@code Rebind}. */
        public static final int REBIND = 66;
        /** {@code Park}. */
        public static final int PARK = 67;
        /** {@code LambdaShape}. */
        public static final int LAMBDA_SHAPE = 68;
        /** {@code Setup}. */
        public static final int SETUP = 69;
        /** {@code InitFailed}. */
        public static final int INIT_FAILED = 70;
        /** {@code TaskBatch}: tasks a {@code ProcessExecutor} sends its child. */
        public static final int TASK_BATCH = 71;
        /** {@code SkipTask}: a cancelled executor task the child must not run. */
        public static final int SKIP_TASK = 72;
        /** {@code TaskOutcome}: an executor task's result or failure. */
        public static final int TASK_OUTCOME = 73;
        /** {@code ExecutorWorker}: the task of a {@code ProcessExecutor}'s child. */
        public static final int EXECUTOR_WORKER = 74;
        /** {@code Batches.Worker}: the task of a {@code pmap} worker. */
        public static final int PMAP_WORKER = 75;
        /** {@code Batches.Initialised}: an exchange's job run after its worker initialiser. */
        public static final int INITIALISED = 76;
        /** {@code KeptWorkerTask}: the task that makes a persistent child a kept worker. */
        public static final int KEPT_WORKER_TASK = 77;
        /**
         * No class: a payload that starts with this id ({@code 0x50}) is a plain one, written
         * and read without Kryo ({@code io.pprocess.internal.codec.PlainCodec}).
         */
        public static final int PLAIN = 78;
        /** The last id in use; the next class takes {@code LAST + 1}. */
        public static final int LAST = 78;

        private CodecId() {
        }
    }

    /**
     * Writes a header at the start of {@code frame}.
     *
     * @param frame the frame, at least {@link #HEADER_BYTES} long
     * @param length the payload length
     * @param kind the kind
     */
    public static void putHeader(byte[] frame, int length, byte kind) {
        frame[LENGTH_OFFSET] = (byte) (length >>> 24);
        frame[LENGTH_OFFSET + 1] = (byte) (length >>> 16);
        frame[LENGTH_OFFSET + 2] = (byte) (length >>> 8);
        frame[LENGTH_OFFSET + 3] = (byte) length;
        frame[KIND_OFFSET] = kind;
    }

    /**
     * Writes a header at the buffer's position, big-endian whatever the buffer's order, and
     * moves the position past it.
     *
     * @param b the buffer
     * @param length the payload length
     * @param kind the kind
     * @return {@code b}
     */
    public static ByteBuffer putHeader(ByteBuffer b, int length, byte kind) {
        java.nio.ByteOrder order = b.order();
        b.order(java.nio.ByteOrder.BIG_ENDIAN).putInt(length).put(kind);
        b.order(order);
        return b;
    }

    /**
     * Writes the header of a frame whose payload has been written after {@link #HEADER_BYTES}
     * free bytes of {@code buffer}.
     *
     * @param buffer the frame being built
     * @param total the bytes of {@code buffer} in use: header and payload
     * @param kind the kind
     */
    public static void seal(byte[] buffer, int total, byte kind) {
        putHeader(buffer, total - HEADER_BYTES, kind);
    }

    /**
     * Reads a frame's payload length.
     *
     * @param b a buffer holding at least the frame's header from {@code frame}
     * @param frame the index of the frame's first byte
     * @return the length, as sent (check it with {@link #checkHeader})
     */
    public static int length(ByteBuffer b, int frame) {
        return b.order() == java.nio.ByteOrder.BIG_ENDIAN ? b.getInt(frame + LENGTH_OFFSET)
                : Integer.reverseBytes(b.getInt(frame + LENGTH_OFFSET));
    }

    /**
     * Reads a frame's kind.
     *
     * @param b a buffer holding at least the frame's header from {@code frame}
     * @param frame the index of the frame's first byte
     * @return the kind byte
     */
    public static byte kind(ByteBuffer b, int frame) {
        return b.get(frame + KIND_OFFSET);
    }

    /**
     * Makes a frame with no payload.
     *
     * @param kind {@link #ACK}, {@link #END} or {@link #WITHDRAWN}
     * @return the whole frame (a new array each time)
     * @throws IllegalArgumentException for a kind that has a payload
     */
    public static byte[] emptyFrame(byte kind) {
        if (kind != ACK && kind != END && kind != WITHDRAWN) {
            throw new IllegalArgumentException(kindName(kind) + " frames have a payload");
        }
        byte[] frame = new byte[HEADER_BYTES];
        putHeader(frame, 0, kind);
        return frame;
    }

    /** @return a new random one-time token of {@link #TOKEN_BYTES} bytes, for a child */
    public static byte[] newToken() {
        byte[] token = new byte[TOKEN_BYTES];
        Tokens.RANDOM.nextBytes(token);
        return token;
    }

    /**
     * Writes a token as the value of {@link #TOKEN_ENV}.
     *
     * @param token the token
     * @return its hexadecimal digits
     */
    public static String tokenText(byte[] token) {
        return HexFormat.of().formatHex(token);
    }

    /**
     * Reads a token from the value of {@link #TOKEN_ENV}.
     *
     * @param text the hexadecimal digits
     * @return the token
     * @throws IllegalArgumentException if {@code text} is not {@link #TOKEN_BYTES} bytes in
     *     hexadecimal
     */
    public static byte[] tokenFromText(String text) {
        byte[] token;
        try {
            token = HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TOKEN_ENV + " is not hexadecimal: " + text, e);
        }
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException(TOKEN_ENV + " has " + token.length + " bytes, not "
                    + TOKEN_BYTES + ": " + text);
        }
        return token;
    }

    /**
     * Makes a child's greeting.
     *
     * @param token the child's token
     * @return the whole {@link #HELLO} frame, ready to write
     */
    public static ByteBuffer childHello(byte[] token) {
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException("token of " + token.length + " bytes, not " + TOKEN_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
        putHeader(b, TOKEN_BYTES, HELLO).put(token).flip();
        return b;
    }

    /**
     * Reads a child's greeting.
     *
     * @param hello the first {@link #HELLO_BYTES} bytes from the child, from index 0
     * @return the token it carries, or {@code null} if they are not a greeting
     */
    public static byte[] childToken(ByteBuffer hello) {
        if (hello.limit() < HELLO_BYTES || kind(hello, 0) != HELLO || length(hello, 0) != TOKEN_BYTES) {
            return null;
        }
        byte[] token = new byte[TOKEN_BYTES];
        hello.get(PAYLOAD_OFFSET, token);
        return token;
    }

    /**
     * Makes a persistent process's greeting, or its peer's answer.
     *
     * @param pid the sender's pid
     * @return the whole {@link #HELLO} frame, ready to write
     */
    public static ByteBuffer persistentHello(long pid) {
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
        putHeader(b, TOKEN_BYTES, HELLO).put(PERSISTENT_MAGIC).putLong(pid).flip();
        return b;
    }

    /**
     * Tells whether the bytes read so far can be the start of a persistent greeting: the
     * header and the magic, whatever the pid.
     *
     * @param partial the buffer being filled from index 0 (position = bytes read)
     * @return false as soon as a byte is wrong
     */
    public static boolean isPersistentHelloPrefix(ByteBuffer partial) {
        return startsLikePersistentHello(partial, Math.min(partial.position(), PID_OFFSET));
    }

    /**
     * Reads the pid of a whole persistent greeting.
     *
     * @param hello a buffer whose indices 0 to {@link #HELLO_BYTES} - 1 hold the greeting
     *     (its limit at least {@link #HELLO_BYTES})
     * @return the pid, or -1 if the bytes are not a persistent greeting
     */
    public static long persistentHelloPid(ByteBuffer hello) {
        if (hello.limit() < HELLO_BYTES || !startsLikePersistentHello(hello, PID_OFFSET)) {
            return -1;
        }
        return hello.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN).getLong(PID_OFFSET);
    }

    private static boolean startsLikePersistentHello(ByteBuffer b, int n) {
        ByteBuffer expected = persistentHello(0);
        for (int i = 0; i < n; i++) {
            if (b.get(i) != expected.get(i)) {
                return false;
            }
        }
        return true;
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

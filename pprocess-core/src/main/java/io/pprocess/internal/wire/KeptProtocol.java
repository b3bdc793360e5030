package io.pprocess.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The few bytes a program and a kept worker exchange when the program connects, before the
 * connection becomes an ordinary channel (if the worker was claimed) or is closed.
 *
 * <p>Request, 24 bytes: the magic {@code "PPKW"}, the operation ({@link #CLAIM}, {@link #INFO}
 * or {@link #STOP}), three bytes of padding, the program's pid and the idle limit it wants
 * (milliseconds; 0 keeps the worker's own). Reply: the magic, a status, three bytes of padding,
 * the worker's pid, when it became idle (epoch milliseconds, 0 while it serves a job), the jobs
 * it has served, its idle limit in milliseconds, and a UTF-8 text (its description, or why it
 * refused) preceded by its length.
 */
public final class KeptProtocol {
    private static final byte[] MAGIC = "PPKW".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of a request. */
    public static final int REQUEST_BYTES = 24;
    /** Bytes of a reply before its text. */
    public static final int REPLY_FIXED_BYTES = 44;
    /** The longest text of a reply. */
    public static final int MAX_TEXT_BYTES = 64 << 10;

    /** Operation: claim the worker for a job. */
    public static final byte CLAIM = 'C';
    /** Operation: describe the worker. */
    public static final byte INFO = 'I';
    /** Operation: end the worker (at once if idle, after its job otherwise). */
    public static final byte STOP = 'S';

    /** Status: claimed; the connection is now the job's channel. */
    public static final byte CLAIMED = 'O';
    /** Status: serving another program. */
    public static final byte BUSY = 'B';
    /** Status: the description follows. */
    public static final byte DESCRIBED = 'I';
    /** Status: ending now. */
    public static final byte ENDING = 'X';
    /** Status: will end when its job is done. */
    public static final byte ENDING_LATER = 'L';
    /** Status: the peer was refused (another user, bad request); the text says why. */
    public static final byte REFUSED = 'R';

    /** How long either side waits for the other's bytes. */
    public static final long HANDSHAKE_MILLIS = io.pprocess.internal.Setting.greetingMillis();

    private KeptProtocol() {
    }

    /** A reply as read. */
    public record Reply(byte status, long pid, long idleSince, long jobs, long idleLimitMillis, String text) {
    }

    /**
     * Makes a request.
     *
     * @param op the operation
     * @param pid the program's pid
     * @param idleMillis the idle limit it wants, 0 for the worker's own
     * @return the bytes, ready to write
     */
    public static ByteBuffer request(byte op, long pid, long idleMillis) {
        ByteBuffer b = ByteBuffer.allocate(REQUEST_BYTES);
        b.put(MAGIC).put(op).put((byte) 0).put((byte) 0).put((byte) 0).putLong(pid).putLong(idleMillis).flip();
        return b;
    }

    /**
     * Makes a reply.
     *
     * @param status the status
     * @param pid the worker's pid
     * @param idleSince when it became idle, epoch milliseconds, 0 while it serves a job
     * @param jobs the jobs it has served
     * @param idleLimitMillis its idle limit
     * @param text its description, or why it refused
     * @return the bytes, ready to write
     */
    public static ByteBuffer reply(byte status, long pid, long idleSince, long jobs, long idleLimitMillis, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(t.length, MAX_TEXT_BYTES);
        ByteBuffer b = ByteBuffer.allocate(REPLY_FIXED_BYTES + length);
        b.put(MAGIC).put(status).put((byte) 0).put((byte) 0).put((byte) 0).putLong(pid).putLong(idleSince)
                .putLong(jobs).putLong(idleLimitMillis).putInt(length).put(t, 0, length).flip();
        return b;
    }

    /**
     * Reads a reply from a channel in blocking mode.
     *
     * @throws IOException if the peer closes early, sends something else, or is too slow
     */
    /**
     * Reads a reply.
     *
     * @param channel the connection
     * @return the reply
     * @throws IOException if it is malformed, late or cut short
     */
    public static Reply readReply(SocketChannel channel) throws IOException {
        ByteBuffer fixed = ByteBuffer.allocate(REPLY_FIXED_BYTES);
        readFully(channel, fixed);
        fixed.flip();
        checkMagic(fixed);
        byte status = fixed.get();
        fixed.position(fixed.position() + 3);
        long pid = fixed.getLong();
        long idleSince = fixed.getLong();
        long jobs = fixed.getLong();
        long limit = fixed.getLong();
        int length = fixed.getInt();
        if (length < 0 || length > MAX_TEXT_BYTES) {
            throw new IOException("kept worker sent a text of " + length + " bytes");
        }
        ByteBuffer text = ByteBuffer.allocate(length);
        readFully(channel, text);
        return new Reply(status, pid, idleSince, jobs, limit, new String(text.array(), StandardCharsets.UTF_8));
    }

    /**
     * Checks that a message starts with the magic.
     *
     * @param b the message, from index 0
     * @throws IOException if it does not
     */
    public static void checkMagic(ByteBuffer b) throws IOException {
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new IOException("not a pprocess kept worker (unexpected greeting)");
            }
        }
    }

    /** Reads until {@code dst} is full, within {@link #HANDSHAKE_MILLIS}; leaves the channel blocking. */
    /**
     * Reads until {@code dst} is full, within {@link #HANDSHAKE_MILLIS}.
     *
     * @param channel the connection
     * @param dst the buffer
     * @throws IOException on end of stream or time out
     */
    public static void readFully(SocketChannel channel, ByteBuffer dst) throws IOException {
        long deadline = System.nanoTime() + HANDSHAKE_MILLIS * 1_000_000L;
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (dst.hasRemaining()) {
                int n = channel.read(dst);
                if (n < 0) {
                    throw new IOException("the peer closed the connection during the handshake");
                }
                if (n == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        throw new IOException("no handshake within " + HANDSHAKE_MILLIS + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
        }
        // Closing the selector deregistered the channel.
        channel.configureBlocking(true);
    }

    /**
     * Writes all of {@code src}.
     *
     * @param channel the connection
     * @param src the bytes
     * @throws IOException on failure
     */
    public static void writeFully(SocketChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }
}

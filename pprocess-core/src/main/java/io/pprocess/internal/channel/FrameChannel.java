package io.pprocess.internal.channel;

import io.pprocess.internal.Setting;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChildProcessException;
import io.pprocess.CodecException;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.codec.RemoteFailure;
import io.pprocess.internal.transport.ChildProcess;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The {@link Channel} of both ends, speaking the {@link Frames} protocol over a {@link Link}.
 *
 * <p>Input is buffered: one read may bring several frames, so {@link #hasBufferedInput()}
 * must be checked before waiting on the link. Frames that arrive while a {@code send} waits
 * for its acknowledgement (the peer sending at the same time) are acknowledged and kept for
 * the next {@link #receive()}, so two ends that send at once do not deadlock.
 */
public final class FrameChannel implements Channel {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A buffer grown for large frames is kept up to this size, so a stream of them does not regrow it. */
    private static final int KEEP_BUFFER_BYTES = 16 << 20;
    private static final long EXIT_GRACE_MILLIS = Setting.EXIT_GRACE_MILLIS.longValue(2000, 0);
    private static final byte[] ACK_FRAME = {0, 0, 0, 0, Frames.ACK};
    private static final byte[] END_FRAME = {0, 0, 0, 0, Frames.END};

    private final Link link;
    private final ChildProcess process;
    private final String description;
    private ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES).flip();
    private final Output out = new Output(256, Frames.maxFrameBytes() + Frames.HEADER_BYTES);
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private volatile boolean open = true;
    private String broken;
    private boolean ended;
    private boolean finished;
    private long received;

    private record Pending(byte kind, byte[] payload) {
    }

    /**
     * Creates a channel end.
     *
     * @param link the link
     * @param process the child, on the parent's side; {@code null} inside the child
     */
    public FrameChannel(Link link, ChildProcess process) {
        this.link = link;
        this.process = process;
        this.description = process == null ? "channel to the parent process"
                : "channel to child process " + process.pid();
    }

    @Override
    public long pid() {
        return process == null ? 0 : process.pid();
    }

    /** @return the child process, or {@code null} inside the child */
    public ChildProcess process() {
        return process;
    }

    /** @return the link */
    public Link link() {
        return link;
    }

    @Override
    public boolean isOpen() {
        return open && broken == null;
    }

    @Override
    public void send(Object value) {
        writeValue(value, true);
        awaitAck();
    }

    @Override
    public void sendUnacknowledged(Object value) {
        writeValue(value, false);
    }

    /**
     * Encodes a task frame without sending it, so that a task that cannot be serialised fails
     * before a child is started for it.
     *
     * @param invocation the task and its arguments
     * @return the whole frame
     * @throws io.pprocess.CodecException if it cannot be serialised
     */
    public static byte[] encodeTask(Object invocation) {
        return encodeFrame(Frames.TASK, invocation, "task");
    }

    /**
     * Encodes a {@link Frames#PRIME} frame for {@link #prime}.
     *
     * @param shapes the kinds of task to prepare
     * @return the whole frame
     * @throws io.pprocess.CodecException if it cannot be serialised
     */
    public static byte[] encodePrime(java.util.List<?> shapes) {
        return encodeFrame(Frames.PRIME, shapes, "announcement");
    }

    private static byte[] encodeFrame(byte kind, Object value, String what) {
        Output output = new Output(256, Frames.maxFrameBytes() + Frames.HEADER_BYTES);
        output.setPosition(Frames.HEADER_BYTES);
        Codec.encode(output, value);
        byte[] frame = output.toBytes();
        int length = frame.length - Frames.HEADER_BYTES;
        if (length > Frames.maxFrameBytes()) {
            throw new CodecException(what + " of " + length + " bytes exceeds the maximum frame size "
                    + Frames.maxFrameBytes() + " (pprocess.maxFrameBytes)", null);
        }
        putHeader(frame, length, kind);
        return frame;
    }

    /**
     * Tells a waiting child, before its task, what kinds of task to prepare, and waits until it
     * has: the parent's side of {@link Frames#PRIME}.
     *
     * @param frame a frame made by {@link #encodePrime}
     * @param timeoutMillis how long the child may take
     * @return whether the child acknowledged in time; if not, the channel must not be used for a
     *     task (an acknowledgement may still come) and should be terminated
     * @throws ChannelException if the child is gone
     */
    public boolean prime(byte[] frame, long timeoutMillis) {
        checkUsable();
        try {
            link.write(ByteBuffer.wrap(frame));
            if (!hasBufferedInput() && !link.awaitReadable(timeoutMillis)) {
                return false;
            }
        } catch (IOException e) {
            throw peerGone("while preparing it", e);
        }
        byte kind = readFrame();
        if (kind != Frames.ACK) {
            throw protocolError("expected an acknowledgement of PRIME but received " + Frames.kindName(kind));
        }
        return true;
    }

    /**
     * Sends a task frame made by {@link #encodeTask}: the first message to a child, not
     * acknowledged.
     *
     * @param frame the frame
     */
    public void sendTaskFrame(byte[] frame) {
        checkUsable();
        try {
            link.write(ByteBuffer.wrap(frame));
        } catch (IOException e) {
            throw peerGone("while sending its task", e);
        }
    }

    /** Tells the parent that the task returned normally; the child's last frame. */
    public void sendEnd() {
        checkUsable();
        try {
            link.write(ByteBuffer.wrap(END_FRAME));
        } catch (IOException e) {
            throw peerGone("while ending", e);
        }
    }

    /**
     * Reads the task frame: a child's first message. Announcements that come before it
     * ({@link Frames#PRIME}) are decoded, handed to {@code prepare} and acknowledged; one that
     * cannot be decoded is acknowledged and passed over.
     *
     * @param prepare handles an announcement; it should not throw
     * @return the decoded task
     */
    public Object receiveTask(java.util.function.Consumer<Object> prepare) {
        checkUsable();
        while (true) {
            byte kind = readFrame();
            if (kind == Frames.TASK) {
                return decode(in.array(), frameOffset, frameLength);
            }
            if (kind != Frames.PRIME) {
                throw protocolError("expected the task frame but received " + Frames.kindName(kind));
            }
            Object shapes;
            try {
                shapes = decode(in.array(), frameOffset, frameLength);
            } catch (CodecException e) {
                shapes = null;
            }
            if (shapes != null) {
                prepare.accept(shapes);
            }
            writeAck();
        }
    }

    private void writeValue(Object value, boolean acknowledged) {
        checkUsable();
        byte kind;
        out.reset();
        out.setPosition(Frames.HEADER_BYTES);
        if (value instanceof Throwable) {
            Codec.encode(out, RemoteFailure.of((Throwable) value, ProcessHandle.current().pid()));
            kind = Frames.FAILURE;
        } else {
            Codec.encode(out, value);
            kind = acknowledged ? Frames.DATA : Frames.STREAM;
        }
        writeFrame(kind);
    }

    private void writeFrame(byte kind) {
        int total = out.position();
        int length = total - Frames.HEADER_BYTES;
        if (length > Frames.maxFrameBytes()) {
            throw new CodecException("message of " + length + " bytes exceeds the maximum frame size "
                    + Frames.maxFrameBytes() + " (pprocess.maxFrameBytes)", null);
        }
        byte[] buffer = out.getBuffer();
        putHeader(buffer, length, kind);
        try {
            link.write(ByteBuffer.wrap(buffer, 0, total));
        } catch (IOException e) {
            throw peerGone("while sending", e);
        }
    }

    private static void putHeader(byte[] buffer, int length, byte kind) {
        buffer[0] = (byte) (length >>> 24);
        buffer[1] = (byte) (length >>> 16);
        buffer[2] = (byte) (length >>> 8);
        buffer[3] = (byte) length;
        buffer[4] = kind;
    }

    private void writeAck() {
        try {
            link.write(ByteBuffer.wrap(ACK_FRAME));
        } catch (IOException e) {
            throw peerGone("while acknowledging", e);
        }
    }

    private void awaitAck() {
        while (true) {
            byte kind = readFrame();
            switch (kind) {
                case Frames.ACK:
                    return;
                case Frames.DATA:
                case Frames.FAILURE:
                    pending.add(new Pending(kind, copyFrame()));
                    writeAck();
                    break;
                case Frames.STREAM:
                    pending.add(new Pending(kind, copyFrame()));
                    break;
                default:
                    throw protocolError("expected an acknowledgement but received " + Frames.kindName(kind));
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T receive() {
        checkUsable();
        Pending p = pending.poll();
        if (p != null) {
            return (T) interpret(p.kind, p.payload, 0, p.payload.length);
        }
        byte kind = readFrame();
        switch (kind) {
            case Frames.DATA:
            case Frames.FAILURE:
                writeAck();
                return (T) interpret(kind, in.array(), frameOffset, frameLength);
            case Frames.STREAM:
                return (T) interpret(kind, in.array(), frameOffset, frameLength);
            default:
                throw protocolError("expected a message but received " + Frames.kindName(kind));
        }
    }

    private Object interpret(byte kind, byte[] buffer, int offset, int length) {
        Object value = decode(buffer, offset, length);
        if (kind == Frames.FAILURE) {
            if (value instanceof RemoteFailure) {
                throw ((RemoteFailure) value).toException();
            }
            throw protocolError("failure frame did not hold a failure");
        }
        return value;
    }

    private Object decode(byte[] buffer, int offset, int length) {
        try {
            return Codec.decode(buffer, offset, length);
        } catch (CodecException e) {
            throw new CodecException(e.getMessage() + " (on the " + description + ")", e.getCause());
        }
    }

    /** @return whether a whole frame or more is already buffered, or a message is pending */
    public boolean hasBufferedInput() {
        if (!pending.isEmpty()) {
            return true;
        }
        if (in.remaining() < Frames.HEADER_BYTES) {
            return false;
        }
        int length = in.getInt(in.position());
        if (Frames.checkHeader(length, in.get(in.position() + 4)) != null) {
            return true;
        }
        return in.remaining() - Frames.HEADER_BYTES >= length;
    }

    /**
     * Tells whether any input is buffered: a partial frame counts, since reading it then waits
     * only for the rest of a frame already started.
     *
     * @return whether bytes or messages are waiting in this end
     */
    public boolean hasAnyBufferedInput() {
        return !pending.isEmpty() || in.hasRemaining();
    }

    @Override
    public boolean ready(Duration timeout) {
        checkUsable();
        if (hasBufferedInput() || ended || finished) {
            return true;
        }
        try {
            long millis = timeout == null ? -1 : Math.max(0, timeout.toMillis());
            return link.awaitReadable(millis);
        } catch (IOException e) {
            return true;
        }
    }

    // ---- frame reading ----

    private int frameOffset;
    private int frameLength;

    /**
     * Reads one frame; its payload is at {@code in.array()[frameOffset..+frameLength)}. An
     * {@link Frames#END} frame ends the channel: it is consumed and the end is reported.
     */
    private byte readFrame() {
        byte kind = readRawFrame();
        if (kind == Frames.END) {
            finished = true;
            ended = true;
            throw peerGone(null, null);
        }
        if (kind == Frames.DATA || kind == Frames.STREAM || kind == Frames.FAILURE) {
            received++;
        }
        return kind;
    }

    private byte readRawFrame() {
        if (finished) {
            throw peerGone(null, null);
        }
        if (!fill(Frames.HEADER_BYTES)) {
            if (in.hasRemaining()) {
                throw peerGone("in the middle of a frame header", null);
            }
            throw peerGone(null, null);
        }
        int length = in.getInt(in.position());
        byte kind = in.get(in.position() + 4);
        String problem = Frames.checkHeader(length, kind);
        if (problem != null) {
            throw protocolError(problem);
        }
        in.position(in.position() + Frames.HEADER_BYTES);
        if (!fill(length)) {
            throw peerGone("after " + in.remaining() + " of " + length + " bytes of a frame", null);
        }
        frameOffset = in.arrayOffset() + in.position();
        frameLength = length;
        in.position(in.position() + length);
        return kind;
    }

    private byte[] copyFrame() {
        return Arrays.copyOfRange(in.array(), frameOffset, frameOffset + frameLength);
    }

    /**
     * Ensures {@code need} bytes are buffered; false at end of stream. The buffer doubles only
     * when it is full, so a peer that announces a huge frame and sends little costs little.
     */
    private boolean fill(int need) {
        while (in.remaining() < need) {
            if (in.remaining() == in.capacity()) {
                growFull();
            } else if (in.remaining() == 0 && in.capacity() > KEEP_BUFFER_BYTES) {
                in = ByteBuffer.allocate(BUFFER_BYTES).flip();
            }
            in.compact();
            int n;
            try {
                n = link.read(in);
            } catch (IOException e) {
                in.flip();
                throw peerGone("while receiving", e);
            }
            in.flip();
            if (n < 0) {
                ended = true;
                return false;
            }
        }
        return true;
    }

    /** What {@link #pollInput()} found. */
    public enum Input {
        /** Nothing complete yet. */
        NONE,
        /** A whole message is buffered. */
        MESSAGE,
        /** The peer's task returned normally and nothing more will come. */
        FINISHED,
        /** The peer went away without saying it had finished. */
        ENDED
    }

    /**
     * Takes in what the link holds without waiting (call it when a poller reports the link
     * ready), and says what is now buffered. A pending end is reported only once every
     * message before it has been received, so no message is lost to a hang-up.
     *
     * @return what is buffered
     */
    public Input pollInput() {
        if (!pending.isEmpty()) {
            return Input.MESSAGE;
        }
        if (!hasBufferedInput() && !ended && broken == null && open) {
            try {
                if (link.awaitReadable(0)) {
                    if (in.remaining() == in.capacity()) {
                        growFull();
                    }
                    in.compact();
                    int n;
                    try {
                        n = in.hasRemaining() ? link.read(in) : 0;
                    } finally {
                        in.flip();
                    }
                    if (n < 0) {
                        ended = true;
                    }
                }
            } catch (IOException e) {
                ended = true;
            }
        }
        if (hasBufferedInput()) {
            if (in.remaining() >= Frames.HEADER_BYTES && in.get(in.position() + 4) == Frames.END) {
                in.position(in.position() + Frames.HEADER_BYTES);
                finished = true;
                ended = true;
                return Input.FINISHED;
            }
            return Input.MESSAGE;
        }
        if (finished) {
            return Input.FINISHED;
        }
        if (ended || broken != null || !open) {
            return Input.ENDED;
        }
        return Input.NONE;
    }

    /** @return how many messages (data, stream or failure frames) have been received */
    public long messagesReceived() {
        return received;
    }

    /** @return whether the peer said its task returned normally */
    public boolean peerFinished() {
        return finished;
    }

    /** Doubles a full buffer, up to the largest frame. */
    private void growFull() {
        int target = (int) Math.min(2L * in.capacity(), (long) Frames.maxFrameBytes() + Frames.HEADER_BYTES);
        if (target <= in.capacity()) {
            throw protocolError("frame does not fit in " + in.capacity() + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(target);
        bigger.put(in);
        bigger.flip();
        in = bigger;
    }

    // ---- failures ----

    private void checkUsable() {
        if (broken != null) {
            throw new ChannelException(description + " is broken: " + broken);
        }
        if (!open) {
            throw new ChannelException(description + " is closed");
        }
    }

    private ChannelException protocolError(String problem) {
        broken = problem;
        ChannelException e = new ChannelException("protocol error on the " + description + ": " + problem);
        closeLink();
        return e;
    }

    private ChannelException peerGone(String when, IOException cause) {
        ended = true;
        if (!open) {
            return new ChannelException(description + " is closed", cause);
        }
        if (process == null) {
            return new ChannelException("the parent process closed the channel"
                    + (when == null ? "" : " " + when), cause);
        }
        OptionalInt status = OptionalInt.empty();
        try {
            status = process.waitFor(EXIT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String detail = when != null ? when
                : finished ? "after its task returned"
                : received == 0 ? "without sending" : "before sending again";
        if (status.isPresent()) {
            ChildProcessException e = new ChildProcessException(process.pid(), status.getAsInt(),
                    "(" + detail + ")");
            if (cause != null) {
                e.initCause(cause);
            }
            return e;
        }
        return new ChildProcessException(process.pid(), "child process " + process.pid()
                + " closed its channel (" + detail + ") and is still running", cause);
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        if (process == null) {
            return OptionalInt.empty();
        }
        try {
            return process.waitFor(timeout == null ? -1 : Math.max(0, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Kills the child (if this is the parent's end) and closes the channel. */
    public void terminate() {
        if (process != null) {
            process.kill();
        }
        close();
    }

    @Override
    public void close() {
        open = false;
        closeLink();
    }

    private void closeLink() {
        link.close();
    }

    @Override
    public String toString() {
        return description;
    }
}

package io.pprocess.internal.channel;

import io.pprocess.internal.message.RemoteFailure;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import io.pprocess.internal.Setting;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelInterruptedException;
import io.pprocess.ChannelTimeoutException;
import io.pprocess.ChildProcessException;
import io.pprocess.PProcessException;
import io.pprocess.CodecException;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Channel} of both ends, speaking the {@link Frames} protocol over a {@link Link}.
 *
 * <p>Input is buffered: one read may bring several frames, so {@link #hasBufferedInput()}
 * must be checked before waiting on the link. Frames that arrive while a {@code send} waits
 * for its acknowledgement (the peer sending at the same time) are acknowledged and kept for
 * the next {@link #receive()}, so two ends that send at once do not deadlock.
 *
 * <p><b>Threads.</b> Frames are written whole under a lock, so any number of threads may send
 * without acknowledgement while one receives. What reads — {@code receive}, the wait of an
 * acknowledged {@code send}, {@code ready}, {@link #pollInput()} — is one thread's at a time: a
 * second thread that tries while another reads gets an {@link IllegalStateException} at once,
 * and nothing is read or written for it.
 *
 * <p><b>Waits.</b> Every wait for input is one the link ends on an interrupt, on a time limit,
 * or on {@link #close()} from another thread, and a frame is consumed only once it is whole,
 * so an interrupted or timed-out {@code receive} leaves the channel as it was.
 */
public final class FrameChannel implements Channel {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A buffer grown for large frames is kept up to this size, so a stream of them does not regrow it. */
    private static final int KEEP_BUFFER_BYTES = 16 << 20;
    private static final long EXIT_GRACE_MILLIS = Setting.EXIT_GRACE_MILLIS.longValue(2000, 0);
    private static final byte[] ACK_FRAME = Frames.emptyFrame(Frames.ACK);
    private static final byte[] END_FRAME = Frames.emptyFrame(Frames.END);
    private static final byte[] WITHDRAWN_FRAME = Frames.emptyFrame(Frames.WITHDRAWN);
    /** Raw payloads up to this size are sent with their header in one write. */
    private static final int SMALL_RAW_BYTES = 64 * 1024;
    /** Raw payloads above this size are read straight into their array, not the input buffer. */
    private static final int DIRECT_RAW_BYTES = 256 * 1024;

    private final Link link;
    private final ChildProcess process;
    private final String description;
    private ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES).flip();
    private final Output out = new Output(256, Frames.maxFrameBytes() + Frames.HEADER_BYTES);
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Object writeLock = new Object();
    private final AtomicReference<Thread> reader = new AtomicReference<>();
    private volatile boolean open = true;
    private volatile String broken;
    private volatile boolean ended;
    private volatile boolean finished;
    private long received;
    /** Acknowledgements of sends whose wait was interrupted: passed over when they come. */
    private int acksOwed;
    /** The end of the current {@code receive(Duration)}, or 0 for no limit. */
    private long deadline;
    private Duration limit;
    /** A raw payload being read straight into its array, when a wait stopped in its middle. */
    private RawReceive partial;
    /** The value of the last raw frame read. */
    private Object rawValue;
    /** A direct buffer for raw sends, made on first use. */
    private ByteBuffer scratch;
    private volatile boolean leaveRunning;
    /** Inside {@code receive}: only there does an end throw {@link #endReason}. */
    private boolean receiving;
    /** What receiving on this channel throws once it has ended, in place of the child's end. */
    private volatile PProcessException endReason;
    private boolean expectWithdrawals;

    /** A received frame kept for a later {@code receive}: its payload, or a raw value. */
    private record Pending(byte kind, byte[] payload, Object value) {
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

    /**
     * Makes {@link #close()} leave the child running: for a child that outlives its channel (a
     * persistent process once it listens).
     */
    public void leaveRunning() {
        leaveRunning = true;
    }

    @Override
    public void send(Object value) {
        Thread token = enter("send");
        try {
            writeValue(value, true);
            awaitAck();
        } finally {
            exit(token);
        }
    }

    /**
     * Sends a value and waits for its acknowledgement in slices of {@code sliceMillis}; after a
     * slice without it, asks {@code giveUp} whether to stop waiting.
     *
     * @param value the value
     * @param sliceMillis how long each wait lasts
     * @param giveUp says whether to stop waiting
     * @return whether the value was acknowledged; if not, a late acknowledgement is passed over
     */
    public boolean sendAwaitingAck(Object value, long sliceMillis, java.util.function.BooleanSupplier giveUp) {
        Thread token = enter("send");
        try {
            writeValue(value, true);
            while (true) {
                deadline = System.nanoTime() + sliceMillis * 1_000_000L;
                limit = Duration.ofMillis(sliceMillis);
                try {
                    awaitAck();
                    return true;
                } catch (ChannelTimeoutException e) {
                    if (giveUp.getAsBoolean()) {
                        acksOwed++;
                        return false;
                    }
                } finally {
                    deadline = 0;
                    limit = null;
                }
            }
        } finally {
            exit(token);
        }
    }

    /**
     * Tells the peer that the acknowledged message it has not acknowledged went elsewhere, and
     * closes the channel.
     */
    public void withdraw() {
        try {
            writeBytes(WITHDRAWN_FRAME, "while withdrawing a message");
        } catch (ChannelException e) {
            // The peer is gone anyway.
        }
        close();
    }

    /**
     * Makes this end check, after each acknowledged message, whether the peer withdrew it (the
     * end of a connection to a persistent process).
     */
    public void expectWithdrawals() {
        expectWithdrawals = true;
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

    /**
     * Encodes a {@link Frames#FAILURE} frame, as {@code send} of an exception would send it.
     *
     * @param failure the exception
     * @return the whole frame
     * @throws io.pprocess.CodecException if it cannot be serialised
     */
    public static byte[] encodeFailure(Throwable failure) {
        return encodeFrame(Frames.FAILURE, RemoteFailure.of(failure, ProcessHandle.current().pid()), "failure");
    }

    private static byte[] encodeFrame(byte kind, Object value, String what) {
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
        Thread token = enter("prime");
        try {
            writeBytes(frame, "while preparing it");
            try {
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
        } finally {
            exit(token);
        }
    }

    /**
     * Sends a task frame made by {@link #encodeTask}: the first message to a child, not
     * acknowledged.
     *
     * @param frame the frame
     */
    public void sendTaskFrame(byte[] frame) {
        checkUsable();
        writeBytes(frame, "while sending its task");
    }

    /** Tells the parent that the task returned normally; the child's last frame. */
    public void sendEnd() {
        checkUsable();
        writeBytes(END_FRAME, "while ending");
    }

    private void writeBytes(byte[] frame, String when) {
        synchronized (writeLock) {
            try {
                link.write(ByteBuffer.wrap(frame));
            } catch (IOException e) {
                throw peerGone(when, e);
            }
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
            link.write(ByteBuffer.wrap(buffer, 0, total));
        } catch (IOException e) {
            throw peerGone("while sending", e);
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
                link.write(b);
                return;
            }
            b.flip();
            link.write(b);
            if (value instanceof byte[]) {
                link.write(ByteBuffer.wrap((byte[]) value));
            } else if (value instanceof ByteBuffer) {
                link.write(((ByteBuffer) value).duplicate());
            } else {
                int n = RawValues.elements(value);
                int step = SMALL_RAW_BYTES / width;
                for (int at = 0; at < n; at += step) {
                    b.clear();
                    int count = Math.min(step, n - at);
                    RawValues.put(value, at, count, b);
                    b.flip();
                    link.write(b);
                }
            }
        } catch (IOException e) {
            throw peerGone("while sending", e);
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

    private void writeAck() {
        writeBytes(ACK_FRAME, "while acknowledging");
    }

    private void awaitAck() {
        while (true) {
            byte kind;
            try {
                kind = readFrame();
            } catch (ChannelInterruptedException e) {
                acksOwed++;
                throw new ChannelInterruptedException("interrupted while waiting for the acknowledgement on the "
                        + description + "; the value was sent and the channel stays usable", e.getCause());
            }
            switch (kind) {
                case Frames.ACK:
                    return;
                case Frames.DATA:
                case Frames.FAILURE:
                    pending.add(new Pending(kind, copyFrame(), null));
                    writeAck();
                    break;
                case Frames.STREAM:
                    pending.add(new Pending(kind, copyFrame(), null));
                    break;
                case Frames.RAW:
                    pending.add(new Pending(kind, null, rawValue));
                    rawValue = null;
                    writeAck();
                    break;
                case Frames.RAW_STREAM:
                    pending.add(new Pending(kind, null, rawValue));
                    rawValue = null;
                    break;
                default:
                    throw protocolError("expected an acknowledgement but received " + Frames.kindName(kind));
            }
        }
    }

    @Override
    public <T> T receive() {
        checkUsable();
        Thread token = enter("receive");
        receiving = true;
        try {
            return receiveNext();
        } finally {
            receiving = false;
            exit(token);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The limit covers the whole message: a message that has begun to arrive but is not
     * whole in time is kept, and the next {@code receive} continues with it.
     */
    @Override
    public <T> T receive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkUsable();
        Thread token = enter("receive");
        try {
            long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
            long end = System.nanoTime() + nanos;
            deadline = end == 0 ? 1 : end;
            limit = timeout;
            receiving = true;
            return receiveNext();
        } finally {
            receiving = false;
            deadline = 0;
            limit = null;
            exit(token);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T receiveNext() {
        Pending p = pending.poll();
        if (p != null) {
            if (p.payload == null) {
                return (T) p.value;
            }
            return (T) interpret(p.kind, p.payload, 0, p.payload.length);
        }
        byte kind = readFrame();
        switch (kind) {
            case Frames.DATA:
            case Frames.FAILURE:
                checkWithdrawn();
                writeAck();
                return (T) interpret(kind, in.array(), frameOffset, frameLength);
            case Frames.STREAM:
                return (T) interpret(kind, in.array(), frameOffset, frameLength);
            case Frames.RAW:
                checkWithdrawn();
                writeAck();
                return (T) takeRaw();
            case Frames.RAW_STREAM:
                return (T) takeRaw();
            default:
                throw protocolError("expected a message but received " + Frames.kindName(kind));
        }
    }

    /**
     * On a connection to a persistent process, looks (without waiting) whether the message just
     * read was withdrawn: a {@link Frames#WITHDRAWN} frame right after it.
     */
    private void checkWithdrawn() {
        if (!expectWithdrawals) {
            return;
        }
        int offset = frameOffset;
        int length = frameLength;
        if (in.remaining() < Frames.HEADER_BYTES) {
            // Only into the room after the buffered bytes: the payload just read must stay intact.
            try {
                if (in.limit() < in.capacity()) {
                    ByteBuffer free = in.duplicate();
                    free.position(in.limit()).limit(in.capacity());
                    if (link.read(free, 0) > 0) {
                        in.limit(free.position());
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
        if (in.remaining() >= Frames.HEADER_BYTES && Frames.kind(in, in.position()) == Frames.WITHDRAWN) {
            rawValue = null;
            throw withdrawn();
        }
        frameOffset = offset;
        frameLength = length;
    }

    private ChannelException withdrawn() {
        open = false;
        closeLink();
        return new ChannelException("the persistent process " + pid() + " withdrew its message from this"
                + " connection: it was not acknowledged within pprocess.handshakeMillis while another peer"
                + " was waiting, and went to that peer");
    }

    private Object takeRaw() {
        Object value = rawValue;
        rawValue = null;
        return value;
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
        if (partial != null || in.remaining() < Frames.HEADER_BYTES) {
            return false;
        }
        int length = Frames.length(in, in.position());
        if (Frames.checkHeader(length, Frames.kind(in, in.position())) != null) {
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
        return !pending.isEmpty() || in.hasRemaining() || partial != null;
    }

    @Override
    public boolean ready(Duration timeout) {
        checkUsable();
        if (hasBufferedInput() || ended || finished) {
            return true;
        }
        Thread token = enter("ready");
        try {
            long millis = timeout == null ? -1 : Math.max(0, timeout.toMillis());
            if (millis != 0 && Thread.currentThread().isInterrupted()) {
                throw interrupted(null, "waiting for input");
            }
            boolean readable = link.awaitReadable(millis);
            if (!readable && millis != 0 && Thread.currentThread().isInterrupted()) {
                throw interrupted(null, "waiting for input");
            }
            return readable;
        } catch (IOException e) {
            return true;
        } finally {
            exit(token);
        }
    }

    // ---- threads ----

    /**
     * Makes the calling thread this end's reader for one operation.
     *
     * @return the thread to pass to {@link #exit}, or {@code null} if it already was the reader
     * @throws IllegalStateException if another thread is reading
     */
    private Thread enter(String operation) {
        Thread me = Thread.currentThread();
        while (true) {
            if (reader.compareAndSet(null, me)) {
                return me;
            }
            Thread other = reader.get();
            if (other == me) {
                return null;
            }
            if (other != null) {
                throw new IllegalStateException(operation + " on the " + description + " from thread \""
                        + me.getName() + "\" while thread \"" + other.getName() + "\" is reading it: one"
                        + " thread at a time may receive (or wait for an acknowledgement) on a channel;"
                        + " sendUnacknowledged may come from any thread");
            }
        }
    }

    private void exit(Thread token) {
        if (token != null) {
            reader.set(null);
        }
    }

    // ---- frame reading ----

    private int frameOffset;
    private int frameLength;

    /**
     * Reads one frame; its payload is at {@code in.array()[frameOffset..+frameLength)}, or, for
     * a raw frame, in {@link #rawValue}. An {@link Frames#END} frame ends the channel: it is
     * consumed and the end is reported. Acknowledgements owed to interrupted sends are passed
     * over.
     */
    private byte readFrame() {
        while (true) {
            byte kind = readRawFrame();
            if (kind == Frames.END) {
                finished = true;
                ended = true;
                throw ended(null);
            }
            if (kind == Frames.WITHDRAWN) {
                throw withdrawn();
            }
            if (kind == Frames.ACK && acksOwed > 0) {
                acksOwed--;
                continue;
            }
            if (kind == Frames.DATA || kind == Frames.STREAM || kind == Frames.FAILURE
                    || kind == Frames.RAW || kind == Frames.RAW_STREAM) {
                received++;
            }
            return kind;
        }
    }

    /**
     * Reads one frame. Nothing is consumed until the frame is whole, except that a large raw
     * payload is read straight into its array ({@link #partial}), whose progress is kept if a
     * wait stops in its middle.
     */
    private byte readRawFrame() {
        if (partial != null) {
            return finishRaw();
        }
        if (finished) {
            throw ended(null);
        }
        if (!fill(Frames.HEADER_BYTES)) {
            if (in.hasRemaining()) {
                throw ended("in the middle of a frame header");
            }
            throw ended(null);
        }
        int length = Frames.length(in, in.position());
        byte kind = Frames.kind(in, in.position());
        String problem = Frames.checkHeader(length, kind);
        if (problem != null) {
            throw protocolError(problem);
        }
        boolean raw = kind == Frames.RAW || kind == Frames.RAW_STREAM;
        if (raw && length == 0) {
            throw protocolError(Frames.kindName(kind) + " frame without a type");
        }
        if (raw && length > DIRECT_RAW_BYTES && in.remaining() < Frames.HEADER_BYTES + length) {
            if (!fill(Frames.HEADER_BYTES + 1)) {
                throw ended("in the middle of a frame");
            }
            byte type = in.get(in.position() + Frames.PAYLOAD_OFFSET);
            Object value = RawValues.allocate(type, length - 1);
            if (value == null) {
                throw protocolError(String.format("raw frame of type 0x%02x with %d bytes", type & 0xff, length - 1));
            }
            in.position(in.position() + Frames.HEADER_BYTES + 1);
            partial = new RawReceive(kind, value, length - 1);
            partial.take(in);
            return finishRaw();
        }
        if (!fill(Frames.HEADER_BYTES + length)) {
            throw ended("after " + (in.remaining() - Frames.HEADER_BYTES) + " of " + length
                    + " bytes of a frame");
        }
        in.position(in.position() + Frames.HEADER_BYTES);
        frameOffset = in.arrayOffset() + in.position();
        frameLength = length;
        in.position(in.position() + length);
        if (raw) {
            rawValue = RawValues.decode(in.array(), frameOffset, frameLength);
            if (rawValue == null) {
                throw protocolError("malformed " + Frames.kindName(kind) + " frame of " + length + " bytes");
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
                ended = true;
                throw peerGone("after " + r.bytesDone() + " of " + r.total + " bytes of a frame", null);
            }
        }
        partial = null;
        rawValue = r.value();
        return r.kind;
    }

    private byte[] copyFrame() {
        return Arrays.copyOfRange(in.array(), frameOffset, frameOffset + frameLength);
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
                ended = true;
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

    /**
     * Reads what the link has, waiting as the current operation allows: without limit, or up to
     * the deadline of {@code receive(Duration)}.
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
            n = link.read(dst, wait);
        } catch (ClosedByInterruptException e) {
            open = false;
            closeLink();
            throw new ChannelInterruptedException("interrupted while receiving on the " + description
                    + "; the interrupted read closed the channel", e);
        } catch (InterruptedIOException e) {
            throw interrupted(e, "receiving");
        } catch (IOException e) {
            throw peerGone("while receiving", e);
        }
        if (n == 0) {
            throw new ChannelTimeoutException("no whole message on the " + description + " within " + limit
                    + "; the channel stays usable");
        }
        return n;
    }

    private ChannelInterruptedException interrupted(Throwable cause, String doing) {
        return new ChannelInterruptedException("interrupted while " + doing + " on the " + description
                + "; the channel stays usable", cause);
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
        Thread token = enter("pollInput");
        try {
            if (!hasBufferedInput() && !ended && broken == null && open && partial == null) {
                try {
                    makeRoom();
                    ByteBuffer free = in.duplicate();
                    free.position(in.limit()).limit(in.capacity());
                    int n = link.read(free, 0);
                    if (n < 0) {
                        ended = true;
                    } else {
                        in.limit(free.position());
                    }
                } catch (IOException e) {
                    ended = true;
                }
            }
            if (partial != null) {
                return Input.MESSAGE;
            }
            if (hasBufferedInput()) {
                if (in.remaining() >= Frames.HEADER_BYTES && Frames.kind(in, in.position()) == Frames.END) {
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
        } finally {
            exit(token);
        }
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

    /**
     * The end met while receiving: the reason given to {@link #killFor} or {@link #failWith},
     * if any (its cause the child's end), else the child's end itself.
     */
    private PProcessException ended(String when) {
        ChannelException end = peerGone(when, null);
        return receiving ? withReason(end) : end;
    }

    private PProcessException withReason(ChannelException end) {
        PProcessException reason = endReason;
        if (reason == null) {
            return end;
        }
        if (reason.getCause() == null) {
            try {
                reason.initCause(end);
            } catch (IllegalStateException e) {
                // Its cause was fixed at construction.
            }
        }
        return reason;
    }

    /**
     * Kills the child for a reason (a time or memory limit): once the channel has ended,
     * {@code receive} throws {@code reason}, its cause the child's end, instead of the
     * {@code ChildProcessException}. Sending still fails with a {@code ChannelException}.
     *
     * @param reason what receiving will throw
     */
    public void killFor(PProcessException reason) {
        endReason = reason;
        if (process != null) {
            process.kill();
        }
    }

    /**
     * Makes {@code receive} on this channel, once it has ended, throw {@code reason} (its
     * cause the child's end).
     *
     * @param reason what receiving will throw
     */
    public void failWith(PProcessException reason) {
        endReason = reason;
    }

    /**
     * @return what {@code receive} throws on this ended channel (the child's end, waiting for
     *     its exit status, or the reason given to {@link #killFor})
     */
    public PProcessException endCause() {
        return withReason(peerGone(null, null));
    }

    private ChannelException peerGone(String when, IOException cause) {
        if (!open) {
            return new ChannelException(description + " is closed", cause);
        }
        ended = true;
        if (process == null) {
            return new ChannelException("the parent process closed the channel"
                    + (when == null ? "" : " " + when), cause);
        }
        OptionalInt status = OptionalInt.empty();
        boolean interrupted = Thread.interrupted();
        try {
            status = process.waitFor(EXIT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

    /**
     * {@inheritDoc}
     *
     * <p>On the parent's side, a child that has not exited
     * {@code pprocess.exitGraceMillis} (2 s) after the close is killed.
     */
    @Override
    public void close() {
        boolean wasOpen = open;
        open = false;
        closeLink();
        if (wasOpen && process != null && !leaveRunning) {
            ChildReaper.endAfter(process, EXIT_GRACE_MILLIS);
        }
    }

    private void closeLink() {
        link.close();
    }

    @Override
    public String toString() {
        return description;
    }
}

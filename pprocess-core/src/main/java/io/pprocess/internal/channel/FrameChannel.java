package io.pprocess.internal.channel;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelTimeoutException;
import io.pprocess.PProcessException;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.time.Duration;
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
 *
 * <p>This class is the channel's API and its thread rule; the work is done by its parts:
 * {@link FrameWriter} (encoding and writing frames), {@link FrameReader} (the input buffer and
 * frame parsing), {@link Acknowledgements} (the acknowledgement protocol and messages kept
 * during a send), {@link TaskHandOff} (a child's task and its end) and {@link ChannelState}
 * (what happened to the channel and the exception each state means).
 */
public final class FrameChannel implements Channel {
    private final ChannelState state;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Acknowledgements acks;
    private final TaskHandOff handOff;
    private final AtomicReference<Thread> readingThread = new AtomicReference<>();
    private volatile boolean leaveRunning;

    /**
     * Creates a channel end.
     *
     * @param link the link
     * @param process the child, on the parent's side; {@code null} inside the child
     */
    public FrameChannel(Link link, ChildProcess process) {
        state = new ChannelState(link, process);
        reader = new FrameReader(state);
        writer = new FrameWriter(state);
        acks = new Acknowledgements(state, reader, writer);
        handOff = new TaskHandOff(state, reader, writer, acks);
    }

    @Override
    public long pid() {
        return state.pid();
    }

    /** @return the child process, or {@code null} inside the child */
    public ChildProcess process() {
        return state.process;
    }

    /** @return the link */
    public Link link() {
        return state.link;
    }

    @Override
    public boolean isOpen() {
        return state.open && state.broken == null;
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
        sendAcknowledged(value, true);
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
            writer.writeValue(value, true);
            while (true) {
                reader.limit(System.nanoTime() + sliceMillis * 1_000_000L, Duration.ofMillis(sliceMillis));
                try {
                    acks.awaitAck();
                    return true;
                } catch (ChannelTimeoutException e) {
                    if (giveUp.getAsBoolean()) {
                        acks.owe();
                        return false;
                    }
                } finally {
                    reader.clearLimit();
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
            writer.writeBytes(FrameWriter.WITHDRAWN_FRAME, "while withdrawing a message");
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
        acks.expectWithdrawals();
    }

    @Override
    public void sendUnacknowledged(Object value) {
        writer.writeValue(value, false);
    }

    /**
     * Sends a value that the peer acknowledges as {@link #send} does, without waiting for the
     * acknowledgement: later reads take it in and pass over it, and
     * {@link #acknowledgementsOwed()} tells whether it has come — whether the peer has received
     * the value. A channel's reader only (see the class comment).
     *
     * @param value the value
     * @throws io.pprocess.CodecException if it cannot be serialised (nothing is sent)
     * @throws ChannelException if the peer is gone
     */
    public void sendAcknowledgedLater(Object value) {
        sendAcknowledged(value, false);
    }

    /** Sends a value the peer acknowledges, and waits for the acknowledgement or owes it. */
    private void sendAcknowledged(Object value, boolean await) {
        Thread token = enter("send");
        try {
            writer.writeValue(value, true);
            if (await) {
                acks.awaitAck();
            } else {
                acks.owe();
            }
        } finally {
            exit(token);
        }
    }

    /**
     * Tells how many acknowledgements of values sent by {@link #sendAcknowledgedLater} (or
     * given up on by {@link #sendAwaitingAck}) have not come. Once a {@code receive} has
     * reported the peer's end, every acknowledgement it sent before has been taken in.
     *
     * @return the count
     */
    public int acknowledgementsOwed() {
        return acks.owed();
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
        return TaskHandOff.encodeTask(invocation);
    }

    /**
     * Encodes a {@link Frames#PRIME} frame for {@link #prime}.
     *
     * @param shapes the kinds of task to prepare
     * @return the whole frame
     * @throws io.pprocess.CodecException if it cannot be serialised
     */
    public static byte[] encodePrime(java.util.List<?> shapes) {
        return TaskHandOff.encodePrime(shapes);
    }

    /**
     * Encodes a {@link Frames#FAILURE} frame, as {@code send} of an exception would send it.
     *
     * @param failure the exception
     * @return the whole frame
     * @throws io.pprocess.CodecException if it cannot be serialised
     */
    public static byte[] encodeFailure(Throwable failure) {
        return TaskHandOff.encodeFailure(failure);
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
        state.checkUsable();
        Thread token = enter("prime");
        try {
            return handOff.prime(frame, timeoutMillis, this::hasBufferedInput);
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
        handOff.sendTaskFrame(frame);
    }

    /** Tells the parent that the task returned normally; the child's last frame. */
    public void sendEnd() {
        handOff.sendEnd();
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
        return handOff.receiveTask(prepare);
    }

    @Override
    public <T> T receive() {
        state.checkUsable();
        Thread token = enter("receive");
        state.receiving = true;
        try {
            return receiveNext();
        } finally {
            state.receiving = false;
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
        state.checkUsable();
        Thread token = enter("receive");
        try {
            long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
            long end = System.nanoTime() + nanos;
            reader.limit(end == 0 ? 1 : end, timeout);
            state.receiving = true;
            return receiveNext();
        } finally {
            state.receiving = false;
            reader.clearLimit();
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
        Acknowledgements.Pending p = acks.nextPending();
        if (p != null) {
            if (p.payload() == null) {
                return (T) p.value();
            }
            return (T) interpret(p.kind(), p.payload(), 0, p.payload().length);
        }
        byte kind = acks.readFrame();
        switch (kind) {
            case Frames.DATA:
            case Frames.FAILURE:
                acks.acknowledge();
                return (T) interpret(kind, reader.decodeFrame());
            case Frames.STREAM:
                return (T) interpret(kind, reader.decodeFrame());
            case Frames.RAW:
                acks.acknowledge();
                return (T) reader.takeRaw();
            case Frames.RAW_STREAM:
                return (T) reader.takeRaw();
            default:
                throw state.protocolError("expected a message but received " + Frames.kindName(kind));
        }
    }

    private Object interpret(byte kind, byte[] buffer, int offset, int length) {
        return interpret(kind, reader.decode(buffer, offset, length));
    }

    private Object interpret(byte kind, Object value) {
        if (kind == Frames.FAILURE) {
            if (value instanceof RemoteFailure) {
                throw ((RemoteFailure) value).toException();
            }
            throw state.protocolError("failure frame did not hold a failure");
        }
        return value;
    }

    /**
     * Tells whether a message is buffered; an acknowledgement owed to
     * {@link #sendAcknowledgedLater} is not one (one at the head of the buffer is taken in).
     *
     * @return whether a whole frame or more is already buffered, or a message is pending
     */
    public boolean hasBufferedInput() {
        if (acks.hasPending()) {
            return true;
        }
        acks.skipOwedBuffered();
        return reader.hasWholeFrame();
    }

    /**
     * Tells whether any input is buffered: a partial frame counts, since reading it then waits
     * only for the rest of a frame already started.
     *
     * @return whether bytes or messages are waiting in this end
     */
    public boolean hasAnyBufferedInput() {
        return acks.hasPending() || reader.hasAnyBytes();
    }

    @Override
    public boolean ready(Duration timeout) {
        state.checkUsable();
        if (hasBufferedInput() || state.ended || state.finished) {
            return true;
        }
        Thread token = enter("ready");
        try {
            long millis = timeout == null ? -1 : Math.max(0, timeout.toMillis());
            if (millis != 0 && Thread.currentThread().isInterrupted()) {
                throw state.interrupted(null, "waiting for input");
            }
            boolean readable = state.link.awaitReadable(millis);
            if (!readable && millis != 0 && Thread.currentThread().isInterrupted()) {
                throw state.interrupted(null, "waiting for input");
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
            if (readingThread.compareAndSet(null, me)) {
                return me;
            }
            Thread other = readingThread.get();
            if (other == me) {
                return null;
            }
            if (other != null) {
                throw new IllegalStateException(operation + " on the " + state.description + " from thread \""
                        + me.getName() + "\" while thread \"" + other.getName() + "\" is reading it: one"
                        + " thread at a time may receive (or wait for an acknowledgement) on a channel;"
                        + " sendUnacknowledged may come from any thread");
            }
        }
    }

    private void exit(Thread token) {
        if (token != null) {
            readingThread.set(null);
        }
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
        if (acks.hasPending()) {
            return Input.MESSAGE;
        }
        Thread token = enter("pollInput");
        try {
            if (!hasBufferedInput() && !state.ended && state.broken == null && state.open && !reader.hasPartial()) {
                reader.readAvailable();
                acks.skipOwedBuffered();
            }
            if (reader.hasPartial()) {
                return Input.MESSAGE;
            }
            if (hasBufferedInput()) {
                if (reader.takeEnd()) {
                    state.finished = true;
                    state.ended = true;
                    return Input.FINISHED;
                }
                return Input.MESSAGE;
            }
            if (state.finished) {
                return Input.FINISHED;
            }
            if (state.ended || state.broken != null || !state.open) {
                return Input.ENDED;
            }
            return Input.NONE;
        } finally {
            exit(token);
        }
    }

    /** @return how many messages (data, stream or failure frames) have been received */
    public long messagesReceived() {
        return state.received;
    }

    /** @return whether the peer said its task returned normally */
    public boolean peerFinished() {
        return state.finished;
    }

    /**
     * Kills the child for a reason (a time or memory limit): once the channel has ended,
     * {@code receive} throws {@code reason}, its cause the child's end, instead of the
     * {@code ChildProcessException}. Sending still fails with a {@code ChannelException}.
     *
     * @param reason what receiving will throw
     */
    public void killFor(PProcessException reason) {
        state.endReason = reason;
        if (state.process != null) {
            state.process.kill();
        }
    }

    /**
     * Makes {@code receive} on this channel, once it has ended, throw {@code reason} (its
     * cause the child's end).
     *
     * @param reason what receiving will throw
     */
    public void failWith(PProcessException reason) {
        state.endReason = reason;
    }

    /**
     * @return what {@code receive} throws on this ended channel (the child's end, waiting for
     *     its exit status, or the reason given to {@link #killFor})
     */
    public PProcessException endCause() {
        return state.withReason(state.peerGone(null, null));
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        if (state.process == null) {
            return OptionalInt.empty();
        }
        try {
            return state.process.waitFor(timeout == null ? -1 : Math.max(0, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Kills the child (if this is the parent's end) and closes the channel. */
    public void terminate() {
        if (state.process != null) {
            state.process.kill();
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
        boolean wasOpen = state.open;
        state.open = false;
        state.link.close();
        if (wasOpen && state.process != null) {
            if (leaveRunning) {
                state.process.released();
            } else {
                ChildReaper.endAfter(state.process, ChannelState.EXIT_GRACE_MILLIS);
            }
        }
    }

    @Override
    public String toString() {
        return state.description;
    }
}

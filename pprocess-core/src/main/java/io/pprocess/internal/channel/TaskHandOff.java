package io.pprocess.internal.channel;

import io.pprocess.CodecException;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The hand-off of a task to a child over a {@link FrameChannel}: the parent may first tell a
 * waiting child what kinds of task to prepare ({@link Frames#PRIME}, acknowledged), then sends
 * the task itself ({@link Frames#TASK}, not acknowledged, encoded before any child is started);
 * the child ends with {@link Frames#END} when the task returned normally.
 */
final class TaskHandOff {
    private final ChannelState state;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Acknowledgements acks;

    TaskHandOff(ChannelState state, FrameReader reader, FrameWriter writer, Acknowledgements acks) {
        this.state = state;
        this.reader = reader;
        this.writer = writer;
        this.acks = acks;
    }

    static byte[] encodeTask(Object invocation) {
        return FrameWriter.encodeFrame(Frames.TASK, invocation, "task");
    }

    static byte[] encodePrime(List<?> shapes) {
        return FrameWriter.encodeFrame(Frames.PRIME, shapes, "announcement");
    }

    static byte[] encodeFailure(Throwable failure) {
        return FrameWriter.encodeFrame(Frames.FAILURE, RemoteFailure.of(failure, ProcessHandle.current().pid()),
                "failure");
    }

    /** The parent's side of {@link Frames#PRIME}, by the channel's reader; see {@link FrameChannel#prime}. */
    boolean prime(byte[] frame, long timeoutMillis, BooleanSupplier buffered) {
        writer.writeBytes(frame, "while preparing it");
        try {
            if (!buffered.getAsBoolean() && !state.link.awaitReadable(timeoutMillis)) {
                return false;
            }
        } catch (IOException e) {
            throw state.peerGone("while preparing it", e);
        }
        byte kind = acks.readFrame();
        if (kind != Frames.ACK) {
            throw state.protocolError("expected an acknowledgement of PRIME but received " + Frames.kindName(kind));
        }
        return true;
    }

    void sendTaskFrame(byte[] frame) {
        state.checkUsable();
        writer.writeBytes(frame, "while sending its task");
    }

    void sendEnd() {
        state.checkUsable();
        writer.writeBytes(FrameWriter.END_FRAME, "while ending");
    }

    /** The child's side: see {@link FrameChannel#receiveTask}. */
    Object receiveTask(Consumer<Object> prepare) {
        state.checkUsable();
        while (true) {
            byte kind = acks.readFrame();
            if (kind == Frames.TASK) {
                return reader.decodeFrame();
            }
            if (kind != Frames.PRIME) {
                throw state.protocolError("expected the task frame but received " + Frames.kindName(kind));
            }
            Object shapes;
            try {
                shapes = reader.decodeFrame();
            } catch (CodecException e) {
                shapes = null;
            }
            if (shapes != null) {
                prepare.accept(shapes);
            }
            writer.writeAck();
        }
    }
}

package io.pprocess.internal.channel;

import io.pprocess.ChannelInterruptedException;
import io.pprocess.internal.wire.Frames;
import java.util.ArrayDeque;

/**
 * The acknowledgement protocol of a {@link FrameChannel}: an acknowledged message
 * ({@link Frames#DATA}, {@link Frames#FAILURE}, {@link Frames#RAW}) is answered by an
 * {@link Frames#ACK}; a sender waits for it.
 *
 * <p>Frames that arrive while a send waits for its acknowledgement (the peer sending at the
 * same time) are acknowledged and kept for the next receive, so two ends that send at once do
 * not deadlock. An acknowledgement owed to a send whose wait was interrupted is passed over when
 * it comes. On a connection to a persistent process the peer may withdraw the message it just
 * sent ({@link Frames#WITHDRAWN}); the receiver looks for that before acknowledging.
 */
final class Acknowledgements {
    private final ChannelState state;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Acknowledgements of sends whose wait was interrupted: passed over when they come. */
    private int acksOwed;
    private boolean expectWithdrawals;

    /** A received frame kept for a later {@code receive}: its payload, or a raw value. */
    record Pending(byte kind, byte[] payload, Object value) {
    }

    Acknowledgements(ChannelState state, FrameReader reader, FrameWriter writer) {
        this.state = state;
        this.reader = reader;
        this.writer = writer;
    }

    /** @return whether a message received during a send waits for {@code receive} */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** @return the oldest message received during a send, or {@code null} */
    Pending nextPending() {
        return pending.poll();
    }

    /** Passes over the acknowledgement of the send just given up on (or not waited for), when it comes. */
    void owe() {
        acksOwed++;
    }

    /** @return how many acknowledgements to be passed over have not come yet */
    int owed() {
        return acksOwed;
    }

    /**
     * Takes in the owed acknowledgements at the head of the input buffer, without waiting, so
     * that they do not count as input.
     */
    void skipOwedBuffered() {
        while (acksOwed > 0 && reader.takeAck()) {
            acksOwed--;
        }
    }

    /** Makes {@link #acknowledge()} look whether the peer withdrew the message first. */
    void expectWithdrawals() {
        expectWithdrawals = true;
    }

    /**
     * Reads one frame. An {@link Frames#END} frame ends the channel: it is consumed and the end
     * is reported. Acknowledgements owed to interrupted sends are passed over.
     *
     * @return the frame's kind
     */
    byte readFrame() {
        while (true) {
            byte kind = reader.readRawFrame();
            if (kind == Frames.END) {
                state.finished = true;
                state.ended = true;
                throw state.ended(null);
            }
            if (kind == Frames.WITHDRAWN) {
                throw state.withdrawn();
            }
            if (kind == Frames.ACK && acksOwed > 0) {
                acksOwed--;
                continue;
            }
            if (kind == Frames.DATA || kind == Frames.STREAM || kind == Frames.FAILURE
                    || kind == Frames.RAW || kind == Frames.RAW_STREAM) {
                state.received++;
            }
            return kind;
        }
    }

    /** Waits for the acknowledgement of the message just sent, keeping what comes before it. */
    void awaitAck() {
        while (true) {
            byte kind;
            try {
                kind = readFrame();
            } catch (ChannelInterruptedException e) {
                acksOwed++;
                throw new ChannelInterruptedException("interrupted while waiting for the acknowledgement on the "
                        + state.description + "; the value was sent and the channel stays usable", e.getCause());
            }
            switch (kind) {
                case Frames.ACK:
                    return;
                case Frames.DATA:
                case Frames.FAILURE:
                    pending.add(new Pending(kind, reader.copyFrame(), null));
                    writer.writeAck();
                    break;
                case Frames.STREAM:
                    pending.add(new Pending(kind, reader.copyFrame(), null));
                    break;
                case Frames.RAW:
                    pending.add(new Pending(kind, null, reader.takeRaw()));
                    writer.writeAck();
                    break;
                case Frames.RAW_STREAM:
                    pending.add(new Pending(kind, null, reader.takeRaw()));
                    break;
                default:
                    throw state.protocolError("expected an acknowledgement but received " + Frames.kindName(kind));
            }
        }
    }

    /**
     * Acknowledges the acknowledged message just read, unless (on a connection to a persistent
     * process) the peer withdrew it: a {@link Frames#WITHDRAWN} frame right after it, looked for
     * without waiting.
     */
    void acknowledge() {
        if (expectWithdrawals && reader.nextIsWithdrawn()) {
            throw state.withdrawn();
        }
        writer.writeAck();
    }
}

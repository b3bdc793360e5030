package io.pprocess.internal.channel;

import io.pprocess.ChannelException;
import io.pprocess.ChannelInterruptedException;
import io.pprocess.ChildProcessException;
import io.pprocess.PProcessException;
import io.pprocess.internal.Pids;
import io.pprocess.internal.Setting;
import io.pprocess.internal.transport.Link;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * What has happened to one {@link FrameChannel} (closed, broken by a protocol error, ended by
 * its peer, finished, how many messages came) and the exception each of those means for a
 * caller: the failure mapping of the channel, in one place.
 *
 * <p>The flags are written by the channel's parts under the channel's rules (the reader's
 * flags by the one reading thread); those another thread may look at are volatile.
 */
final class ChannelState {
    /** How long a child may take to exit after its channel ended or was closed. */
    static final long EXIT_GRACE_MILLIS = Setting.exitGraceMillis();
    /** How long the end of a kept worker or persistent process that hung up is waited for. */
    private static final long DYING_WAIT_MILLIS = 250;

    final Link link;
    /** The child, on the parent's side; {@code null} inside the child. */
    final ChildProcess process;
    final String description;

    volatile boolean open = true;
    /** Why the channel is broken (a protocol error), or {@code null}. */
    volatile String broken;
    /** Whether the peer's end of the link is gone. */
    volatile boolean ended;
    /** Whether the peer said its task returned normally. */
    volatile boolean finished;
    /** Messages (data, stream, failure, raw frames) received. */
    long received;
    /** Inside {@code receive}: only there does an end throw {@link #endReason}. */
    boolean receiving;
    /** What receiving on this channel throws once it has ended, in place of the child's end. */
    volatile PProcessException endReason;

    ChannelState(Link link, ChildProcess process) {
        this.link = link;
        this.process = process;
        this.description = process == null ? "channel to the parent process"
                : "channel to child process " + process.pid();
    }

    long pid() {
        return process == null ? 0 : process.pid();
    }

    /** @throws ChannelException if the channel is broken or closed */
    void checkUsable() {
        if (broken != null) {
            throw new ChannelException(description + " is broken: " + broken);
        }
        if (!open) {
            throw new ChannelException(description + " is closed");
        }
    }

    /** Breaks the channel for a protocol error, closing its link, and returns the exception to throw. */
    ChannelException protocolError(String problem) {
        broken = problem;
        ChannelException e = new ChannelException("protocol error on the " + description + ": " + problem);
        link.close();
        return e;
    }

    /**
     * The end met while receiving: the reason given to {@code killFor} or {@code failWith},
     * if any (its cause the child's end), else the child's end itself.
     */
    PProcessException ended(String when) {
        ChannelException end = peerGone(when, null);
        return receiving ? withReason(end) : end;
    }

    PProcessException withReason(ChannelException end) {
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
     * The exception for a peer that went away: on the parent's side a
     * {@link ChildProcessException} with the child's exit status (waiting a grace period for
     * it, see {@link #awaitEnd}), inside the child a {@link ChannelException}; on a
     * closed channel, "closed".
     */
    ChannelException peerGone(String when, IOException cause) {
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
            status = awaitEnd();
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

    /**
     * Waits for a peer that went away to end: a child ends with its job, so for the grace
     * period; a kept worker or persistent process goes on running once its job is over, so
     * not at all after its task returned, and otherwise only as long as a process that is
     * dying takes to be gone (it may also have closed the channel after sending a failure).
     */
    private OptionalInt awaitEnd() throws InterruptedException {
        if (!process.outlivesItsJob()) {
            return process.waitFor(EXIT_GRACE_MILLIS);
        }
        if (!finished) {
            Pids.awaitEnd(process.pid(), Math.min(EXIT_GRACE_MILLIS, DYING_WAIT_MILLIS));
        }
        return process.waitFor(0);
    }

    ChannelInterruptedException interrupted(Throwable cause, String doing) {
        return new ChannelInterruptedException("interrupted while " + doing + " on the " + description
                + "; the channel stays usable", cause);
    }

    /** Closes the channel because the peer withdrew the message just read, and returns the exception. */
    ChannelException withdrawn() {
        open = false;
        link.close();
        return new ChannelException("the persistent process " + pid() + " withdrew its message from this"
                + " connection: it was not acknowledged within pprocess.handshakeMillis while another peer"
                + " was waiting, and went to that peer");
    }
}

package io.pprocess.internal.exchange;

import io.pprocess.ChannelException;
import io.pprocess.CodecException;
import io.pprocess.internal.message.NextJob;
import io.pprocess.internal.message.Wrapped;

/**
 * Reuse ({@code ExchangeOptions.reuse}): a child that has delivered its job's result is handed
 * the next queued job of the same task ({@link NextJob}), or told to end when none is queued,
 * when pool options recycle it, or when its worker initialiser failed.
 */
final class ReuseHandOver {
    private final ExchangeCore core;

    ReuseHandOver(ExchangeCore core) {
        this.core = core;
    }

    /**
     * Called after a channel's data was stored and the channel is still up: counts the result
     * under pool options and, with reuse, hands the child its next job.
     *
     * @param entry the channel and its job
     */
    void delivered(WatchedChannel entry) {
        SupervisedJobs supervised = core.supervised;
        if (supervised != null) {
            supervised.delivered(entry);
        }
        if (core.options.reuse() && !core.options.continuous() && entry.job != null
                && Wrapped.isReusable(entry.job.task)) {
            if (supervised != null && supervised.shouldStop(entry)) {
                stopChild(entry);
                return;
            }
            handOver(entry);
        }
    }

    /** Gives a reusable child the next queued job of the same task, or tells it to stop. */
    private void handOver(WatchedChannel entry) {
        Job next;
        while ((next = core.waiting.takeNextOf(entry.job.task)) != null) {
            try {
                entry.channel.send(new NextJob(next.args));
                entry.job = next;
                entry.mark = entry.channel.messagesReceived();
                entry.itemStart = System.nanoTime();
                core.hooks.jobStarted(next, entry.channel);
                return;
            } catch (CodecException e) {
                if (core.supervised != null) {
                    core.supervised.resolved(true);
                }
                core.hooks.jobFailed(next, e);
            } catch (ChannelException e) {
                core.waiting.addFirst(next);
                return;
            }
        }
        stopChild(entry);
    }

    /** Tells a reusable child that has delivered its job to end. */
    private static void stopChild(WatchedChannel entry) {
        try {
            entry.channel.sendUnacknowledged(null);
        } catch (ChannelException e) {
            // The child is already gone; its end is noticed by the next wait.
        }
        entry.job = null;
    }
}

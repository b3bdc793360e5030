package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import io.pprocess.PProcessException;
import io.pprocess.internal.channel.FrameChannel;
import java.time.Duration;

/**
 * One round of an exchange's {@code store}: waits for ready channels (under pool options, only
 * until their next check is due), gives each to the exchange's {@code storeData}, then drops
 * the channels that ended, tells the reuse hand-over of those that delivered, and starts queued
 * jobs in the capacity freed.
 */
final class StoreRound {
    private final ExchangeCore core;

    StoreRound(ExchangeCore core) {
        this.core = core;
    }

    /**
     * Runs the round; the caller holds the exchange's use.
     *
     * @param timeout how long to wait for a ready channel: {@code null} waits, zero just looks
     * @throws RuntimeException whatever {@code storeData} throws, after its channel is seen to
     */
    void run(Duration timeout) {
        if (core.watch.isEmpty()) {
            core.startWaiting();
            core.reportProgress();
            return;
        }
        try {
            SupervisedJobs supervised = core.supervised;
            for (Channel channel : supervised == null ? core.hooks.ready(timeout)
                    : supervised.superviseAndWait(timeout, core.hooks::ready)) {
                WatchedChannel entry = core.watch.get(channel);
                if (entry == null) {
                    continue;
                }
                boolean stored = false;
                try {
                    storeData(entry);
                    stored = true;
                } finally {
                    afterStore(entry, stored);
                }
            }
        } finally {
            core.startWaiting();
            core.reportProgress();
        }
    }

    private void storeData(WatchedChannel entry) {
        try {
            core.hooks.storeData(entry.channel);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new PProcessException("storeData failed for the " + entry.channel + ": " + e, e);
        }
    }

    /** Drops a channel that ended (or whose end was reported); hands a delivered one on. */
    private void afterStore(WatchedChannel entry, boolean stored) {
        FrameChannel channel = entry.channel;
        if (entry.reportedEnd || !channel.isOpen()) {
            core.watch.drop(entry);
            return;
        }
        if (stored && !channel.hasBufferedInput()) {
            core.hooks.delivered(entry);
        }
    }
}

package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import io.pprocess.internal.Setting;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What a channel that has input or has ended means for its exchange: a whole message makes it
 * ready; the end of a child that finished its job removes it quietly; any other end (a death, or
 * an end without the result owed) makes it ready once, so that its {@code receive} reports the
 * failure — unless pool options queue its job again.
 */
final class ReadyPolicy {
    private static final long EXIT_GRACE_MILLIS = Setting.exitGraceMillis();

    private final ExchangeCore core;

    ReadyPolicy(ExchangeCore core) {
        this.core = core;
    }

    /**
     * Takes in what a channel holds and sorts it, adding it to {@code result} if it is ready.
     *
     * @param entry a channel with input buffered or reported by the poller
     * @param result the ready channels of this wait
     */
    void classify(WatchedChannel entry, List<Channel> result) {
        switch (entry.channel.pollInput()) {
            case MESSAGE:
                result.add(entry.channel);
                break;
            case FINISHED:
                if (!core.hooks.awaitsResult(entry) || core.options.continuous() || core.isCancelled()) {
                    core.watch.drop(entry);
                } else if (!retried(entry)) {
                    reportEnd(entry, result);
                }
                break;
            case ENDED:
                if (core.isCancelled() || endedCleanly(entry)) {
                    core.watch.drop(entry);
                } else if (!retried(entry)) {
                    reportEnd(entry, result);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Tells whether a child that hung up without saying it had finished had done its job: a
     * delivered result, or (continuous) some results and a zero exit status within
     * {@code pprocess.exitGraceMillis}.
     */
    private boolean endedCleanly(WatchedChannel entry) {
        if (core.hooks.awaitsResult(entry)) {
            return false;
        }
        if (!core.options.continuous()) {
            return true;
        }
        if (entry.channel.process() != null && entry.channel.process().outlivesItsJob()) {
            // A kept worker's status is never known, so it cannot show a zero one.
            return false;
        }
        OptionalInt status = entry.channel.waitFor(Duration.ofMillis(EXIT_GRACE_MILLIS));
        return status.isPresent() && status.getAsInt() == 0;
    }

    /**
     * Tells whether the death of a supervised child that owed its job's result queued the job
     * again ({@link SupervisedJobs#retried}); never without pool options.
     */
    private boolean retried(WatchedChannel entry) {
        return core.supervised != null && core.supervised.retried(entry, core.isCancelled());
    }

    private static void reportEnd(WatchedChannel entry, List<Channel> result) {
        entry.reportedEnd = true;
        result.add(entry.channel);
    }
}

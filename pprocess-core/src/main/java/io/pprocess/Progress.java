package io.pprocess;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a {@code pmap} stands, as told to a {@link ProgressListener}: an immutable value.
 *
 * @param done items with a result
 * @param failed items that failed (their function threw, their worker died, a limit passed)
 * @param inFlight items handed to workers and not yet reported
 * @param total the number of items, or -1 while a lazily read input has not ended
 * @param elapsed the time since the {@code pmap} call
 * @param finished whether every item has a result or failure (or the map was closed)
 */
public record Progress(long done, long failed, long inFlight, long total, Duration elapsed, boolean finished) {

    /** @return items done or failed per second since the start, 0 at first */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : (done + failed) / seconds;
    }

    /** @return the estimated time left at the rate so far, empty while total or rate is unknown */
    public Optional<Duration> estimatedTimeLeft() {
        double rate = rate();
        if (total < 0 || rate <= 0) {
            return Optional.empty();
        }
        long left = Math.max(0, total - done - failed);
        return Optional.of(Duration.ofMillis((long) (left * 1000 / rate)));
    }
}

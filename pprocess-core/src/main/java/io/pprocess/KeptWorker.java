package io.pprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A kept worker as {@link PProcess#keptWorkers()} lists it: a JVM of this user kept running
 * between programs ({@link PProcess#keepWorkers(Duration)}), as it described itself when asked.
 *
 * @param pid its process id
 * @param address its socket file (its directory names its build)
 * @param busy whether a program holds it now
 * @param idleSince when it last became idle; empty while it is busy
 * @param idleLimit how long it waits for a job before it ends
 * @param jobs how many jobs it has served
 * @param description its Java installation and class path
 */
public record KeptWorker(long pid, Path address, boolean busy, Optional<Instant> idleSince, Duration idleLimit,
                         long jobs, String description) {

    /**
     * @param now the current time
     * @return how long it will still wait for a job before it ends (zero if busy or due)
     */
    public Duration remaining(Instant now) {
        if (idleSince.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, idleSince.get().plus(idleLimit));
        return left.isNegative() ? Duration.ZERO : left;
    }
}

package io.pprocess;

import io.pprocess.internal.Setting;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How persistent (background) processes are started, immutable; each method returns a
 * changed copy.
 *
 * <ul>
 * <li>{@code log}: the file that receives the process's standard output and error (appended);
 *     by default they are discarded.</li>
 * <li>{@code idleLimit}: how long the process waits for a peer to connect before it gives up,
 *     removes its socket file and exits, so that a forgotten one does not live forever
 *     (default 1 hour; {@code -Dpprocess.idleLimit=PT10M} changes the default).</li>
 * </ul>
 */
public final class PersistentOptions {
    private static final PersistentOptions DEFAULTS = new PersistentOptions(null, defaultIdle());

    private final Path log;
    private final Duration idleLimit;

    private PersistentOptions(Path log, Duration idleLimit) {
        this.log = log;
        this.idleLimit = idleLimit;
    }

    /** @return output discarded, idle limit 1 hour */
    public static PersistentOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param log the file for the process's output, or {@code null} to discard it
     * @return a copy with that log
     */
    public PersistentOptions log(Path log) {
        return new PersistentOptions(log, idleLimit);
    }

    /**
     * @param idleLimit how long to wait for a peer, positive
     * @return a copy with that limit
     * @throws IllegalArgumentException if it is not positive
     */
    public PersistentOptions idleLimit(Duration idleLimit) {
        if (idleLimit == null || idleLimit.isZero() || idleLimit.isNegative()) {
            throw new IllegalArgumentException("idle limit must be positive: " + idleLimit);
        }
        return new PersistentOptions(log, idleLimit);
    }

    /** @return the log file, or {@code null} when output is discarded */
    public Path log() {
        return log;
    }

    /** @return the idle limit */
    public Duration idleLimit() {
        return idleLimit;
    }

    private static Duration defaultIdle() {
        return Setting.IDLE_LIMIT.duration(Duration.ofHours(1));
    }

    @Override
    public String toString() {
        return "PersistentOptions[log=" + log + ", idleLimit=" + idleLimit + "]";
    }
}

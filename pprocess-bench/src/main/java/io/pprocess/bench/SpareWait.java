package io.pprocess.bench;

import io.pprocess.PProcess;
import java.time.Duration;

/** Waits for pprocess's spare children, so that benchmarks can keep their starts out of a measurement. */
final class SpareWait {
    /** How long a spare may take to connect, generous for a loaded machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SpareWait() {
    }

    /**
     * Waits until at least {@code count} spares are connected and waiting for a task.
     *
     * @param count the number of spares, at most the number kept ({@code PProcess.keepSpares})
     * @throws InterruptedException if interrupted
     * @throws IllegalStateException if they are not all ready within {@link #TIMEOUT}
     */
    static void awaitReady(int count) throws InterruptedException {
        if (!PProcess.awaitSpares(count, TIMEOUT)) {
            throw new IllegalStateException("fewer than " + count + " spare children ready after "
                    + TIMEOUT.toSeconds() + " s");
        }
    }
}

package io.pprocess.internal.transport;

import io.pprocess.internal.Setting;
import java.io.IOException;

/**
 * The short poll a link makes before it sleeps waiting for input
 * ({@code pprocess.readSpinMicros}, {@value #DEFAULT_MICROS} µs by default, none on a machine
 * with one processor): the peer's answer to a frame (its acknowledgement, or the reply to a
 * request) usually follows within that time, and waking a sleeping thread costs most of a
 * small round trip. A wait that lasts longer costs up to that much CPU before it sleeps.
 */
final class ReadSpin {
    /** How long a read polls before it sleeps, by default, in microseconds. */
    static final long DEFAULT_MICROS = 20;
    /** How long a read polls before it sleeps, in nanoseconds; 0 for none. */
    static final long NANOS = nanos();

    /** A look at a link that does not block. */
    interface Probe {
        /** @return whether input (or the end of the stream) is there */
        boolean ready() throws IOException;
    }

    private ReadSpin() {
    }

    /**
     * Looks again and again for up to {@link #NANOS}.
     *
     * @param probe the look
     * @return whether it found input; false also once the thread is interrupted
     * @throws IOException if a look fails
     */
    static boolean poll(Probe probe) throws IOException {
        if (NANOS <= 0) {
            return false;
        }
        Thread self = Thread.currentThread();
        long end = System.nanoTime() + NANOS;
        do {
            Thread.onSpinWait();
            if (probe.ready()) {
                return true;
            }
        } while (!self.isInterrupted() && System.nanoTime() - end < 0);
        return false;
    }

    private static long nanos() {
        long fallback = Runtime.getRuntime().availableProcessors() > 1 ? DEFAULT_MICROS : 0;
        return Setting.READ_SPIN_MICROS.longValue(fallback, 0) * 1000L;
    }
}

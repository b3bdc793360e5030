package io.pprocess.internal.channel;

import io.pprocess.internal.LibraryThreads;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends children whose channel was closed and that did not exit by themselves within a grace
 * period (one stuck in a loop, or ignoring the end of its input). One daemon thread does it,
 * started when needed and gone a second after its last task.
 */
public final class ChildReaper {
    /**
     * The grace of a child whose JVM writes a recording when it exits (an ahead-of-time
     * configuration of some 15 MB): cut short, the recording is lost.
     */
    static final long SLOW_EXIT_GRACE_MILLIS = 20_000;

    private static final java.util.Set<ChildProcess> SLOW = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        return LibraryThreads.daemon(r, "pprocess-child-reaper");
    });

    static {
        TIMER.setKeepAliveTime(1, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private ChildReaper() {
    }

    /**
     * Gives {@code child} at least {@link #SLOW_EXIT_GRACE_MILLIS} to exit after its channel is
     * closed, instead of the usual grace.
     *
     * @param child a child that is running
     */
    public static void allowSlowExit(ChildProcess child) {
        SLOW.add(child);
        child.onExit(() -> SLOW.remove(child));
    }

    /**
     * Kills {@code child} with SIGKILL unless it has ended {@code graceMillis} from now (or
     * {@link #SLOW_EXIT_GRACE_MILLIS}, if longer, for a child {@linkplain #allowSlowExit allowed
     * a slow exit}).
     *
     * @param child the child
     * @param graceMillis how long it may take to exit by itself
     */
    static void endAfter(ChildProcess child, long graceMillis) {
        if (!child.isAlive()) {
            return;
        }
        if (graceMillis > 0 && SLOW.contains(child)) {
            graceMillis = Math.max(graceMillis, SLOW_EXIT_GRACE_MILLIS);
        }
        if (graceMillis <= 0) {
            child.kill();
            return;
        }
        java.util.concurrent.ScheduledFuture<?> kill = TIMER.schedule(() -> {
            if (child.isAlive()) {
                child.kill();
            }
        }, graceMillis, TimeUnit.MILLISECONDS);
        child.onExit(() -> kill.cancel(false));
    }
}

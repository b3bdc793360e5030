package io.pprocess.internal.channel;

import io.pprocess.internal.LibraryThreads;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends children whose channel was closed and that did not exit by themselves within a grace
 * period (one stuck in a loop, or ignoring the end of its input). One daemon thread does it,
 * started when needed and gone a second after its last task.
 */
final class ChildReaper {
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
     * Kills {@code child} with SIGKILL unless it has ended {@code graceMillis} from now.
     *
     * @param child the child
     * @param graceMillis how long it may take to exit by itself
     */
    static void endAfter(ChildProcess child, long graceMillis) {
        if (!child.isAlive()) {
            return;
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

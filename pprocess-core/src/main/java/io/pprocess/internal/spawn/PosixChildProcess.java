package io.pprocess.internal.spawn;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.internal.channel.ChildProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Signal;
import jnr.constants.platform.WaitFlags;
import jnr.posix.POSIX;

/**
 * A child started with {@code posix_spawnp}, which the JDK does not know about, so this class
 * reaps it.
 *
 * <p>Only {@code waitpid(pid, WNOHANG)} on this child's own pid is ever called, under this
 * object's lock and never again once the child is reaped: a blocking wait, or a wait for any
 * child, could take the pid of a process the JDK started (or one that reused the pid). A
 * single daemon thread, {@code pprocess-reaper}, looks at every child not yet reaped, first
 * every few milliseconds and less often as time passes, so no child stays a zombie for long
 * even if nobody waits for it; the thread ends when no child is left and starts again with
 * the next one. {@link #waitFor} looks by itself at a shorter interval, so a waiter is told
 * within a few milliseconds.
 */
final class PosixChildProcess implements ChildProcess {
    /** The status reported when another party reaped the child and its status is lost. */
    static final int UNKNOWN_STATUS = -1;

    private static final int WNOHANG = WaitFlags.WNOHANG.intValue();
    private static final int EINTR = Errno.EINTR.intValue();
    private static final int SIGKILL = Signal.SIGKILL.intValue();
    private static final Reaper REAPER = new Reaper();

    private final POSIX posix;
    private final long pid;
    private final List<Runnable> exitActions = new ArrayList<>();
    private boolean reaped;
    private int status;

    private PosixChildProcess(POSIX posix, long pid) {
        this.posix = posix;
        this.pid = pid;
    }

    /**
     * Takes charge of a child just spawned.
     *
     * @param posix the binding
     * @param pid the child's pid
     * @return the child, watched by the reaper
     */
    static PosixChildProcess adopt(POSIX posix, long pid) {
        PosixChildProcess child = new PosixChildProcess(posix, pid);
        REAPER.track(child);
        return child;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return !reap();
    }

    @Override
    public OptionalInt waitFor(long timeoutMillis) throws InterruptedException {
        if (reap()) {
            return OptionalInt.of(status());
        }
        if (timeoutMillis == 0) {
            return OptionalInt.empty();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long pause = TimeUnit.MICROSECONDS.toNanos(500);
        while (true) {
            long sleep = pause;
            if (timeoutMillis > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalInt.empty();
                }
                sleep = Math.min(sleep, left);
            }
            TimeUnit.NANOSECONDS.sleep(sleep);
            if (reap()) {
                return OptionalInt.of(status());
            }
            pause = Math.min(2 * pause, TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void kill() {
        synchronized (this) {
            if (reaped) {
                return;
            }
            // Not reaped, so the pid is still ours, even if the child is already a zombie.
            posix.kill(pid, SIGKILL);
        }
        REAPER.hurry();
    }

    @Override
    public void onExit(Runnable action) {
        synchronized (this) {
            if (!reaped) {
                exitActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** @return whether the child has ended and been reaped (now or before) */
    boolean reap() {
        List<Runnable> actions;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            int[] raw = new int[1];
            long r;
            do {
                r = posix.waitpid(pid, raw, WNOHANG);
            } while (r < 0 && posix.errno() == EINTR);
            if (r == 0) {
                return false;
            }
            reaped = true;
            // r < 0 is ECHILD: someone else reaped the child (SIGCHLD ignored, or a wait for any child).
            status = r == pid ? decode(raw[0]) : UNKNOWN_STATUS;
            actions = new ArrayList<>(exitActions);
            exitActions.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("pprocess: an exit action of child process " + pid + " failed: " + e);
            }
        }
        return true;
    }

    private synchronized int status() {
        return status;
    }

    /**
     * Decodes a {@code waitpid} status the way the JDK reports it.
     *
     * @param raw the status word
     * @return the exit code, or {@code 128 + n} for a child killed by signal n
     */
    static int decode(int raw) {
        int signal = raw & 0x7f;
        if (signal == 0) {
            return (raw >> 8) & 0xff;
        }
        return 128 + signal;
    }

    @Override
    public String toString() {
        return "child process " + pid;
    }

    /** The thread that reaps children nobody waits for. */
    private static final class Reaper implements Runnable {
        private static final long FIRST_PAUSE_MILLIS = 2;
        private static final long LONGEST_PAUSE_MILLIS = 100;

        private final Set<PosixChildProcess> children = new HashSet<>();
        private Thread thread;
        private long pauseMillis = FIRST_PAUSE_MILLIS;

        synchronized void track(PosixChildProcess child) {
            children.add(child);
            pauseMillis = FIRST_PAUSE_MILLIS;
            if (thread == null) {
                thread = LibraryThreads.daemon(this, "pprocess-reaper");
                thread.start();
            } else {
                notifyAll();
            }
        }

        synchronized void hurry() {
            pauseMillis = FIRST_PAUSE_MILLIS;
            notifyAll();
        }

        @Override
        public void run() {
            while (true) {
                List<PosixChildProcess> snapshot;
                synchronized (this) {
                    if (children.isEmpty()) {
                        thread = null;
                        return;
                    }
                    try {
                        wait(pauseMillis);
                    } catch (InterruptedException e) {
                        // Nobody interrupts this thread on purpose; keep reaping.
                    }
                    pauseMillis = Math.min(2 * pauseMillis, LONGEST_PAUSE_MILLIS);
                    snapshot = new ArrayList<>(children);
                }
                List<PosixChildProcess> ended = new ArrayList<>();
                for (PosixChildProcess child : snapshot) {
                    if (child.reap()) {
                        ended.add(child);
                    }
                }
                synchronized (this) {
                    ended.forEach(children::remove);
                }
            }
        }
    }
}

package io.pprocess.internal.spawn;

import io.pprocess.internal.Pids;
import io.pprocess.internal.channel.ChildProcess;
import java.util.OptionalInt;

/**
 * A kept worker as the program that claimed it sees it: not this JVM's child to wait for, and
 * its exit status is unknown (reported as -1); {@link #kill} ends it (the program holds it, so
 * it is this program's to end), and the next program starts another.
 */
final class KeptProcess implements ChildProcess {
    private final long pid;

    KeptProcess(long pid) {
        this.pid = pid;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return Pids.running(pid);
    }

    /**
     * Waits up to the timeout for the worker to end (one that exited but is not yet reaped has
     * ended); its status is not known, so an ended worker gives -1. A worker whose job is over
     * goes on serving other programs: waiting for it then waits the whole timeout.
     */
    @Override
    public OptionalInt waitFor(long timeoutMillis) throws InterruptedException {
        return Pids.awaitEnd(pid, timeoutMillis) ? OptionalInt.of(-1) : OptionalInt.empty();
    }

    /** @return true: a kept worker serves one program after another */
    @Override
    public boolean outlivesItsJob() {
        return true;
    }

    @Override
    public void kill() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public void onExit(Runnable action) {
        ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(action), action);
    }
}

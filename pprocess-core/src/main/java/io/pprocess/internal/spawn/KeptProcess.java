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
     * Looks whether the worker has ended (one that exited but is not yet reaped has), and
     * returns at once whatever the timeout: a kept worker outlives its jobs, so waiting for its
     * end would only wait for its idle limit. Its status is not known: an ended worker gives -1.
     */
    @Override
    public OptionalInt waitFor(long timeoutMillis) {
        return isAlive() ? OptionalInt.empty() : OptionalInt.of(-1);
    }

    /** @return true: a kept worker serves one program after another */
    @Override
    public boolean outlivesItsJob() {
        return true;
    }

    /** Notes that this program let the worker go, so that its next start may wait for it briefly. */
    @Override
    public void released() {
        KeptWorkers.letGo(pid);
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

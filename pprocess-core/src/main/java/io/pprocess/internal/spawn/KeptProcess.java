package io.pprocess.internal.spawn;

import io.pprocess.internal.channel.ChildProcess;
import java.util.Optional;
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
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive();
    }

    /**
     * Returns -1 if the worker has ended, else empty at once: a kept worker outlives its jobs,
     * so waiting for its end would only wait for its idle limit.
     */
    @Override
    public OptionalInt waitFor(long timeoutMillis) {
        return isAlive() ? OptionalInt.empty() : OptionalInt.of(-1);
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

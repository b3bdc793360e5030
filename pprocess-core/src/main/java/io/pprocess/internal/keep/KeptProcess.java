package io.pprocess.internal.keep;

import io.pprocess.internal.transport.ChildProcess;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kept worker as the program that claimed it sees it: not this JVM's child, so it is never
 * reaped here and its exit status is unknown (reported as -1); {@link #kill} ends it (the
 * program holds it, so it is this program's to end), and the next program starts another.
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

    @Override
    public OptionalInt waitFor(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        while (isAlive()) {
            if (timeoutMillis >= 0 && System.nanoTime() >= deadline) {
                return OptionalInt.empty();
            }
            Thread.sleep(5);
        }
        return OptionalInt.of(-1);
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

package io.pprocess.internal.persist;

import io.pprocess.internal.channel.ChildProcess;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A persistent process seen from a process that connected to it: it is not this JVM's child,
 * so it is neither reaped nor killed from here, and its exit status is not known.
 */
final class PeerProcess implements ChildProcess {
    private final long pid;

    PeerProcess(long pid) {
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
            Thread.sleep(10);
        }
        return OptionalInt.of(-1);
    }

    @Override
    public void kill() {
        // A persistent process outlives the programs that talk to it; closing the channel is all.
    }

    @Override
    public void onExit(Runnable action) {
        ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(action), action);
    }
}

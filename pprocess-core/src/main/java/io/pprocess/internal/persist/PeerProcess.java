package io.pprocess.internal.persist;

import io.pprocess.internal.Pids;
import io.pprocess.internal.channel.ChildProcess;
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
        return Pids.running(pid);
    }

    @Override
    public OptionalInt waitFor(long timeoutMillis) throws InterruptedException {
        return Pids.awaitEnd(pid, timeoutMillis) ? OptionalInt.of(-1) : OptionalInt.empty();
    }

    /** @return true: a persistent process serves one program after another */
    @Override
    public boolean outlivesItsJob() {
        return true;
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

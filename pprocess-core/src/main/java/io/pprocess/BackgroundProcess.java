package io.pprocess;

import java.nio.file.Path;

/**
 * A persistent process started by {@link PProcess#startPersistent}: detached from this program
 * (its own session, no terminal, standard input closed), listening at its address, and able to
 * outlive this JVM. Connect to it, from this program or another, with {@link #connect()} or
 * {@link PProcess#connectPersistent(Path)}.
 */
public final class BackgroundProcess {
    private final Path address;
    private final long pid;

    BackgroundProcess(Path address, long pid) {
        this.address = address;
        this.pid = pid;
    }

    /** @return the socket file it listens at */
    public Path address() {
        return address;
    }

    /** @return its process id */
    public long pid() {
        return pid;
    }

    /** @return whether it is still running */
    public boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Connects to it; see {@link PProcess#connectPersistent(Path)}.
     *
     * @return the connected channel
     */
    public Channel connect() {
        return PProcess.connectPersistent(address);
    }

    @Override
    public String toString() {
        return "BackgroundProcess[pid=" + pid + ", address=" + address + "]";
    }
}

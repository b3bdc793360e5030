package io.pprocess.internal.spawn;

import java.io.IOException;

/** A child that ended before its link was up. */
final class ChildStartException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long pid;
    private final int exitStatus;

    /**
     * Creates the exception.
     *
     * @param pid the child's pid
     * @param exitStatus its exit status
     */
    ChildStartException(long pid, int exitStatus) {
        super("child process " + pid + " exited with status " + exitStatus + " before connecting");
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** @return the child's pid */
    long pid() {
        return pid;
    }

    /** @return the child's exit status */
    int exitStatus() {
        return exitStatus;
    }
}

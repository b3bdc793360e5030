package io.pprocess.internal.channel;

import java.util.OptionalInt;

/** A child process as its transport started it. */
public interface ChildProcess {

    /** @return the process id */
    long pid();

    /** @return whether the process is still running */
    boolean isAlive();

    /**
     * Waits for the process to end and reaps it.
     *
     * @param timeoutMillis negative waits as long as needed, zero just looks
     * @return the exit status ({@code 128 + n} for signal n), or empty if still running
     * @throws InterruptedException if interrupted while waiting
     */
    OptionalInt waitFor(long timeoutMillis) throws InterruptedException;

    /**
     * @return whether the process goes on running once its job is over (a kept worker, a
     *     persistent process), so that its end is not waited for after the job's own end
     */
    default boolean outlivesItsJob() {
        return false;
    }

    /**
     * Tells the process that the program let it go: called once, when a channel that leaves its
     * process running is closed. Does nothing by default.
     */
    default void released() {
    }

    /** Sends SIGKILL; does nothing if the process has ended. */
    void kill();

    /**
     * Runs {@code action} once the process has ended and been reaped (at once if it has).
     *
     * @param action what to run, on an internal thread
     */
    void onExit(Runnable action);
}

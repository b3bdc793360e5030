package io.pprocess.internal.wire;

/**
 * The exit statuses of a child JVM of this library, which its parent reads (a
 * {@code ChildProcessException} carries the status; a status of 128 + n is signal n):
 *
 * <pre>
 *  status  meaning
 *  ------  --------------------------------------------------------------------------------
 *    0     OK            the task returned (or an unused spare was closed)
 *    1     TASK_FAILED   the task, or decoding it, failed; the failure was sent to the parent
 *    2     NO_PARENT     started by hand, the parent could not be reached, or (a kept worker)
 *                        the program holding it died in the middle of its job
 *    3     OUT_OF_MEMORY out of memory or another fatal error: what the JVM's
 *                        -XX:+ExitOnOutOfMemoryError exits with, so a parent reads it as out of heap
 *    4     IDLE          a persistent process that no peer reached within its idle limit
 * </pre>
 */
public final class ExitStatus {
    /** The task returned (or an unused spare was closed). */
    public static final int OK = 0;
    /** The task, or decoding it, failed; the failure was sent to the parent. */
    public static final int TASK_FAILED = 1;
    /** Started by hand, the parent could not be reached, or a kept worker's program died during its job. */
    public static final int NO_PARENT = 2;
    /** Out of memory or another fatal JVM error; also what {@code -XX:+ExitOnOutOfMemoryError} exits with. */
    public static final int OUT_OF_MEMORY = 3;
    /** A persistent process that no peer reached within its idle limit. */
    public static final int IDLE = 4;

    private ExitStatus() {
    }
}

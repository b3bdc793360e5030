package io.pprocess.internal.executor;

import io.pprocess.internal.codec.RemoteFailure;

/**
 * The messages between a {@code ProcessExecutor} and its worker children. The parent sends
 * {@link Batch}es of encoded tasks and {@link Skip}s; a worker answers every task of a batch,
 * in order, with an {@link Outcome}, each as soon as the task has run.
 */
public final class Messages {
    private Messages() {
    }

    /**
     * Tasks for a worker, run in order.
     *
     * @param ids the tasks' ids
     * @param tasks each task, encoded by the codec in the submitting thread
     */
    public record Batch(long[] ids, byte[][] tasks) {
    }

    /**
     * Tells a worker not to run a task of a batch it has received (the task was cancelled).
     *
     * @param id the task's id
     */
    public record Skip(long id) {
    }

    /**
     * The end of one task.
     *
     * @param id the task's id
     * @param value its result, when it succeeded
     * @param failure why it failed, or {@code null}
     * @param skipped whether it was not run, as a {@link Skip} asked
     */
    public record Outcome(long id, Object value, RemoteFailure failure, boolean skipped) {
    }
}

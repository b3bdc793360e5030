package io.pprocess.internal.message;

/**
 * Tasks for a {@code ProcessExecutor} worker, run in order; the worker answers each with a
 * {@link TaskOutcome} as soon as it has run.
 *
 * @param ids the tasks' ids
 * @param tasks each task, encoded by the codec in the submitting thread
 */
public record TaskBatch(long[] ids, byte[][] tasks) {
}

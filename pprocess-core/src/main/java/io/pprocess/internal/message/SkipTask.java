package io.pprocess.internal.message;

/**
 * Tells a {@code ProcessExecutor} worker not to run a task of a {@link TaskBatch} it has
 * received (the task was cancelled); it answers it with a skipped {@link TaskOutcome}.
 *
 * @param id the task's id
 */
public record SkipTask(long id) {
}

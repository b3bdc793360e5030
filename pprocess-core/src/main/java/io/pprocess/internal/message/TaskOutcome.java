package io.pprocess.internal.message;

/**
 * The end of one task of a {@link TaskBatch}.
 *
 * @param id the task's id
 * @param value its result, when it succeeded
 * @param failure why it failed, or {@code null}
 * @param skipped whether it was not run, as a {@link SkipTask} asked
 */
public record TaskOutcome(long id, Object value, RemoteFailure failure, boolean skipped) {
}

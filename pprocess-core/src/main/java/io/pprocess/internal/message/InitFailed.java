package io.pprocess.internal.message;

/**
 * Sent instead of any result when the worker's initialiser failed; the worker then ends.
 *
 * @param failure what the initialiser threw
 */
public record InitFailed(RemoteFailure failure) {
}

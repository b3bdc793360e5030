package io.pprocess.internal.message;

/**
 * An item's failure in place of its result.
 *
 * @param failure the failure
 */
public record ItemError(RemoteFailure failure) {
}

/**
 * Internal: what parent and child send each other besides the user's values — the task
 * ({@link io.pprocess.internal.message.Invocation}), a failure
 * ({@link io.pprocess.internal.message.RemoteFailure}), the jobs of reused children and the
 * chunks, results and controls of {@code pmap} workers, the task batches and outcomes of
 * {@code ProcessExecutor} workers; the codec registers them and the
 * exchanges use them, and this package depends on neither.
 */
package io.pprocess.internal.message;

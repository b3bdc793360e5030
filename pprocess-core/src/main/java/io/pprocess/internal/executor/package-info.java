/** The child's side of the process-backed executor: the worker loop that runs task batches (the messages are in {@code internal.message}). Not API. */
package io.pprocess.internal.executor;

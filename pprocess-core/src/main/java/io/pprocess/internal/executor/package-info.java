/** The process-backed executor's protocol: task batches, outcomes and the child's worker loop. Not API. */
package io.pprocess.internal.executor;

/**
 * Internal: the worker side and bookkeeping behind reused processes and {@code pmap}: the
 * batched worker loop ({@link io.pprocess.internal.exchange.Batches}) and parked warm workers.
 */
package io.pprocess.internal.exchange;

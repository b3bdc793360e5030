/**
 * Internal: the worker side and bookkeeping behind reused processes and {@code pmap}: the
 * batched worker loop ({@link io.pprocess.internal.exchange.Batches}), parked warm workers, and
 * the policy of {@code PoolOptions} shared by {@code pmap} and the exchanges
 * ({@link io.pprocess.internal.exchange.Supervisor}).
 */
package io.pprocess.internal.exchange;

/**
 * Internal: the parts behind the exchanges and {@code pmap}: the channels an exchange watches
 * ({@link io.pprocess.internal.exchange.ChannelWatch}), its queue of jobs
 * ({@link io.pprocess.internal.exchange.JobQueue}), the batched worker loop
 * ({@link io.pprocess.internal.exchange.Batches}), parked warm workers, and the policy of
 * {@code PoolOptions} shared by {@code pmap} and the exchanges
 * ({@link io.pprocess.internal.exchange.Supervisor}).
 */
package io.pprocess.internal.exchange;

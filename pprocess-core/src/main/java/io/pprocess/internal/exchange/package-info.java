/**
 * Internal: the parts behind the exchanges and {@code pmap}. {@link io.pprocess.internal.exchange.ExchangeCore}
 * wires one {@code Exchange}'s parts — the channels it watches ({@code ChannelWatch}), its queue of
 * jobs ({@code JobQueue}), what a ready channel means ({@code ReadyPolicy}), a round of storing
 * ({@code StoreRound}), the reuse hand-over ({@code ReuseHandOver}), the start of jobs in new
 * children and persistent processes ({@code JobStarter}), pool options on an exchange
 * ({@code SupervisedJobs}) — and calls the exchange's overridable steps through
 * {@link io.pprocess.internal.exchange.ExchangeHooks}. Beside them: the batched worker loop of
 * {@code pmap} ({@link io.pprocess.internal.exchange.Batches}), parked warm workers
 * ({@link io.pprocess.internal.exchange.WarmWorkers}), and the policy of {@code PoolOptions} shared
 * by {@code pmap}, the exchanges and the executor ({@link io.pprocess.internal.exchange.Supervisor}).
 */
package io.pprocess.internal.exchange;

package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import java.time.Duration;
import java.util.List;

/**
 * What an exchange's parts ask of the exchange they serve: the steps that its subclasses
 * ({@code MapExchange}, {@code QueueExchange}, {@code pmap}'s exchange, a user's) decide. The
 * public {@code Exchange} gives its own overridable methods through a private adapter, so that
 * none of these is public API.
 */
public interface ExchangeHooks {

    /**
     * Waits for ready channels, as the exchange's public {@code ready} (which a user's subclass
     * may override).
     *
     * @param timeout {@code null} waits, zero just looks
     * @return the ready channels
     */
    List<Channel> ready(Duration timeout);

    /**
     * Receives the data of a ready channel: the exchange's {@code storeData}.
     *
     * @param channel a ready channel
     * @throws Exception whatever the subclass throws
     */
    void storeData(Channel channel) throws Exception;

    /**
     * Called after a channel's data was stored while the channel is up and has nothing more
     * buffered; by default the reuse hand-over ({@link ExchangeCore#delivered}).
     *
     * @param entry the channel and its job
     */
    void delivered(WatchedChannel entry);

    /**
     * @param entry a watched channel
     * @return whether its child still owes the result of its current job, so that its end is a failure
     */
    boolean awaitsResult(WatchedChannel entry);

    /**
     * Called when a job runs on a channel (a new child, or a reused one handed the job).
     *
     * @param job the job
     * @param channel its channel
     */
    void jobStarted(Job job, Channel channel);

    /**
     * Called when a job cannot be started; a plain exchange throws {@code failure}.
     *
     * @param job the job
     * @param failure why
     */
    void jobFailed(Job job, RuntimeException failure);

    /** @return whether the exchange counts its jobs' results itself (as a map or queue of results does) */
    boolean reportsResolutions();
}

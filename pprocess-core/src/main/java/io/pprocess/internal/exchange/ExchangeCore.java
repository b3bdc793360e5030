package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcessException;
import io.pprocess.PoolOptions;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.persist.PersistentClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * The working parts of one {@code Exchange}, wired together: the channels it watches
 * ({@link ChannelWatch}), the jobs not started yet ({@link JobQueue}), what a ready channel means
 * ({@link ReadyPolicy}), a round of storing ({@link StoreRound}), the reuse hand-over
 * ({@link ReuseHandOver}), the start of jobs in new children or persistent processes
 * ({@link JobStarter}), the pool options' supervision ({@link SupervisedJobs}), and whether the
 * exchange is closed or cancelled. The public {@code Exchange} is a façade over it: it checks
 * its arguments, keeps the one-thread rule around each call, and gives its subclass hooks as
 * {@link ExchangeHooks}.
 */
public final class ExchangeCore {
    final ExchangeOptions options;
    final ExchangeHooks hooks;
    final ChannelWatch watch;
    final JobQueue waiting = new JobQueue();
    /** The pool options applied to the jobs, or null without them. */
    final SupervisedJobs supervised;
    private final ReadyPolicy policy = new ReadyPolicy(this);
    private final BiConsumer<WatchedChannel, List<Channel>> classify = policy::classify;
    private final StoreRound storing = new StoreRound(this);
    private final ReuseHandOver reuse = new ReuseHandOver(this);
    private final JobStarter starter = new JobStarter(this);
    private volatile boolean closed;
    private volatile boolean cancelled;

    /**
     * Creates the parts of an exchange.
     *
     * @param options its options
     * @param hooks its subclass's steps
     * @throws IllegalArgumentException if pool options are given that do not apply to an exchange
     */
    public ExchangeCore(ExchangeOptions options, ExchangeHooks hooks) {
        this.options = options;
        this.hooks = hooks;
        this.watch = new ChannelWatch(options.autoclose());
        this.supervised = options.pool() == null ? null
                : new SupervisedJobs(checkPool(options), watch, waiting, hooks::jobFailed, hooks::reportsResolutions);
    }

    private static PoolOptions checkPool(ExchangeOptions options) {
        PoolOptions pool = options.pool();
        if (options.continuous()) {
            throw new IllegalArgumentException("pool options do not apply to a continuous exchange: its children"
                    + " have no single result to time or retry");
        }
        if (pool.workers() != 0) {
            throw new IllegalArgumentException("PoolOptions.workers(" + pool.workers() + ") is pmap's: an"
                    + " exchange's children are bounded by ExchangeOptions.limit");
        }
        if (pool.maxInFlight() != 0) {
            throw new IllegalArgumentException("PoolOptions.maxInFlight(" + pool.maxInFlight() + ") is pmap's: an"
                    + " exchange runs the jobs it is given");
        }
        if (pool.recycleAboveHeap() > 0) {
            throw new IllegalArgumentException("PoolOptions.recycleAboveHeap is pmap's (its workers report their"
                    + " heap): on an exchange use recycleAfterItems, recycleAfterAge or memoryLimit");
        }
        return pool;
    }

    // ---- watching ----

    /**
     * Starts watching a channel; on a cancelled exchange its process is killed at once.
     *
     * @param entry the channel and its job
     * @throws IllegalStateException if the exchange is closed
     */
    public void add(WatchedChannel entry) {
        checkOpen();
        watch.add(entry, cancelled);
    }

    /**
     * Starts watching a channel a user added.
     *
     * @param channel the parent's end of a channel of this library
     * @throws IllegalArgumentException if it is a child's end or not from this library
     */
    public void add(Channel channel) {
        add(new WatchedChannel(ChannelWatch.parentEnd(channel), null));
    }

    /**
     * Watches a channel to a child that already runs {@code job}, as if it had been started here.
     *
     * @param channel the parent's end
     * @param job the job it runs
     */
    public void adopt(FrameChannel channel, Job job) {
        add(new WatchedChannel(channel, job));
        hooks.jobStarted(job, channel);
    }

    /**
     * Connects to a persistent process and watches the channel as a job of its own.
     *
     * @param address the socket file path, absolute
     * @param slot reserves the slot of its results (or gives -1), once it is connected
     * @throws io.pprocess.ChannelException naming the address if nothing of ours listens there
     */
    public void connect(Path address, IntSupplier slot) {
        FrameChannel channel = PersistentClient.connect(address);
        add(new WatchedChannel(channel, new Job(null, new Object[0], slot.getAsInt(), address)));
    }

    /** @param channel a channel; stops watching it (with autoclose, closes it) */
    public void remove(Channel channel) {
        watch.remove(channel);
    }

    /** @param entry a watched channel, no longer watched and not closed: handed to the caller */
    public void detach(WatchedChannel entry) {
        watch.detach(entry);
    }

    /** @return the watched channels, in the order they were added */
    public List<Channel> active() {
        return watch.channels();
    }

    /** @return the channels the last wait removed because they had ended */
    public List<Channel> removed() {
        return watch.removed();
    }

    /** @return the entry of a watched channel, or {@code null} */
    public WatchedChannel entryOf(Channel channel) {
        return watch.get(channel);
    }

    /** @return whether the channel is watched */
    public boolean watching(Channel channel) {
        return watch.contains(channel);
    }

    /** @return how many channels are watched */
    public int activeCount() {
        return watch.size();
    }

    /** @see ChannelWatch#enterUse */
    public Thread enterUse(String operation) {
        return watch.enterUse(operation);
    }

    /** @see ChannelWatch#usedByAnotherThread */
    public boolean usedByAnotherThread() {
        return watch.usedByAnotherThread();
    }

    /** @see ChannelWatch#exitUse */
    public void exitUse(Thread token) {
        watch.exitUse(token);
    }

    // ---- waiting and storing ----

    /**
     * Waits for ready channels, sorting each that has input or has ended ({@link ReadyPolicy});
     * the caller holds the exchange's use.
     *
     * @param timeout {@code null} waits until one is ready or none is left, zero just looks
     * @return the ready channels, possibly empty
     * @throws IllegalStateException if the exchange is closed
     * @throws io.pprocess.ChannelInterruptedException if the thread is interrupted while waiting
     */
    public List<Channel> ready(Duration timeout) {
        checkOpen();
        return watch.awaitReady(timeout, classify);
    }

    /**
     * One round of storing ({@link StoreRound}); the caller holds the exchange's use.
     *
     * @param timeout how long to wait for a ready channel: {@code null} waits, zero just looks
     */
    public void store(Duration timeout) {
        storing.run(timeout);
    }

    /**
     * The default after a channel's data was stored: counts the result under pool options and,
     * with reuse, hands the child its next job ({@link ReuseHandOver}).
     *
     * @param entry the channel and its job
     */
    public void delivered(WatchedChannel entry) {
        reuse.delivered(entry);
    }

    // ---- jobs ----

    /**
     * Starts a job, or queues it when the exchange is busy ({@link JobStarter}).
     *
     * @param job the job
     * @throws IllegalStateException if the exchange is closed
     */
    public void submit(Job job) {
        checkOpen();
        starter.submit(job);
    }

    void startWaiting() {
        starter.startWaiting();
    }

    /** @return whether as many channels are active as the limit allows */
    public boolean busy() {
        return options.limit() > 0 && watch.size() >= options.limit();
    }

    /** @return whether channels are active or jobs are queued */
    public boolean unfinished() {
        return !watch.isEmpty() || !waiting.isEmpty();
    }

    /** @return the jobs queued and not started */
    public int queued() {
        return waiting.size();
    }

    // ---- pool options ----

    /**
     * Hears of a job's failure as the exchange's {@code storeData} receives it
     * ({@link SupervisedJobs#jobFailure}); without pool options, the failure as it is.
     *
     * @param failure what {@code receive} threw
     * @return the failure to keep for the job
     */
    public PProcessException jobFailure(PProcessException failure) {
        return supervised == null ? failure : supervised.jobFailure(failure);
    }

    /** Counts a job's result as the exchange's {@code storeData} receives it, under pool options. */
    public void jobDone() {
        if (supervised != null) {
            supervised.resolved(false);
        }
    }

    void reportProgress() {
        if (supervised != null) {
            supervised.reportProgress(closed);
        }
    }

    // ---- closing ----

    /** Marks the exchange cancelled and kills every watched child; safe from any thread. */
    public void cancel() {
        if (closed || cancelled) {
            return;
        }
        cancelled = true;
        watch.killAll();
    }

    /** @return whether {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Ends every watched child, closes their channels and drops queued jobs; idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting.clear();
        watch.close();
        reportProgress();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** @throws IllegalStateException if the exchange is closed */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("exchange is closed");
        }
    }
}

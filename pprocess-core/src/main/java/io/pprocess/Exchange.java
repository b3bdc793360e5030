package io.pprocess;

import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.NextJob;
import io.pprocess.internal.message.Wrapped;
import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.exchange.ChannelWatch;
import io.pprocess.internal.exchange.Job;
import io.pprocess.internal.exchange.JobQueue;
import io.pprocess.internal.exchange.SupervisedJobs;
import io.pprocess.internal.exchange.WatchedChannel;
import io.pprocess.internal.spawn.Launcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Watches many channels at once and runs many jobs under a limit on active processes: the
 * {@code Exchange} of pprocess.
 *
 * <p>Give it jobs with {@link #start} (or {@link #create}, {@link #manage}); it starts a child
 * per job, queueing jobs beyond the {@linkplain ExchangeOptions#limit limit} and starting them
 * as active children finish — {@code start} never blocks on a busy exchange. Drive it with
 * {@link #store()} or {@link #finish()}: each ready channel is handed to
 * {@link #storeData(Channel)}, which a subclass overrides or a {@link StoreHandler} supplies.
 *
 * <pre>{@code
 * List<Integer> results = new ArrayList<>();
 * try (Exchange exchange = new Exchange(ExchangeOptions.defaults().limit(4),
 *         channel -> results.add(channel.receive()))) {
 *     for (int i = 0; i < 10; i++) {
 *         exchange.start((Channel c, Integer n) -> c.send(n * n), i);
 *     }
 *     exchange.finish();
 * }
 * }</pre>
 *
 * <p><b>Ends of channels.</b> A channel is read to its end before it is dropped, so a last
 * message is never lost. A child that ends normally after delivering (or, when continuous,
 * at any point) is removed quietly. A child that dies, or ends without sending anything, is
 * reported once as ready: its {@link Channel#receive()} throws {@link ChildProcessException}
 * with its pid and exit status or signal, and it is removed afterwards.
 *
 * <p><b>Threads.</b> An exchange is used from one thread at a time. A second thread that calls
 * {@link #ready}, {@link #store} or a method that waits through them ({@link #finish},
 * {@link MapExchange#get}, iteration) while another thread is inside one gets an
 * {@link IllegalStateException} at once, and the exchange is not disturbed. {@link #close()}
 * ends every child it still watches and drops queued jobs.
 *
 * <p><b>Interrupts.</b> A thread interrupted while it waits in {@link #ready} (or that would
 * wait with its interrupt status set) gets a {@link ChannelInterruptedException}, its interrupt
 * status kept; the exchange, its children and their results are not disturbed, so the wait can
 * be repeated once the interrupt is dealt with.
 */
public class Exchange implements AutoCloseable {

    private static final long EXIT_GRACE_MILLIS = Setting.EXIT_GRACE_MILLIS.longValue(2000, 0);

    private final ExchangeOptions options;
    private final StoreHandler handler;
    /** The pool options applied to the jobs this exchange starts, or null without them. */
    private final SupervisedJobs supervised;
    /** The channels watched, their poller and the one-thread rule. */
    private final ChannelWatch watch;
    /** The jobs not started yet. */
    private final JobQueue waiting = new JobQueue();
    private volatile boolean closed;
    private volatile boolean cancelled;

    /** Creates an exchange with no limit; override {@link #storeData} to use it. */
    public Exchange() {
        this(ExchangeOptions.defaults(), null);
    }

    /**
     * Creates an exchange with a limit; override {@link #storeData} to use it.
     *
     * @param limit the most active channels, 0 for no limit
     */
    public Exchange(int limit) {
        this(ExchangeOptions.defaults().limit(limit), null);
    }

    /**
     * Creates an exchange; override {@link #storeData} to use it.
     *
     * @param options the options
     */
    public Exchange(ExchangeOptions options) {
        this(options, null);
    }

    /**
     * Creates an exchange whose ready channels go to {@code handler}.
     *
     * @param options the options
     * @param handler what {@link #storeData} does, or {@code null} to override it instead
     */
    public Exchange(ExchangeOptions options, StoreHandler handler) {
        if (options == null) {
            throw new NullPointerException("options == null");
        }
        this.options = options;
        this.handler = handler;
        this.watch = new ChannelWatch(options.autoclose());
        this.supervised = options.pool() == null ? null
                : new SupervisedJobs(checkPool(options), watch, waiting, this::jobFailed, this::reportsResolutions);
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

    /** @return this exchange's options */
    public ExchangeOptions options() {
        return options;
    }

    // ---- watching channels ----

    /**
     * Starts watching a channel.
     *
     * @param channel the parent's end of a channel from {@link PProcess} (or from this
     *     library's persistent processes)
     * @throws IllegalArgumentException if the channel is a child's end or not from this library
     * @throws IllegalStateException if the exchange is closed
     */
    public void add(Channel channel) {
        refuseForeignJobs("add");
        addEntry(new WatchedChannel(ChannelWatch.parentEnd(channel), null));
    }

    private void addEntry(WatchedChannel entry) {
        checkOpen();
        watch.add(entry, cancelled);
    }

    /**
     * Waits for capacity, then starts watching the channel (pprocess's {@code add_wait}).
     *
     * @param channel the channel
     */
    public void addWait(Channel channel) {
        refuseForeignJobs("add");
        awaitCapacity();
        add(channel);
    }

    /** @return the channels being watched, in the order they were added */
    public List<Channel> active() {
        return watch.channels();
    }

    /** @return the channels removed by the last {@link #ready} because they had ended */
    public List<Channel> removed() {
        return watch.removed();
    }

    /**
     * Stops watching a channel; with autoclose, closes it.
     *
     * @param channel the channel; nothing happens if it is not watched
     */
    public void remove(Channel channel) {
        watch.remove(channel);
    }

    /**
     * Waits for channels to have data, as pprocess's {@code ready}.
     *
     * <p>Returns the channels with a whole message waiting, plus any channel whose child ended
     * without finishing (its {@code receive()} then throws {@link ChildProcessException}; such
     * a channel is reported once and removed by the next call). Channels whose children
     * finished normally are removed and listed in {@link #removed()}.
     *
     * @param timeout how long to wait: {@code null} waits until a channel is ready or none is
     *     left, zero just looks
     * @return the ready channels, possibly empty
     * @throws ChannelInterruptedException if the thread was interrupted while waiting (or
     *     would have waited with its interrupt status set); the status stays set
     * @throws IllegalStateException if another thread is inside {@code ready} or {@code store}
     */
    public List<Channel> ready(Duration timeout) {
        checkOpen();
        Thread token = enterUse("ready");
        try {
            return watch.awaitReady(timeout, this::classify);
        } finally {
            exitUse(token);
        }
    }

    /**
     * Makes the calling thread the exchange's user for one call.
     *
     * @return the thread to give {@link #exitUse}, or {@code null} if it already was the user
     * @throws IllegalStateException if another thread is using the exchange
     */
    Thread enterUse(String operation) {
        return watch.enterUse(operation);
    }

    /** @return whether another thread is using the exchange now (a volatile read, no atomic update) */
    boolean usedByAnotherThread() {
        return watch.usedByAnotherThread();
    }

    void exitUse(Thread token) {
        watch.exitUse(token);
    }

    /**
     * Waits until a channel is ready (or none is left); see {@link #ready(Duration)}.
     *
     * @return the ready channels, possibly empty when none is left
     */
    public List<Channel> ready() {
        return ready(null);
    }

    /**
     * Takes in what a channel holds and sorts it: a whole message makes it ready; the end of a
     * child that finished its job removes it quietly; any other end makes it ready once, so
     * that its {@code receive} reports the failure.
     */
    private void classify(WatchedChannel entry, List<Channel> result) {
        switch (entry.channel.pollInput()) {
            case MESSAGE:
                result.add(entry.channel);
                break;
            case FINISHED:
                if (!awaitsResult(entry) || options.continuous() || cancelled) {
                    endQuietly(entry);
                } else if (!retried(entry)) {
                    reportEnd(entry, result);
                }
                break;
            case ENDED:
                if (cancelled || endedCleanly(entry)) {
                    endQuietly(entry);
                } else if (!retried(entry)) {
                    reportEnd(entry, result);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Tells whether a child that hung up without saying it had finished had done its job: a
     * delivered result, or (continuous) some results and a zero exit status.
     */
    private boolean endedCleanly(WatchedChannel entry) {
        if (awaitsResult(entry)) {
            return false;
        }
        if (!options.continuous()) {
            return true;
        }
        OptionalInt status = entry.channel.waitFor(Duration.ofMillis(EXIT_GRACE_MILLIS));
        return status.isPresent() && status.getAsInt() == 0;
    }

    private void reportEnd(WatchedChannel entry, List<Channel> result) {
        entry.reportedEnd = true;
        result.add(entry.channel);
    }

    private void endQuietly(WatchedChannel entry) {
        watch.drop(entry);
    }

    // ---- storing ----

    /**
     * Receives what the ready channels hold: waits as long as needed for one. See
     * {@link #store(Duration)}.
     */
    public void store() {
        store(null);
    }

    /**
     * Calls {@link #storeData} for each ready channel, then gives freed capacity to queued
     * jobs; with no channel active, just starts queued jobs up to the limit.
     *
     * <p>A channel whose child has ended is removed after its {@code storeData}; with reuse, a
     * child that has delivered its result is given the next queued job at once.
     *
     * @param timeout how long to wait for a ready channel: {@code null} waits, zero just looks
     * @throws RuntimeException whatever {@code storeData} throws (the exchange stays usable;
     *     call {@code store} or {@code finish} again to go on)
     */
    public void store(Duration timeout) {
        checkOpen();
        if (cancelled) {
            close();
            return;
        }
        Thread token = enterUse("store");
        try {
            storeReady(timeout);
        } finally {
            exitUse(token);
        }
    }

    private void storeReady(Duration timeout) {
        if (watch.isEmpty()) {
            startWaiting();
            reportProgress();
            return;
        }
        try {
            for (Channel channel : supervised == null ? ready(timeout)
                    : supervised.superviseAndWait(timeout, this::ready)) {
                WatchedChannel entry = watch.get(channel);
                if (entry == null) {
                    continue;
                }
                boolean stored = false;
                try {
                    callStoreData(entry);
                    stored = true;
                } finally {
                    afterStore(entry, stored);
                }
            }
        } finally {
            startWaiting();
            reportProgress();
        }
    }

    private void callStoreData(WatchedChannel entry) {
        try {
            storeData(entry.channel);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new PProcessException("storeData failed for the " + entry.channel + ": " + e, e);
        }
    }

    private void afterStore(WatchedChannel entry, boolean stored) {
        FrameChannel channel = entry.channel;
        if (entry.reportedEnd || !channel.isOpen()) {
            watch.drop(entry);
            return;
        }
        if (stored && !channel.hasBufferedInput()) {
            delivered(entry);
        }
    }

    /**
     * Called after a channel's data was stored and the channel is still up: with reuse, hands
     * the child its next job.
     *
     * @param entry the channel and its job
     */
    void delivered(WatchedChannel entry) {
        if (supervised != null) {
            supervised.delivered(entry);
        }
        if (options.reuse() && !options.continuous() && entry.job != null && Wrapped.isReusable(entry.job.task)) {
            if (supervised != null && supervised.shouldStop(entry)) {
                stopChild(entry);
                return;
            }
            handOver(entry);
        }
    }

    /** Gives a reusable child the next queued job of the same task, or tells it to stop. */
    private void handOver(WatchedChannel entry) {
        Job next;
        while ((next = waiting.takeNextOf(entry.job.task)) != null) {
            try {
                entry.channel.send(new NextJob(next.args));
                entry.job = next;
                entry.mark = entry.channel.messagesReceived();
                entry.itemStart = System.nanoTime();
                jobStarted(next, entry.channel);
                return;
            } catch (CodecException e) {
                if (supervised != null) {
                    supervised.resolved(true);
                }
                jobFailed(next, e);
            } catch (ChannelException e) {
                waiting.addFirst(next);
                return;
            }
        }
        stopChild(entry);
    }

    /** Tells a reusable child that has delivered its job to end. */
    private void stopChild(WatchedChannel entry) {
        try {
            entry.channel.sendUnacknowledged(null);
        } catch (ChannelException e) {
            // The child is already gone; its end is noticed by ready().
        }
        entry.job = null;
    }

    /**
     * Receives the data of a ready channel. The default calls the {@link StoreHandler} given
     * to the constructor; subclasses override it, typically as
     * {@code results.add(channel.receive())}.
     *
     * @param channel a channel with a message waiting, or one whose child ended (then
     *     {@code receive()} throws {@link ChildProcessException})
     * @throws Exception anything; it propagates from {@link #store()}
     */
    protected void storeData(Channel channel) throws Exception {
        if (handler == null) {
            throw new IllegalStateException("this Exchange has no StoreHandler and does not override"
                    + " storeData(Channel)");
        }
        handler.store(channel);
    }

    // ---- capacity ----

    /** @return whether as many channels are active as the limit allows */
    public boolean busy() {
        return options.limit() > 0 && watch.size() >= options.limit();
    }

    /** @return whether channels are active or jobs are queued */
    public boolean unfinished() {
        return !watch.isEmpty() || !waiting.isEmpty();
    }

    /** @return the number of jobs queued and not yet started */
    public int queued() {
        return waiting.size();
    }

    /** Stores data until the exchange is not busy (pprocess's {@code wait()}). */
    public void awaitCapacity() {
        while (busy()) {
            store();
        }
    }

    /** Stores data until no channel is active and no job is queued. */
    public void finish() {
        while (unfinished() && !closed) {
            step();
        }
    }

    /** One round of driving the exchange while a caller waits for results: a {@link #store()}. */
    void step() {
        store();
    }

    // ---- starting jobs ----

    /**
     * Starts {@code task} in a new child watched by this exchange, or queues it if the
     * exchange is busy (it starts as capacity frees). Never blocks on a busy exchange.
     *
     * @param task the work
     * @throws CodecException if the task cannot be serialised (nothing is started)
     */
    public void start(ChannelTask task) {
        submit(task, new Object[0]);
    }

    /**
     * Starts {@code task.run(channel, a)}; see {@link #start(ChannelTask)}.
     *
     * @param <A> the argument type
     * @param task the work
     * @param a the argument
     */
    public <A> void start(ChannelTask1<A> task, A a) {
        submit(task, new Object[] {a});
    }

    /**
     * Starts {@code task.run(channel, a, b)}; see {@link #start(ChannelTask)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     */
    public <A, B> void start(ChannelTask2<A, B> task, A a, B b) {
        submit(task, new Object[] {a, b});
    }

    /**
     * Starts {@code task.run(channel, a, b, c)}; see {@link #start(ChannelTask)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     */
    public <A, B, C> void start(ChannelTask3<A, B, C> task, A a, B b, C c) {
        submit(task, new Object[] {a, b, c});
    }

    /**
     * The fork-style form of {@link #start(ChannelTask)}: the block is what, in pprocess,
     * follows {@code exchange.create()} in the child; the parent gets nothing back, the new
     * channel being watched by the exchange.
     *
     * @param childBlock the code to run in the child
     */
    public void create(ChannelTask childBlock) {
        start(childBlock);
    }

    /**
     * Returns a callable that starts {@code task} in this exchange when called.
     *
     * @param task the work
     * @return a callable; each call is a {@link #start(ChannelTask)}
     */
    public Runnable manage(ChannelTask task) {
        refuseForeignJobs("manage");
        return () -> start(task);
    }

    /**
     * Returns a callable that starts {@code task} with its argument when called.
     *
     * @param <A> the argument type
     * @param task the work
     * @return a callable; each call is a {@link #start(ChannelTask1, Object)}
     */
    public <A> Consumer<A> manage(ChannelTask1<A> task) {
        refuseForeignJobs("manage");
        return a -> start(task, a);
    }

    /**
     * Returns a callable that starts {@code task} with its arguments when called.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param task the work
     * @return a callable; each call is a {@link #start(ChannelTask2, Object, Object)}
     */
    public <A, B> BiConsumer<A, B> manage(ChannelTask2<A, B> task) {
        refuseForeignJobs("manage");
        return (a, b) -> start(task, a, b);
    }

    /**
     * Returns a callable that starts {@code task} with its arguments when called.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param task the work
     * @return a callable; each call is a {@link #start(ChannelTask3, Object, Object, Object)}
     */
    public <A, B, C> Managed3<A, B, C> manage(ChannelTask3<A, B, C> task) {
        refuseForeignJobs("manage");
        return (a, b, c) -> start(task, a, b, c);
    }

    void submit(Object task, Object[] args) {
        submit(null, task, args);
    }

    private void submit(Path address, Object task, Object[] args) {
        checkOpen();
        refuseForeignJobs("start");
        if (task == null) {
            throw new NullPointerException("task == null");
        }
        Job job = new Job(task, args, reserveSlot(), address);
        if (supervised != null && job.ordinary() && supervised.refused(job)) {
            return;
        }
        if (busy() || !waiting.isEmpty()) {
            waiting.add(job);
            if (!busy()) {
                startWaiting();
            }
        } else {
            launch(job);
        }
    }

    private void startWaiting() {
        while (!busy() && !waiting.isEmpty() && !closed && !cancelled) {
            launch(waiting.poll());
        }
    }

    private void launch(Job job) {
        FrameChannel channel;
        try {
            if (job.ordinary() && supervised != null) {
                channel = Launcher.start(new Invocation(supervised.taskOf(job), job.args, null),
                        supervised.supervisor().jvmOptions());
            } else if (job.address == null) {
                channel = Launcher.start(new Invocation(job.task, job.args, null));
            } else {
                PProcess.persistent(job.address, options.persistent(), job.task, job.args);
                channel = (FrameChannel) PProcess.connectPersistent(job.address);
            }
        } catch (CodecException | ChildProcessException e) {
            if (supervised != null) {
                supervised.resolved(true);
            }
            jobFailed(job, e);
            return;
        } catch (PProcessException e) {
            if (job.address == null) {
                throw e;
            }
            jobFailed(job, e);
            return;
        }
        WatchedChannel entry = new WatchedChannel(channel, job);
        entry.itemStart = System.nanoTime();
        try {
            addEntry(entry);
        } catch (RuntimeException e) {
            channel.terminate();
            throw e;
        }
        jobStarted(job, channel);
    }

    // ---- persistent jobs ----

    /**
     * Starts {@code task} in a persistent background process at {@code address} and watches
     * it (pprocess's {@code PersistentExchange.start}); queued like any job when busy. See
     * {@link PProcess#startPersistent(Path, ChannelTask)} for what a persistent process is; the
     * exchange's {@link ExchangeOptions#persistent} options apply. Closing the exchange closes
     * the connection and leaves the process running.
     *
     * @param address the socket file path
     * @param task the work
     */
    public void start(Path address, ChannelTask task) {
        submit(requireAddress(address), task, new Object[0]);
    }

    /**
     * Starts {@code task.run(channel, a)} in a persistent background process at
     * {@code address}; see {@link #start(Path, ChannelTask)}.
     *
     * @param <A> the argument type
     * @param address the socket file path
     * @param task the work
     * @param a the argument
     */
    public <A> void start(Path address, ChannelTask1<A> task, A a) {
        submit(requireAddress(address), task, new Object[] {a});
    }

    /**
     * Starts {@code task.run(channel, a, b)} in a persistent background process; see
     * {@link #start(Path, ChannelTask)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param address the socket file path
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     */
    public <A, B> void start(Path address, ChannelTask2<A, B> task, A a, B b) {
        submit(requireAddress(address), task, new Object[] {a, b});
    }

    /**
     * Starts {@code task.run(channel, a, b, c)} in a persistent background process; see
     * {@link #start(Path, ChannelTask)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param address the socket file path
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     */
    public <A, B, C> void start(Path address, ChannelTask3<A, B, C> task, A a, B b, C c) {
        submit(requireAddress(address), task, new Object[] {a, b, c});
    }

    /**
     * The fork-style form of {@link #start(Path, ChannelTask)}.
     *
     * @param address the socket file path
     * @param childBlock the persistent child's code
     */
    public void create(Path address, ChannelTask childBlock) {
        start(address, childBlock);
    }

    /**
     * Returns a callable that starts {@code task} at {@code address} when called.
     *
     * @param address the socket file path
     * @param task the work
     * @return the callable
     */
    public Runnable manage(Path address, ChannelTask task) {
        refuseForeignJobs("manage");
        return () -> start(address, task);
    }

    /**
     * Returns a callable that starts {@code task} with its argument at {@code address}.
     *
     * @param <A> the argument type
     * @param address the socket file path
     * @param task the work
     * @return the callable
     */
    public <A> Consumer<A> manage(Path address, ChannelTask1<A> task) {
        refuseForeignJobs("manage");
        return a -> start(address, task, a);
    }

    /**
     * Returns a callable that starts {@code task} with its arguments at {@code address}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param address the socket file path
     * @param task the work
     * @return the callable
     */
    public <A, B> BiConsumer<A, B> manage(Path address, ChannelTask2<A, B> task) {
        refuseForeignJobs("manage");
        return (a, b) -> start(address, task, a, b);
    }

    /**
     * Returns a callable that starts {@code task} with its arguments at {@code address}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param address the socket file path
     * @param task the work
     * @return the callable
     */
    public <A, B, C> Managed3<A, B, C> manage(Path address, ChannelTask3<A, B, C> task) {
        refuseForeignJobs("manage");
        return (a, b, c) -> start(address, task, a, b, c);
    }

    /**
     * Connects to the persistent process at {@code address} and watches the channel, as the
     * next job (pprocess's {@code PersistentExchange.connect}): a {@link MapExchange} keeps its
     * results at the next index.
     *
     * @param address the socket file path
     * @throws ChannelException naming the address if nothing of ours listens there
     */
    public void connect(Path address) {
        checkOpen();
        refuseForeignJobs("connect");
        FrameChannel channel = (FrameChannel) PProcess.connectPersistent(requireAddress(address));
        Job job = new Job(null, new Object[0], reserveSlot(), address);
        addEntry(new WatchedChannel(channel, job));
    }

    private static Path requireAddress(Path address) {
        if (address == null) {
            throw new NullPointerException("address == null");
        }
        return address.toAbsolutePath();
    }

    // ---- hooks for MapExchange and QueueExchange ----

    /**
     * Throws if this exchange takes no jobs but its own, so that none given to it is lost.
     *
     * @param method the public method called, for the message
     * @throws IllegalStateException from an exchange that refuses them (a {@code pmap} result)
     */
    void refuseForeignJobs(String method) {
    }

    /**
     * Watches a channel to a child that already runs {@code job} (a warm worker given its
     * job), as if this exchange had started it.
     *
     * @param channel the parent's end
     * @param job the job it runs
     */
    void adopt(FrameChannel channel, Job job) {
        addEntry(new WatchedChannel(channel, job));
        jobStarted(job, channel);
    }

    /**
     * Stops watching a channel without closing it, handing it to the caller.
     *
     * @param entry the channel and its job
     */
    void detach(WatchedChannel entry) {
        watch.detach(entry);
    }

    /**
     * Tells whether the child on a channel still owes the result of its current job, so that
     * its end is a failure.
     *
     * @param entry the channel and its job
     * @return whether a result is still expected
     */
    boolean awaitsResult(WatchedChannel entry) {
        return !entry.jobDelivered();
    }

    /** @return the slot of a new job; -1 when results are not kept in slots */
    int reserveSlot() {
        return -1;
    }

    /**
     * Called when a job runs on a channel.
     *
     * @param job the job
     * @param channel its channel
     */
    void jobStarted(Job job, Channel channel) {
    }

    /**
     * Called when a job cannot be started (its task cannot be serialised, or the child died
     * before connecting). The default throws.
     *
     * @param job the job
     * @param failure why
     */
    void jobFailed(Job job, RuntimeException failure) {
        throw failure;
    }

    /**
     * @param channel a watched channel
     * @return the slot of the job it runs now, or -1
     */
    int slotOf(Channel channel) {
        WatchedChannel entry = watch.get(channel);
        return entry == null || entry.job == null ? -1 : entry.job.slot;
    }

    /**
     * Tells whether a channel is still watched.
     *
     * @param channel a channel
     * @return whether it is
     */
    boolean watching(Channel channel) {
        return watch.contains(channel);
    }

    /**
     * @param channel a channel
     * @return its entry, or {@code null} if it is not watched
     */
    WatchedChannel entryOf(Channel channel) {
        return watch.get(channel);
    }

    /** @return how many channels are watched */
    int activeCount() {
        return watch.size();
    }

    // ---- pool options ----

    /**
     * Tells whether the death of a supervised child that owed its job's result queued the job
     * again ({@link SupervisedJobs#retried}); never without pool options.
     */
    private boolean retried(WatchedChannel entry) {
        return supervised != null && supervised.retried(entry, cancelled);
    }

    /**
     * Hears of a job's failure as a subclass's {@code storeData} receives it, under pool
     * options: counts it, and when it says that the child's worker initialiser failed, fails
     * every queued job (and every later one) with it instead of starting more children.
     *
     * @param failure what {@code receive} threw
     * @return the failure to keep for the job
     */
    PProcessException jobFailure(PProcessException failure) {
        return supervised == null ? failure : supervised.jobFailure(failure);
    }

    /** Counts a job's result as a subclass's {@code storeData} receives it, under pool options. */
    void jobDone() {
        if (supervised != null) {
            supervised.resolved(false);
        }
    }

    /** @return whether the subclass counts its jobs' results ({@link #jobDone}, {@link #jobFailure}) */
    boolean reportsResolutions() {
        return false;
    }

    private void reportProgress() {
        if (supervised != null) {
            supervised.reportProgress(closed);
        }
    }

    // ---- closing ----

    /**
     * Cancels the exchange from any thread: kills (SIGKILL) every child it watches now, at
     * once, and makes it start nothing more. The thread using the exchange finds it closed at
     * its next call: a {@link MapExchange} result that had not arrived throws
     * {@link CancelledException}, and a blocked {@code store}, {@code get} or iteration
     * returns or throws as soon as the killed children's channels end (within milliseconds).
     * Results that arrived before are kept. Idempotent; does nothing on a closed exchange.
     */
    public void cancel() {
        if (closed || cancelled) {
            return;
        }
        cancelled = true;
        watch.killAll();
    }

    /** @return whether {@link #cancel()} has been called */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Ends every child still watched (SIGKILL), closes their channels and drops queued jobs.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting.clear();
        watch.close();
        reportProgress();
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("exchange is closed");
        }
    }
}

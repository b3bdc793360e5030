package io.pprocess;

import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.exchange.ExchangeCore;
import io.pprocess.internal.exchange.ExchangeHooks;
import io.pprocess.internal.exchange.Job;
import io.pprocess.internal.exchange.WatchedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    private final ExchangeOptions options;
    private final StoreHandler handler;
    /**
     * The working parts (channel watching, the job queue, the ready-channel policy, storing,
     * reuse, starting jobs, pool options): this class checks arguments, keeps the one-thread
     * rule around each call and gives its overridable steps to them as {@link ExchangeHooks}.
     */
    private final ExchangeCore core;

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
        this.core = new ExchangeCore(options, new Hooks());
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
        core.add(channel);
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
        return core.active();
    }

    /** @return the channels removed by the last {@link #ready} because they had ended */
    public List<Channel> removed() {
        return core.removed();
    }

    /**
     * Stops watching a channel; with autoclose, closes it.
     *
     * @param channel the channel; nothing happens if it is not watched
     */
    public void remove(Channel channel) {
        core.remove(channel);
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
            return core.ready(timeout);
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
        return core.enterUse(operation);
    }

    /** @return whether another thread is using the exchange now (a volatile read, no atomic update) */
    boolean usedByAnotherThread() {
        return core.usedByAnotherThread();
    }

    void exitUse(Thread token) {
        core.exitUse(token);
    }

    /**
     * Waits until a channel is ready (or none is left); see {@link #ready(Duration)}.
     *
     * @return the ready channels, possibly empty when none is left
     */
    public List<Channel> ready() {
        return ready(null);
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
        if (core.isCancelled()) {
            close();
            return;
        }
        Thread token = enterUse("store");
        try {
            core.store(timeout);
        } finally {
            exitUse(token);
        }
    }

    /**
     * Called after a channel's data was stored and the channel is still up: with reuse, hands
     * the child its next job.
     *
     * @param entry the channel and its job
     */
    void delivered(WatchedChannel entry) {
        core.delivered(entry);
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
        return core.busy();
    }

    /** @return whether channels are active or jobs are queued */
    public boolean unfinished() {
        return core.unfinished();
    }

    /** @return the number of jobs queued and not yet started */
    public int queued() {
        return core.queued();
    }

    /** Stores data until the exchange is not busy (pprocess's {@code wait()}). */
    public void awaitCapacity() {
        while (busy()) {
            store();
        }
    }

    /** Stores data until no channel is active and no job is queued. */
    public void finish() {
        while (unfinished() && !isClosed()) {
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
        core.submit(new Job(task, args, reserveSlot(), address));
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
        core.connect(requireAddress(address), this::reserveSlot);
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
        core.adopt(channel, job);
    }

    /**
     * Stops watching a channel without closing it, handing it to the caller.
     *
     * @param entry the channel and its job
     */
    void detach(WatchedChannel entry) {
        core.detach(entry);
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
        WatchedChannel entry = core.entryOf(channel);
        return entry == null || entry.job == null ? -1 : entry.job.slot;
    }

    /**
     * Tells whether a channel is still watched.
     *
     * @param channel a channel
     * @return whether it is
     */
    boolean watching(Channel channel) {
        return core.watching(channel);
    }

    /**
     * @param channel a channel
     * @return its entry, or {@code null} if it is not watched
     */
    WatchedChannel entryOf(Channel channel) {
        return core.entryOf(channel);
    }

    /** @return how many channels are watched */
    int activeCount() {
        return core.activeCount();
    }

    // ---- pool options ----

    /**
     * Hears of a job's failure as a subclass's {@code storeData} receives it, under pool
     * options: counts it, and when it says that the child's worker initialiser failed, fails
     * every queued job (and every later one) with it instead of starting more children.
     *
     * @param failure what {@code receive} threw
     * @return the failure to keep for the job
     */
    PProcessException jobFailure(PProcessException failure) {
        return core.jobFailure(failure);
    }

    /** Counts a job's result as a subclass's {@code storeData} receives it, under pool options. */
    void jobDone() {
        core.jobDone();
    }

    /** @return whether the subclass counts its jobs' results ({@link #jobDone}, {@link #jobFailure}) */
    boolean reportsResolutions() {
        return false;
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
        core.cancel();
    }

    /** @return whether {@link #cancel()} has been called */
    public boolean isCancelled() {
        return core.isCancelled();
    }

    /**
     * Ends every child still watched (SIGKILL), closes their channels and drops queued jobs.
     * Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return core.isClosed();
    }

    private void checkOpen() {
        core.checkOpen();
    }

    /** Gives the parts this exchange's overridable steps, without making them public. */
    private final class Hooks implements ExchangeHooks {
        @Override
        public List<Channel> ready(Duration timeout) {
            return Exchange.this.ready(timeout);
        }

        @Override
        public void storeData(Channel channel) throws Exception {
            Exchange.this.storeData(channel);
        }

        @Override
        public void delivered(WatchedChannel entry) {
            Exchange.this.delivered(entry);
        }

        @Override
        public boolean awaitsResult(WatchedChannel entry) {
            return Exchange.this.awaitsResult(entry);
        }

        @Override
        public void jobStarted(Job job, Channel channel) {
            Exchange.this.jobStarted(job, channel);
        }

        @Override
        public void jobFailed(Job job, RuntimeException failure) {
            Exchange.this.jobFailed(job, failure);
        }

        @Override
        public boolean reportsResolutions() {
            return Exchange.this.reportsResolutions();
        }
    }
}

package io.pprocess;

import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.NextJob;
import io.pprocess.internal.message.Wrapped;
import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.exchange.Supervisor;
import io.pprocess.internal.spawn.Launcher;
import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.transport.LinkWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** A job waiting for (or running in) a child. */
    static final class Job {
        final Object task;
        final Object[] args;
        final int slot;
        /** The persistent process's address, or null for an ordinary child. */
        final Path address;

        Job(Object task, Object[] args, int slot, Path address) {
            this.task = task;
            this.args = args;
            this.slot = slot;
            this.address = address;
        }
    }

    /** A watched channel and the job it runs. */
    static final class Entry extends Supervisor.Watched {
        final FrameChannel channel;
        Job job;
        boolean reportedEnd;
        /** Messages received before the current job began (reuse). */
        long mark;
        /** The last job counted as delivered (pool options). */
        Job counted;

        @Override
        public long pid() {
            return channel.pid();
        }

        /** Whether it runs a job this exchange started and supervises, whose result has not come. */
        @Override
        public boolean busy() {
            return job != null && job.address == null && job.task != null && !jobDelivered();
        }

        boolean jobDelivered() {
            return job == null || channel.messagesReceived() > mark;
        }

        Entry(FrameChannel channel, Job job) {
            this.channel = channel;
            this.job = job;
        }
    }

    private static final long EXIT_GRACE_MILLIS = Setting.EXIT_GRACE_MILLIS.longValue(2000, 0);

    private final ExchangeOptions options;
    private final StoreHandler handler;
    /** The pool options' policy over the jobs this exchange starts, or null without them. */
    private final Supervisor supervisor;
    /** Set when a child's worker initialiser failed: queued jobs and later ones fail with it. */
    private PProcessException initializerFailure;
    private final Map<Channel, Entry> active = new LinkedHashMap<>();
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final List<Channel> removed = new ArrayList<>();
    /** Watches the channels' links, of whichever kind. */
    private final LinkWatcher watcher = new LinkWatcher();
    private volatile boolean closed;
    /** Jobs submitted under pool options, for progress. */
    private int submitted;
    private volatile boolean cancelled;
    /** The processes of the watched channels, for {@link #cancel()} from another thread. */
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    /** The thread inside {@link #ready} or {@link #store}, if any. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> user =
            new java.util.concurrent.atomic.AtomicReference<>();

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
        this.supervisor = options.pool() == null ? null : new Supervisor(checkPool(options), "exchange");
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
        addEntry(new Entry(frameChannel(channel), null));
    }

    private void addEntry(Entry entry) {
        checkOpen();
        try {
            watcher.register(entry.channel.link(), entry);
        } catch (IOException e) {
            throw new ChannelException("cannot watch the " + entry.channel + ": " + e.getMessage(), e);
        }
        active.put(entry.channel, entry);
        if (entry.channel.process() != null) {
            live.add(entry.channel.process());
        }
        if (cancelled && entry.channel.process() != null) {
            entry.channel.process().kill();
        }
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
        return List.copyOf(active.keySet());
    }

    /** @return the channels removed by the last {@link #ready} because they had ended */
    public List<Channel> removed() {
        return Collections.unmodifiableList(removed);
    }

    /**
     * Stops watching a channel; with autoclose, closes it.
     *
     * @param channel the channel; nothing happens if it is not watched
     */
    public void remove(Channel channel) {
        Entry entry = active.remove(channel);
        if (entry == null) {
            return;
        }
        if (entry.channel.process() != null) {
            live.remove(entry.channel.process());
        }
        watcher.deregister(entry.channel.link());
        if (options.autoclose()) {
            entry.channel.close();
        }
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
            return awaitReady(timeout);
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
        Thread me = Thread.currentThread();
        while (true) {
            if (user.compareAndSet(null, me)) {
                return me;
            }
            Thread other = user.get();
            if (other == me) {
                return null;
            }
            if (other != null) {
                throw new IllegalStateException(operation + " on an exchange from thread \"" + me.getName()
                        + "\" while thread \"" + other.getName() + "\" is using it: an exchange is used from one"
                        + " thread at a time");
            }
        }
    }

    /**
     * @return whether another thread is using the exchange now: a volatile read, with none of
     *     {@link #enterUse}'s atomic update, for reads that need no use of their own
     */
    boolean usedByAnotherThread() {
        Thread other = user.get();
        return other != null && other != Thread.currentThread();
    }

    void exitUse(Thread token) {
        if (token != null) {
            user.set(null);
        }
    }

    private List<Channel> awaitReady(Duration timeout) {
        removed.clear();
        dropReportedEnds();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        List<Channel> result = new ArrayList<>();
        while (true) {
            for (Entry entry : List.copyOf(active.values())) {
                if (entry.channel.hasBufferedInput()) {
                    classify(entry, result);
                }
            }
            if (!result.isEmpty() || active.isEmpty()) {
                return result;
            }
            long wait;
            if (timeout == null) {
                wait = -1;
            } else {
                long left = deadline - System.nanoTime();
                wait = left <= 0 ? 0 : Math.max(1, left / 1_000_000);
            }
            if (wait != 0 && Thread.currentThread().isInterrupted()) {
                throw new ChannelInterruptedException("interrupted while waiting for ready channels among "
                        + active.size() + " active; the exchange stays usable", null);
            }
            List<Object> selected;
            try {
                selected = watcher.select(wait);
            } catch (IOException e) {
                throw new ChannelException("cannot wait for channels: " + e.getMessage(), e);
            }
            for (Object o : selected) {
                Entry entry = (Entry) o;
                if (active.get(entry.channel) == entry && !result.contains(entry.channel)) {
                    classify(entry, result);
                }
            }
            if (!result.isEmpty() || (timeout != null && System.nanoTime() - deadline >= 0)) {
                return result;
            }
        }
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
    private void classify(Entry entry, List<Channel> result) {
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
    private boolean endedCleanly(Entry entry) {
        if (awaitsResult(entry)) {
            return false;
        }
        if (!options.continuous()) {
            return true;
        }
        OptionalInt status = entry.channel.waitFor(Duration.ofMillis(EXIT_GRACE_MILLIS));
        return status.isPresent() && status.getAsInt() == 0;
    }

    private void reportEnd(Entry entry, List<Channel> result) {
        entry.reportedEnd = true;
        result.add(entry.channel);
    }

    private void endQuietly(Entry entry) {
        remove(entry.channel);
        removed.add(entry.channel);
        entry.channel.close();
    }

    private void dropReportedEnds() {
        List<Entry> ended = new ArrayList<>();
        for (Entry entry : active.values()) {
            if (entry.reportedEnd) {
                ended.add(entry);
            }
        }
        for (Entry entry : ended) {
            remove(entry.channel);
            entry.channel.close();
            removed.add(entry.channel);
        }
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
        if (active.isEmpty()) {
            startWaiting();
            reportProgress();
            return;
        }
        try {
            for (Channel channel : supervisor == null ? ready(timeout) : superviseAndWait(timeout)) {
                Entry entry = active.get(channel);
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

    private void callStoreData(Entry entry) {
        try {
            storeData(entry.channel);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new PProcessException("storeData failed for the " + entry.channel + ": " + e, e);
        }
    }

    private void afterStore(Entry entry, boolean stored) {
        FrameChannel channel = entry.channel;
        if (entry.reportedEnd || !channel.isOpen()) {
            remove(channel);
            channel.close();
            removed.add(channel);
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
    void delivered(Entry entry) {
        if (supervisor != null && entry.job != null && entry.job.address == null && entry.job != entry.counted
                && entry.jobDelivered()) {
            entry.counted = entry.job;
            entry.itemsDone++;
            if (!reportsResolutions()) {
                supervisor.resolved(false);
            }
        }
        if (options.reuse() && !options.continuous() && entry.job != null && Wrapped.isReusable(entry.job.task)) {
            if (supervisor != null && (supervisor.shouldRecycle(entry) || initializerFailure != null
                    || entry.killedFor != null)) {
                stopChild(entry);
                return;
            }
            handOver(entry);
        }
    }

    /** Gives a reusable child the next queued job of the same task, or tells it to stop. */
    private void handOver(Entry entry) {
        Iterator<Job> it = waiting.iterator();
        while (it.hasNext()) {
            Job next = it.next();
            if (next.task != entry.job.task) {
                continue;
            }
            it.remove();
            try {
                entry.channel.send(new NextJob(next.args));
                entry.job = next;
                entry.mark = entry.channel.messagesReceived();
                entry.itemStart = System.nanoTime();
                jobStarted(next, entry.channel);
                return;
            } catch (CodecException e) {
                if (supervisor != null) {
                    supervisor.resolved(true);
                }
                jobFailed(next, e);
                it = waiting.iterator();
            } catch (ChannelException e) {
                waiting.addFirst(next);
                return;
            }
        }
        stopChild(entry);
    }

    /** Tells a reusable child that has delivered its job to end. */
    private void stopChild(Entry entry) {
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
        return options.limit() > 0 && active.size() >= options.limit();
    }

    /** @return whether channels are active or jobs are queued */
    public boolean unfinished() {
        return !active.isEmpty() || !waiting.isEmpty();
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
        if (supervisor != null && address == null) {
            submitted++;
            PProcessException refused = initializerFailure != null ? initializerFailed(initializerFailure)
                    : supervisor.deadlinePassed() ? supervisor.deadlineFailure(0) : null;
            if (refused != null) {
                failJobs(List.of(job), j -> refused);
                return;
            }
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
            if (job.address == null && supervisor != null) {
                Object task = supervisor.options().initializer() == null ? job.task
                        : Batches.initialising(job.task, supervisor.options().initializer());
                channel = Launcher.start(new Invocation(task, job.args, null), supervisor.jvmOptions());
            } else if (job.address == null) {
                channel = Launcher.start(new Invocation(job.task, job.args, null));
            } else {
                PProcess.persistent(job.address, options.persistent(), job.task, job.args);
                channel = (FrameChannel) PProcess.connectPersistent(job.address);
            }
        } catch (CodecException | ChildProcessException e) {
            if (supervisor != null) {
                supervisor.resolved(true);
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
        Entry entry = new Entry(channel, job);
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
        addEntry(new Entry(channel, job));
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
        addEntry(new Entry(channel, job));
        jobStarted(job, channel);
    }

    /**
     * Stops watching a channel without closing it, handing it to the caller.
     *
     * @param entry the channel and its job
     */
    void detach(Entry entry) {
        if (active.remove(entry.channel) != null) {
            watcher.deregister(entry.channel.link());
            if (entry.channel.process() != null) {
                live.remove(entry.channel.process());
            }
        }
    }

    /**
     * Tells whether the child on a channel still owes the result of its current job, so that
     * its end is a failure.
     *
     * @param entry the channel and its job
     * @return whether a result is still expected
     */
    boolean awaitsResult(Entry entry) {
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
        Entry entry = active.get(channel);
        return entry == null || entry.job == null ? -1 : entry.job.slot;
    }

    /**
     * Tells whether a channel is still watched.
     *
     * @param channel a channel
     * @return whether it is
     */
    boolean watching(Channel channel) {
        return active.containsKey(channel);
    }

    /**
     * @param channel a channel
     * @return its entry, or {@code null} if it is not watched
     */
    Entry entryOf(Channel channel) {
        return active.get(channel);
    }

    /** @return how many channels are watched */
    int activeCount() {
        return active.size();
    }

    // ---- pool options ----

    /**
     * Waits as {@link #ready(Duration)} does, but only until the next check of the pool
     * options is due, checking them (time limits, memory, deadline) between waits.
     */
    private List<Channel> superviseAndWait(Duration timeout) {
        long end = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            long now = System.nanoTime();
            supervise(now);
            long until = supervisor.untilNextCheck(active.values(), now);
            Duration wait;
            if (timeout != null && end - now <= 0) {
                wait = Duration.ZERO;
            } else if (until == Long.MAX_VALUE && timeout == null) {
                wait = null;
            } else {
                wait = Duration.ofNanos(Math.max(1_000_000L, Math.min(until, end - now)));
            }
            List<Channel> ready = ready(wait);
            if (!ready.isEmpty() || active.isEmpty() || (timeout != null && System.nanoTime() - end >= 0)) {
                supervise(System.nanoTime());
                return ready;
            }
        }
    }

    /** Kills the children over a limit, each for its reason; fails everything at the deadline. */
    private void supervise(long now) {
        if (supervisor.deadlineDue(now)) {
            for (Entry entry : active.values()) {
                if (entry.busy() && entry.killedFor == null) {
                    entry.killedFor = supervisor.deadlineFailure(entry.pid());
                    entry.channel.killFor(entry.killedFor);
                }
            }
            List<Job> dropped = new ArrayList<>();
            for (Job job : waiting) {
                if (job.address == null) {
                    dropped.add(job);
                }
            }
            waiting.removeAll(dropped);
            failJobs(dropped, job -> supervisor.deadlineFailure(0));
            return;
        }
        supervisor.checkWorkers(active.values(), now, (entry, why) -> entry.channel.killFor(why));
    }

    /**
     * Decides what the death of a supervised child that owed its job's result means: the job
     * is queued again (at the front) while it has retries left, or its channel's
     * {@code receive} will throw the final failure, every earlier attempt's cause attached.
     *
     * @return whether the job was queued again (the channel is then dropped quietly)
     */
    private boolean retried(Entry entry) {
        if (supervisor == null || !entry.busy()) {
            return false;
        }
        // A task that returned without a result would do the same again: only deaths are retried.
        if (!entry.channel.peerFinished()) {
            Job job = entry.job;
            PProcessException end = entry.channel.endCause();
            PProcessException cause = supervisor.describeDeath(end);
            if (initializerFailure == null && !cancelled && !supervisor.deadlinePassed()
                    && supervisor.retry(job, cause)) {
                entry.job = null;
                remove(entry.channel);
                entry.channel.close();
                waiting.addFirst(job);
                return true;
            }
            PProcessException last = supervisor.finalFailure(job, cause);
            if (last != end || last.getSuppressed().length > 0) {
                entry.channel.failWith(last);
            }
        }
        if (!reportsResolutions()) {
            supervisor.resolved(true);
        }
        return false;
    }

    /**
     * Fails jobs that will not run, through {@link #jobFailed}; what it throws (a plain
     * exchange's does) is thrown after all are failed, the others suppressed.
     */
    private void failJobs(List<Job> jobs, java.util.function.Function<Job, PProcessException> failure) {
        RuntimeException first = null;
        for (Job job : jobs) {
            supervisor.resolved(true);
            try {
                jobFailed(job, failure.apply(job));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
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
        if (supervisor == null) {
            return failure;
        }
        supervisor.resolved(true);
        if (!Batches.isInitializerFailure(failure)) {
            return failure;
        }
        PProcessException converted = initializerFailed(failure);
        if (initializerFailure == null) {
            initializerFailure = failure;
            List<Job> dropped = new ArrayList<>();
            for (Job job : waiting) {
                if (job.address == null) {
                    dropped.add(job);
                }
            }
            waiting.removeAll(dropped);
            failJobs(dropped, job -> initializerFailed(failure));
        }
        return converted;
    }

    private static PProcessException initializerFailed(PProcessException remote) {
        String message = remote instanceof RemoteException ? ((RemoteException) remote).remoteMessage()
                : remote.getMessage();
        return new PProcessException(message, remote);
    }

    /** Counts a job's result as a subclass's {@code storeData} receives it, under pool options. */
    void jobDone() {
        if (supervisor != null) {
            supervisor.resolved(false);
        }
    }

    /** @return whether the subclass counts its jobs' results ({@link #jobDone}, {@link #jobFailure}) */
    boolean reportsResolutions() {
        return false;
    }

    private void reportProgress() {
        if (supervisor == null || supervisor.options().progress() == null) {
            return;
        }
        long inFlight = 0;
        for (Entry entry : active.values()) {
            if (entry.busy()) {
                inFlight++;
            }
        }
        supervisor.progress(inFlight, submitted, closed);
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
        for (ChildProcess process : live) {
            process.kill();
        }
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
        for (Entry entry : active.values()) {
            entry.channel.terminate();
        }
        active.clear();
        live.clear();
        watcher.close();
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

    private static FrameChannel frameChannel(Channel channel) {
        if (!(channel instanceof FrameChannel)) {
            throw new IllegalArgumentException("not a pprocess channel: " + channel);
        }
        if (channel.pid() == 0) {
            throw new IllegalArgumentException("an exchange watches parents' ends; this is a child's end");
        }
        return (FrameChannel) channel;
    }
}

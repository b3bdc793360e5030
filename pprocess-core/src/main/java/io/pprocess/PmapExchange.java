package io.pprocess;

import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.InitFailed;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.exchange.Supervisor;
import io.pprocess.internal.exchange.Job;
import io.pprocess.internal.exchange.WarmWorkers;
import io.pprocess.internal.exchange.WatchedChannel;
import io.pprocess.internal.spawn.KeptWorkers;
import io.pprocess.internal.spawn.Launcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The map behind {@link PProcess#pmap}: a few reused worker children, each given chunks of
 * consecutive items (guided scheduling: a share of what is left, so chunks shrink towards the
 * end and the workers finish together, but not below about {@link #MIN_CHUNK_NANOS} of the
 * items' measured time) and reporting each item's result as it goes ({@link Batches}). A chunk
 * is sent without waiting for its acknowledgement ({@link FrameChannel#sendAcknowledgedLater}):
 * the parent serves the other workers meanwhile, and the acknowledgement, taken in later, tells
 * whether a worker that died had received its chunk.
 *
 * <p><b>Deaths.</b> A worker that dies fails only the item it was running (the first of its
 * chunk not yet reported), with its own exception; what it reported is kept; the rest of its
 * chunk goes back to the front of the queue for the next free worker (all of it when the
 * worker had not acknowledged the chunk: it never received it); a replacement is started
 * (also when a worker dies while its JVM starts). With retries, the item itself goes back too,
 * alone, until its attempts are spent.
 *
 * <p><b>Input.</b> A {@code Collection} is copied at the call. Any other input is read as
 * workers need items, at most {@code maxInFlight} ahead of the reader's iterator, which lets go
 * of each result it has returned.
 *
 * <p>Workers are kept warm for a while after the map is done ({@link WarmWorkers}) and the
 * next {@code pmap} takes them instead of starting JVMs. When workers are kept between programs
 * ({@link KeptWorkers}) and this JVM has none warm, the kept workers a map needs are claimed
 * first thing, on threads of their own, while the calling thread checks the function and sets
 * the map up ({@link PmapClaims#create}).
 *
 * @param <R> the result type
 */
final class PmapExchange<R> extends MapExchange<R> {
    private static final int SHARE = 4;
    private static final int MAX_CHUNK = 4096;
    /**
     * The least work a chunk is given once the items' time is known, in nanoseconds: a chunk
     * costs a message each way and the wake-ups of both ends (about half a millisecond on a
     * busy machine), so the guided chunks stop shrinking at about this much work.
     */
    private static final long MIN_CHUNK_NANOS = 1_000_000L;
    private static final int IN_FLIGHT_PER_WORKER = 1024;
    /** Workers in a row that end with an exit status before connecting: the JVM cannot start. */
    private static final int START_FAILURES_BY_STATUS = 3;
    /** Workers in a row killed by a signal before connecting. */
    private static final int START_FAILURES_BY_SIGNAL = 20;
    private static final long START_POLL_MILLIS = 10;
    private static final Executor STARTER = PmapClaims.STARTER;

    /** A worker child and where it is in its chunk. */
    private static final class Worker extends Supervisor.Watched {
        /** The chunk it runs, or null when idle. */
        Chunk chunk;
        /** The first item of the chunk not yet reported: the one it is running. */
        int next;
        /** The item it was running when the parent killed it. */
        int killedIndex = -1;

        Worker(FrameChannel channel) {
            super(channel);
        }

        @Override
        public boolean busy() {
            return chunk != null;
        }

        int end() {
            return chunk.base() + chunk.items().length;
        }
    }

    private final Object function;
    private final Object task;
    private final Setup setup;
    private final PoolOptions pool;
    private final Supervisor supervisor;
    private final int target;
    private final List<String> jvmOptions;

    /** Input given as a collection, copied, or null. */
    private final Object[] array;
    /** Input read lazily, or null. */
    private final Iterator<?> input;
    private final AutoCloseable inputResource;
    private final int maxInFlight;
    /** Items read from a lazy input and not yet handed out; the first has index {@code cursor}. */
    private final ArrayDeque<Object> buffered = new ArrayDeque<>();
    private int read;
    private boolean inputDone;
    /** The next item never handed out. */
    private int cursor;

    /** Items to hand out before fresh ones: the rest of dead workers' chunks, and retries. */
    private final ArrayDeque<Chunk> requeued = new ArrayDeque<>();
    private final Map<Channel, Worker> workers = new IdentityHashMap<>();
    /** Worker JVMs starting on threads of their own, so that the others are served meanwhile. */
    private final List<CompletableFuture<FrameChannel>> starting = new CopyOnWriteArrayList<>();
    /**
     * Claims of kept workers made at the call ({@link PmapClaims#create}) and not yet given a task: each
     * gives a claimed worker's channel, or {@code null} when no kept worker was free.
     */
    private final ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claims;
    private int startFailuresByStatus;
    private int startFailuresBySignal;
    /** Items reported, and the time from hand-out (or the last report) to their report: the items' time. */
    private long itemsTimed;
    private long nanosTimed;
    /** Set when no item can be run any more (the initialiser failed, no worker starts): the rest failed. */
    private boolean stopped;
    private int resolved;

    /** Made by {@link PmapClaims#create}, which has checked {@code fn} and {@code pool} and begun the claims. */
    <T> PmapExchange(SerializableFunction<T, R> fn, Object items, PoolOptions pool,
                             ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claims) {
        super(ExchangeOptions.defaults().limit(pool.workers() == 0 ? PProcess.numberOfCores() : pool.workers()));
        if (items == null) {
            throw new NullPointerException("items == null");
        }
        this.claims = claims;
        this.pool = pool;
        this.function = fn;
        this.setup = new Setup(pool.initializer(), pool.recycleAboveHeap() > 0);
        this.task = Batches.worker(fn, setup);
        this.supervisor = new Supervisor(pool, "pmap");
        this.jvmOptions = supervisor.jvmOptions();
        int limit = options().limit();
        if (items instanceof Collection) {
            this.array = ((Collection<?>) items).toArray();
            this.input = null;
            this.inputResource = null;
            this.read = array.length;
            this.inputDone = true;
            reserveSlots(array.length);
            this.target = Math.max(1, Math.min(limit, array.length));
        } else {
            this.array = null;
            if (items instanceof java.util.stream.BaseStream) {
                this.input = ((java.util.stream.BaseStream<?, ?>) items).iterator();
                this.inputResource = (java.util.stream.BaseStream<?, ?>) items;
            } else if (items instanceof Iterator) {
                this.input = (Iterator<?>) items;
                this.inputResource = null;
            } else {
                this.input = ((Iterable<?>) items).iterator();
                this.inputResource = null;
            }
            this.target = limit;
        }
        this.maxInFlight = pool.maxInFlight() > 0 ? pool.maxInFlight() : IN_FLIGHT_PER_WORKER * target;
        topUp();
    }

    // ---- reading ----

    @Override
    boolean awaitSize(int index) {
        while (index >= read && !inputDone && !isClosed()) {
            if (!pull(index)) {
                step();
            }
        }
        return index < read;
    }

    @Override
    boolean releasesOnIteration() {
        return array == null;
    }

    @Override
    public boolean unfinished() {
        return !isClosed() && (!inputDone || resolved < read);
    }

    /**
     * Reads input while the bound allows, or up to {@code demand}.
     *
     * @return whether anything was read
     */
    private boolean pull(int demand) {
        if (input == null || inputDone || stopped) {
            return false;
        }
        boolean any = false;
        while ((read - firstHeld() < maxInFlight || read <= demand) && !inputDone) {
            if (!input.hasNext()) {
                inputDone = true;
                closeInput();
                break;
            }
            buffered.add(input.next());
            reserveSlots(1);
            read++;
            any = true;
            if (read - cursor >= MAX_CHUNK * target && read > demand) {
                break;
            }
        }
        return any;
    }

    private void closeInput() {
        if (inputResource != null) {
            try {
                inputResource.close();
            } catch (Exception e) {
                // The stream's own close handlers failing does not concern the results.
            }
        }
    }

    // ---- driving ----

    @Override
    void step() {
        if (isClosed()) {
            return;
        }
        topUp();
        if (isClosed()) {
            return;
        }
        if (activeCount() == 0 && !starting.isEmpty()) {
            awaitAStart();
        } else {
            store(waitTime());
        }
        if (isClosed()) {
            return;
        }
        collectStarts();
        checkLimits();
        topUp();
        reportProgress();
    }

    /** How long one {@code store} may wait: until the next time limit or watchdog round. */
    private Duration waitTime() {
        long until = supervisor.untilNextCheck(workers.values(), System.nanoTime());
        if (!starting.isEmpty()) {
            until = Math.min(until, START_POLL_MILLIS * 1_000_000L);
        }
        if (until == Long.MAX_VALUE) {
            return null;
        }
        return Duration.ofNanos(Math.max(1_000_000L, until));
    }

    /** Feeds idle workers and starts workers until there are enough for the work left. */
    private void topUp() {
        if (stopped || isClosed()) {
            return;
        }
        if (isCancelled()) {
            close();
            return;
        }
        collectStarts();
        workers.values().removeIf(w -> !watching(w.channel));
        for (Worker w : new ArrayList<>(workers.values())) {
            if (w.chunk == null && workers.containsKey(w.channel)) {
                handOut(w);
            }
        }
        while (!stopped && !isClosed() && workers.size() + starting.size() < target && hasWork()) {
            Worker w;
            try {
                w = obtainWorker();
            } catch (CodecException e) {
                stop("the function cannot be sent to a worker", e);
                return;
            }
            if (w != null) {
                watch(w);
            }
        }
        if (complete()) {
            for (CompletableFuture<FrameChannel> start : starting) {
                start.thenAccept(PmapExchange::letGoUnused);
            }
            starting.clear();
            PmapClaims.release(claims);
            for (Worker w : new ArrayList<>(workers.values())) {
                if (w.chunk == null) {
                    retire(w, true);
                } else {
                    // Only a worker's empty first chunk can be unanswered once every item is resolved.
                    workers.remove(w.channel);
                    letGoUnused(w.channel);
                }
            }
        }
    }

    private void watch(Worker w) {
        workers.put(w.channel, w);
        adopt(w.channel, new Job(task, new Object[] {w.chunk}, -1, null));
        if (isCancelled()) {
            close();
        }
    }

    /**
     * The one place where this map gets a worker: a warm one from an earlier {@code pmap},
     * rebound to this function with its first chunk, else a new child (or a spare) started on
     * a thread of its own ({@link #collectStarts} watches it once it has connected) and given
     * an empty first chunk — it is handed items once it has answered that, so that a worker
     * that dies while its JVM starts and loads the function costs no item.
     *
     * @return a warm worker, or {@code null} if a new one is starting (or there is no work)
     * @throws CodecException if the function cannot be serialised
     */
    private Worker obtainWorker() {
        if (jvmOptions.isEmpty()) {
            FrameChannel warm;
            while ((warm = WarmWorkers.take()) != null) {
                Chunk first = nextChunk(null);
                if (first == null) {
                    WarmWorkers.park(warm);
                    return null;
                }
                try {
                    warm.sendAcknowledgedLater(new Rebind(function, setup, first));
                    Worker w = new Worker(warm);
                    begin(w, first);
                    return w;
                } catch (CodecException e) {
                    requeued.addFirst(first);
                    WarmWorkers.park(warm);
                    break;
                } catch (ChannelException e) {
                    requeued.addFirst(first);
                    warm.terminate();
                }
            }
        }
        Invocation first = new Invocation(task, new Object[] {new Chunk(cursor, new Object[0])}, null);
        byte[] frame = FrameChannel.encodeTask(first);
        CompletableFuture<FrameChannel> claim = claims.poll();
        if (claim != null) {
            starting.add(claim.handle((kept, failure) -> kept).thenCompose(kept -> handOver(kept, frame, first)));
        } else {
            starting.add(CompletableFuture.supplyAsync(() -> Launcher.start(first, jvmOptions), STARTER));
        }
        return null;
    }

    /**
     * Gives a kept worker claimed at the call its task; starts a worker as usual when none was
     * free (or the claim failed, or the worker has gone since).
     */
    private CompletableFuture<FrameChannel> handOver(FrameChannel kept, byte[] frame, Invocation first) {
        if (kept != null) {
            try {
                return CompletableFuture.completedFuture(Launcher.handOver(kept, frame));
            } catch (ChannelException e) {
                // Gone since its claim: another is started.
            }
        }
        return CompletableFuture.supplyAsync(() -> Launcher.start(first, jvmOptions), STARTER);
    }

    /** Watches the workers that have started; counts those that could not. */
    private void collectStarts() {
        for (CompletableFuture<FrameChannel> start : starting) {
            if (!start.isDone()) {
                continue;
            }
            starting.remove(start);
            FrameChannel channel;
            try {
                channel = start.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ChildProcessException) {
                    startFailed((ChildProcessException) cause);
                } else if (cause instanceof CodecException) {
                    stop("the function cannot be sent to a worker", (CodecException) cause);
                } else if (cause instanceof PProcessException) {
                    stop("no pmap worker can be started", (PProcessException) cause);
                } else {
                    stop("no pmap worker can be started", new PProcessException(cause.toString(), cause));
                }
                continue;
            }
            if (isClosed() || isCancelled() || stopped) {
                channel.terminate();
                continue;
            }
            Worker w = new Worker(channel);
            begin(w, new Chunk(cursor, new Object[0]));
            watch(w);
        }
    }

    /** Waits a little for a starting worker, when no worker is there to watch. */
    private void awaitAStart() {
        try {
            CompletableFuture.anyOf(starting.toArray(new CompletableFuture<?>[0]))
                    .get(START_POLL_MILLIS * 10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PProcessException("interrupted while waiting for a pmap worker to start", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Collected (failure included) by collectStarts.
        }
    }

    /**
     * Lets go of a worker the map no longer needs that has run none of its items: a kept
     * worker's job ends with its channel (it then serves the next program; killing it would
     * only make that program start another JVM), any other child is ended at once.
     */
    private static void letGoUnused(FrameChannel channel) {
        if (channel.process() != null && channel.process().outlivesItsJob()) {
            channel.close();
        } else {
            channel.terminate();
        }
    }

    /** Ends the workers still starting as soon as they have started; lets go of those claimed and unused. */
    private void abandonStarts() {
        for (CompletableFuture<FrameChannel> start : starting) {
            start.thenAccept(FrameChannel::terminate);
        }
        PmapClaims.release(claims);
    }

    @Override
    public void cancel() {
        super.cancel();
        abandonStarts();
    }

    /** @return whether items wait to be handed out (reading a lazy input if need be) */
    private boolean hasWork() {
        if (!requeued.isEmpty()) {
            return true;
        }
        if (stopped || supervisor.deadlinePassed()) {
            return false;
        }
        if (array != null) {
            return cursor < array.length;
        }
        if (buffered.isEmpty()) {
            pull(-1);
        }
        return !buffered.isEmpty();
    }

    private void startFailed(ChildProcessException e) {
        if (e.signal().isPresent()) {
            startFailuresBySignal++;
        } else {
            startFailuresByStatus++;
        }
        if (startFailuresByStatus >= START_FAILURES_BY_STATUS || startFailuresBySignal >= START_FAILURES_BY_SIGNAL) {
            stop("no pmap worker can be started (" + (startFailuresByStatus + startFailuresBySignal)
                    + " ended before connecting)", e);
        }
    }

    /** The next chunk for a worker: requeued items first, then fresh ones. */
    private Chunk nextChunk(Worker w) {
        int cap = MAX_CHUNK;
        if (pool.recycleAfterItems() > 0) {
            cap = Math.max(1, pool.recycleAfterItems() - (w == null ? 0 : w.itemsDone));
        }
        Chunk again = requeued.poll();
        if (again != null) {
            if (again.items().length <= cap) {
                return again;
            }
            Object[] items = again.items();
            requeued.addFirst(new Chunk(again.base() + cap, java.util.Arrays.copyOfRange(items, cap, items.length)));
            return new Chunk(again.base(), java.util.Arrays.copyOf(items, cap));
        }
        if (stopped || supervisor.deadlinePassed()) {
            return null;
        }
        int size;
        Object[] items;
        if (array != null) {
            int left = array.length - cursor;
            if (left <= 0) {
                return null;
            }
            size = Math.min(left, Math.min(cap, Math.max(minChunk(), (left + SHARE * target - 1) / (SHARE * target))));
            items = java.util.Arrays.copyOfRange(array, cursor, cursor + size);
        } else {
            if (buffered.isEmpty()) {
                pull(-1);
            }
            int left = buffered.size();
            if (left == 0) {
                return null;
            }
            int share = inputDone ? left : Math.max(left, maxInFlight / 2);
            size = Math.min(left, Math.min(cap, Math.max(minChunk(), (share + SHARE * target - 1) / (SHARE * target))));
            items = new Object[size];
            for (int i = 0; i < size; i++) {
                items[i] = buffered.poll();
            }
        }
        Chunk chunk = new Chunk(cursor, items);
        cursor += size;
        return chunk;
    }

    /**
     * The smallest chunk worth a message: about {@link #MIN_CHUNK_NANOS} of the items' time as
     * measured so far (each report's items over the time since the chunk was handed out or last
     * reported, which counts the messages' way too and so errs towards smaller chunks); 1 until
     * an item has been reported.
     */
    private int minChunk() {
        if (itemsTimed == 0) {
            return 1;
        }
        double perItem = Math.max(1.0, (double) nanosTimed / itemsTimed);
        return (int) Math.max(1, Math.min(MAX_CHUNK, MIN_CHUNK_NANOS / perItem));
    }

    private void begin(Worker w, Chunk chunk) {
        w.chunk = chunk;
        w.next = chunk.base();
        w.itemStart = System.nanoTime();
    }

    /** Gives an idle worker its next chunk, or lets it go when there is none for it. */
    private void handOut(Worker w) {
        if (isCancelled() || stopped || shouldRecycle(w)) {
            retire(w, false);
            return;
        }
        while (true) {
            Chunk next = nextChunk(w);
            if (next == null) {
                // Kept until the map is done: a worker that dies may leave items to take over.
                if (complete()) {
                    retire(w, true);
                }
                return;
            }
            try {
                w.channel.sendAcknowledgedLater(next);
                begin(w, next);
                return;
            } catch (CodecException e) {
                if (next.items().length > 1) {
                    for (int i = next.items().length - 1; i >= 0; i--) {
                        requeued.addFirst(new Chunk(next.base() + i, new Object[] {next.items()[i]}));
                    }
                } else {
                    resolve(next.base(), ItemFailure.of(new CodecException(e.getMessage(), e), next.base()), true);
                }
            } catch (ChannelException e) {
                // Gone between chunks: nothing of it was started. Its end is reported by ready().
                requeued.addFirst(next);
                workers.remove(w.channel);
                return;
            }
        }
    }

    /** Whether a worker has served its time; one that has run no item yet is never replaced. */
    private boolean shouldRecycle(Worker w) {
        return supervisor.shouldRecycle(w);
    }

    /** Lets an idle worker go: parked warm when this map is done with it, else told to end. */
    private void retire(Worker w, boolean mayPark) {
        workers.remove(w.channel);
        WatchedChannel entry = entryOf(w.channel);
        if (entry != null) {
            detach(entry);
        }
        if (mayPark && jvmOptions.isEmpty() && !isCancelled() && w.killedFor == null && !shouldRecycle(w)) {
            WarmWorkers.park(w.channel);
            return;
        }
        try {
            w.channel.sendUnacknowledged(null);
        } catch (ChannelException e) {
            // Already gone.
        }
        w.channel.close();
    }

    private boolean complete() {
        return inputDone && resolved >= read;
    }

    // ---- results and deaths ----

    /**
     * A {@code pmap} result runs only its function on its items: its workers take no other task,
     * and a channel or job added to it would never be delivered, so each such call throws.
     */
    @Override
    void refuseForeignJobs(String method) {
        throw new IllegalStateException(method + " on the result of pmap: its workers run only the"
                + " mapped function on its items, so a job or channel given to it would never be"
                + " delivered; use a MapExchange, QueueExchange or Exchange of your own for other work");
    }

    @Override
    protected void storeData(Channel channel) {
        Worker w = workers.get(channel);
        Object message;
        try {
            message = channel.receive();
        } catch (PProcessException e) {
            workerDied(w, e);
            return;
        }
        if (w == null) {
            return;
        }
        if (message instanceof Results) {
            results(w, (Results) message);
        } else if (message instanceof InitFailed) {
            RemoteException cause = ((InitFailed) message).failure().toException();
            requeueRest(w);
            w.killedFor = cause;
            stop("the worker initializer failed in child process " + channel.pid() + ": "
                    + cause.getMessage(), cause);
        } else if (w.killedFor == null) {
            w.killedFor = new ChannelException("pmap worker " + channel.pid() + " sent "
                    + (message == null ? "null" : message.getClass().getName()) + " instead of results");
            w.killedIndex = w.next;
            w.channel.process().kill();
        }
    }

    private void results(Worker w, Results r) {
        Object[] values = r.values();
        for (int i = 0; i < values.length; i++) {
            int slot = r.base() + i;
            Object v = values[i];
            boolean bad = v instanceof ItemError;
            resolve(slot, bad ? ItemFailure.of(((ItemError) v).failure().toException(), slot) : v, bad);
        }
        startFailuresBySignal = 0;
        startFailuresByStatus = 0;
        if (w.chunk == null) {
            return;
        }
        w.next = Math.max(w.next, r.base() + values.length);
        long now = System.nanoTime();
        if (values.length > 0) {
            itemsTimed += values.length;
            nanosTimed += now - w.itemStart;
        }
        w.itemStart = now;
        if (w.next >= w.end() && (!setup.reportHeap() || r.heapAfterGc() >= 0 || w.chunk.items().length == 0)) {
            w.itemsDone += w.chunk.items().length;
            w.heapAfterGc = r.heapAfterGc();
            w.chunk = null;
        }
    }

    /** Gives a finished worker its next chunk; called once its messages are all read. */
    @Override
    void delivered(WatchedChannel entry) {
        Worker w = workers.get(entry.channel);
        if (w != null && w.chunk == null && w.killedFor == null) {
            handOut(w);
        }
    }

    @Override
    boolean awaitsResult(WatchedChannel entry) {
        Worker w = workers.get(entry.channel);
        return w != null && w.chunk != null;
    }

    @Override
    void jobStarted(Job job, Channel channel) {
    }

    private void workerDied(Worker w, PProcessException e) {
        if (w == null) {
            return;
        }
        workers.remove(w.channel);
        if (w.chunk == null) {
            return;
        }
        int running = w.next;
        if (running >= w.end()) {
            w.chunk = null;
            return;
        }
        if (w.channel.acknowledgementsOwed() > 0) {
            // It never received its chunk: nothing of it ran.
            requeueAfter(w, running);
            w.chunk = null;
            return;
        }
        Object item = w.chunk.items()[running - w.chunk.base()];
        requeueAfter(w, running + 1);
        w.chunk = null;
        if (stopped || isCancelled()) {
            requeued.addFirst(new Chunk(running, new Object[] {item}));
            return;
        }
        PProcessException cause;
        if (w.killedFor != null) {
            if (w.killedIndex != running) {
                // Killed for an item that had just finished: the one running now is not to blame.
                requeued.addFirst(new Chunk(running, new Object[] {item}));
                return;
            }
            cause = w.killedFor;
        } else {
            cause = supervisor.describeDeath(e);
        }
        if (supervisor.retry(running, cause)) {
            requeued.addFirst(new Chunk(running, new Object[] {item}));
            return;
        }
        resolve(running, ItemFailure.of(supervisor.finalFailure(running, cause), running), true);
    }

    /** Puts the items of a worker's chunk from {@code from} on back at the front of the queue. */
    private void requeueAfter(Worker w, int from) {
        int end = w.end();
        if (from < end) {
            Object[] items = w.chunk.items();
            requeued.addFirst(new Chunk(from, java.util.Arrays.copyOfRange(items, from - w.chunk.base(), items.length)));
        }
    }

    private void requeueRest(Worker w) {
        if (w.chunk != null) {
            requeueAfter(w, w.next);
            w.chunk = null;
        }
    }

    // ---- limits ----

    private void checkLimits() {
        long now = System.nanoTime();
        if (supervisor.deadlineDue(now)) {
            passDeadline();
            return;
        }
        supervisor.checkWorkers(workers.values(), now, (w, why) -> {
            w.killedIndex = w.next;
            w.channel.process().kill();
        });
    }

    private void passDeadline() {
        for (Worker w : new ArrayList<>(workers.values())) {
            if (w.chunk != null) {
                for (int i = w.next; i < w.end(); i++) {
                    long pid = i == w.next ? w.channel.pid() : 0;
                    resolve(i, ItemFailure.of(supervisor.deadlineFailure(pid), i), true);
                }
                w.chunk = null;
            }
            workers.remove(w.channel);
            WatchedChannel entry = entryOf(w.channel);
            if (entry != null) {
                detach(entry);
            }
            w.channel.terminate();
        }
        failUnstarted(i -> supervisor.deadlineFailure(0));
    }

    /** Fails every item without a result, each with its own exception: nothing more can run. */
    private void stop(String why, PProcessException cause) {
        if (stopped) {
            return;
        }
        stopped = true;
        abandonStarts();
        starting.clear();
        for (Worker w : new ArrayList<>(workers.values())) {
            requeueRest(w);
            workers.remove(w.channel);
            WatchedChannel entry = entryOf(w.channel);
            if (entry != null) {
                detach(entry);
            }
            w.channel.terminate();
        }
        failUnstarted(i -> {
            PProcessException e = cause instanceof CodecException ? new CodecException(why + ": " + cause.getMessage(), cause)
                    : new PProcessException(why + ": " + cause.getMessage(), cause);
            return e;
        });
    }

    private void failUnstarted(java.util.function.IntFunction<PProcessException> failure) {
        Chunk c;
        while ((c = requeued.poll()) != null) {
            for (int i = 0; i < c.items().length; i++) {
                int slot = c.base() + i;
                resolve(slot, ItemFailure.of(failure.apply(slot), slot), true);
            }
        }
        if (array != null) {
            for (; cursor < array.length; cursor++) {
                resolve(cursor, ItemFailure.of(failure.apply(cursor), cursor), true);
            }
        } else {
            buffered.clear();
            while (!inputDone && input.hasNext()) {
                if (read - firstHeld() >= maxInFlight) {
                    // The rest of an endless input is not read just to fail it.
                    inputDone = true;
                    closeInput();
                    break;
                }
                input.next();
                reserveSlots(1);
                read++;
            }
            inputDone = true;
            for (; cursor < read; cursor++) {
                resolve(cursor, ItemFailure.of(failure.apply(cursor), cursor), true);
            }
        }
    }

    private void resolve(int slot, Object value, boolean failure) {
        if (fill(slot, value)) {
            resolved++;
            supervisor.resolved(failure);
        }
    }

    // ---- progress ----

    private void reportProgress() {
        if (pool.progress() == null) {
            return;
        }
        long inFlight = 0;
        for (Worker w : workers.values()) {
            if (w.chunk != null) {
                inFlight += w.end() - w.next;
            }
        }
        supervisor.progress(inFlight, inputDone ? read : -1, complete() || isClosed());
    }

    @Override
    public R get(int index) {
        try {
            return super.get(index);
        } finally {
            reportProgress();
        }
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        super.close();
        abandonStarts();
        starting.clear();
        workers.clear();
        closeInput();
        reportProgress();
    }
}

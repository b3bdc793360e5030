package io.pprocess;

import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.exchange.Supervisor;
import io.pprocess.internal.executor.ExecutorWorker;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.spawn.Launcher;
import io.pprocess.internal.message.SkipTask;
import io.pprocess.internal.message.TaskBatch;
import io.pprocess.internal.message.TaskOutcome;
import io.pprocess.internal.wire.Frames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link ExecutorService} whose tasks run in child processes: a fixed number of worker
 * JVMs, started as tasks arrive and reused for task after task until the executor is shut
 * down. Unlike a thread pool's, a task here cannot share the parent's memory: it is a
 * serialisable {@link SerializableCallable} or {@link SerializableRunnable} (or any
 * {@code Callable}/{@code Runnable} that Kryo can serialise), copied into a worker with what it
 * captures, and its result is copied back. Create one with {@link PProcess#executor(int)}.
 *
 * <pre>{@code
 * try (ProcessExecutor executor = PProcess.executor(4)) {
 *     Future<Integer> square = executor.submit(() -> 12 * 12);
 *     CompletableFuture<String> name = executor.submit(() -> ProcessHandle.current().toString());
 *     int result = square.get();
 * }
 * }</pre>
 *
 * <p><b>Serialisation.</b> A task is encoded in the thread that submits it: one that cannot be
 * serialised makes {@code submit} (or {@code execute}, {@code invokeAll}, {@code invokeAny})
 * throw {@link CodecException} naming the task's class, and nothing is queued.
 *
 * <p><b>Results and failures.</b> The returned futures are {@link CompletableFuture}s. A task
 * that throws completes its future exceptionally with a {@link RemoteException} (the child's
 * exception, class, message and stack), so {@code get()} throws an {@link ExecutionException}
 * whose cause is that {@code RemoteException}. A task whose worker dies (killed,
 * {@code System.exit}, out of memory) completes exceptionally with a
 * {@link ChildProcessException} naming the pid and exit status; only that task fails: the
 * worker is replaced and the tasks queued behind it run elsewhere. A result that cannot be
 * serialised fails its task with a {@code RemoteException} whose remote class is
 * {@code CodecException}. Dependent stages of the futures ({@code thenApply}...) run in the
 * executor's own I/O thread unless given an executor; keep them short.
 *
 * <p><b>Scheduling.</b> Each worker takes a batch of queued tasks, a share of the queue that
 * shrinks as it empties (at most 256 tasks, 1 MiB), runs them in order, and
 * answers each as soon as it has run; a worker half-way through a batch is sent the next one.
 * A task that runs for long therefore delays the tasks batched behind it on its worker.
 *
 * <p><b>Cancellation.</b> {@code cancel} on a queued task removes it. {@code cancel(true)} on
 * the task a worker is running kills that worker (the child ends; a new worker replaces it);
 * {@code cancel(false)} lets it run and drops its result. A task sent to a worker but not yet
 * begun is skipped there (cancelled just as the worker reaches it, it may still run; its
 * result is dropped).
 *
 * <p><b>Shutting down.</b> {@link #shutdown()} refuses new tasks ({@link
 * RejectedExecutionException}) and lets the queued ones finish; each worker ends when it has
 * nothing left to do. {@link #shutdownNow()} kills the workers, cancels the tasks they were
 * running, and returns the queued tasks, cancelled, as runnables that would run them in the
 * calling thread. {@link #close()} is {@code shutdown()} followed by waiting for termination,
 * as {@code ExecutorService.close()} in JDK 19 and later. An executor that is never shut down
 * keeps its idle workers until this JVM exits; they never outlive it.
 *
 * <p><b>Pool options.</b> {@link PProcess#executor(int, PoolOptions)} gives the workers
 * {@link PoolOptions}, one task being one item: {@linkplain PoolOptions#itemTimeout a time
 * limit per task} (counted from the task's start in its worker, known to within the time of
 * the task before it; the worker is killed and replaced, the task fails with a
 * {@link TimeLimitException}, the tasks queued behind it run elsewhere);
 * {@linkplain PoolOptions#retries retries} of a task whose worker died running it (it goes
 * back to the front of the queue; its future completes once); {@linkplain
 * PoolOptions#recycleAfterItems recycling} of a worker after its tasks or
 * {@linkplain PoolOptions#recycleAfterAge age} (its batches are cut to fit; it ends once it
 * has answered them); the {@linkplain PoolOptions#heapLimit heap} and
 * {@linkplain PoolOptions#memoryLimit resident-set} limits ({@link MemoryLimitException}); a
 * {@linkplain PoolOptions#initializer worker initialiser} whose value the tasks read with
 * {@link PProcess#workerState()} (when it fails, every task without a result, and every task
 * submitted later, fails with that failure, and no more workers are started); and a
 * {@linkplain PoolOptions#progress progress listener}, called from a watchdog thread of the
 * executor at most ten times a second and once, {@code finished}, when it terminates. The
 * watchdog thread runs only when a time limit, a memory limit or a listener is set.
 * {@code deadline}, {@code maxInFlight} and {@code recycleAboveHeap} are not an executor's:
 * {@code executor} rejects them with an {@link IllegalArgumentException}.
 *
 * <p>All methods are thread-safe.
 */
public final class ProcessExecutor implements ExecutorService, AutoCloseable {
    /** What {@code takeBatch} returns when the worker's child has served its time. */
    private static final List<Task<?>> RECYCLE = new ArrayList<>();
    /** The most tasks in one batch. */
    static final int MAX_BATCH = 256;
    private static final int MAX_BATCH_BYTES = 1 << 20;
    private static final int AHEAD_BATCH_BYTES = 16 << 10;
    private static final AtomicLong EXECUTORS = new AtomicLong();

    private enum State { RUNNING, SHUTDOWN, STOP, TERMINATED }

    private final int processes;
    /** The pool options' policy, under {@code lock}; null without options. */
    private final Supervisor supervisor;
    /** Set when a worker's initialiser failed: every task without a result fails with it. */
    private PProcessException initializerFailure;
    private Thread watchdog;
    private long submitted;
    private final long number = EXECUTORS.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition terminated = lock.newCondition();
    private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private int idle;
    private int started;
    private State state = State.RUNNING;

    ProcessExecutor(int processes) {
        this(processes, null);
    }

    ProcessExecutor(int processes, PoolOptions pool) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes < 1: " + processes);
        }
        this.processes = processes;
        this.supervisor = pool == null ? null : new Supervisor(checkPool(processes, pool), "executor");
    }

    private static PoolOptions checkPool(int processes, PoolOptions pool) {
        if (pool.workers() != 0 && pool.workers() != processes) {
            throw new IllegalArgumentException("PoolOptions.workers(" + pool.workers() + ") differs from the"
                    + " executor's " + processes + " processes");
        }
        if (pool.deadline() != null) {
            throw new IllegalArgumentException("PoolOptions.deadline is a pmap's or an exchange's: an executor has no"
                    + " end; use invokeAll with a timeout, or Future.get with one");
        }
        if (pool.maxInFlight() != 0) {
            throw new IllegalArgumentException("PoolOptions.maxInFlight(" + pool.maxInFlight() + ") is pmap's: an"
                    + " executor queues what it is given");
        }
        if (pool.recycleAboveHeap() > 0) {
            throw new IllegalArgumentException("PoolOptions.recycleAboveHeap is pmap's (its workers report their"
                    + " heap): on an executor use recycleAfterItems, recycleAfterAge or memoryLimit");
        }
        return pool;
    }

    /** @return the pool options, or {@code null} if it was made without */
    public PoolOptions poolOptions() {
        return supervisor == null ? null : supervisor.options();
    }

    /** @return the most worker processes this executor runs at once */
    public int processes() {
        return processes;
    }

    /**
     * Submits a task that returns a value; see the class comment for what happens to it.
     *
     * @param <T> the result type
     * @param task the task, run in a worker process
     * @return its future
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     * @throws RejectedExecutionException if the executor is shut down
     * @throws NullPointerException if {@code task} is null
     */
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return enqueue(task, null, "the task submitted");
    }

    /**
     * Submits a task that returns nothing; its future completes with {@code null}.
     *
     * @param task the task, run in a worker process
     * @return its future
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     * @throws RejectedExecutionException if the executor is shut down
     */
    public CompletableFuture<?> submit(SerializableRunnable task) {
        return enqueue(task, null, "the task submitted");
    }

    /**
     * Submits a {@code Callable}, which must be serialisable (a lambda needs a
     * {@code Serializable} target type: write {@code executor.submit(() -> ...)}, which picks
     * {@link #submit(SerializableCallable)}, or cast it).
     *
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return enqueue(task, null, "the task submitted");
    }

    /**
     * Submits a {@code Runnable}, which must be serialisable; its future completes with
     * {@code null}.
     *
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return enqueue(task, null, "the task submitted");
    }

    /**
     * Submits a {@code Runnable}, which must be serialisable; its future completes with
     * {@code result}, which stays in this process.
     *
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return enqueue(task, result, "the task submitted");
    }

    /**
     * Runs a serialisable {@code Runnable} in a worker; its failure is printed on standard
     * error, as a thread pool's uncaught exception handler does (use {@code submit} to see it).
     *
     * @throws CodecException if the task cannot be serialised (nothing is queued)
     */
    @Override
    public void execute(Runnable command) {
        Task<?> t = enqueue(command, null, "the task given to execute");
        t.whenComplete((v, e) -> {
            if (e != null && !(e instanceof CancellationException)) {
                System.err.println("pprocess: a task given to ProcessExecutor.execute failed: " + e);
            }
        });
    }

    private <T> Task<T> enqueue(Object task, T result, String role) {
        Objects.requireNonNull(task, "task == null");
        byte[] encoded = Codec.encodeTask(task, role, Frames.maxFrameBytes() - 1024);
        Task<T> t = new Task<>(ids.incrementAndGet(), encoded, task, result);
        PProcessException refused = null;
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            if (supervisor != null) {
                submitted++;
                if (initializerFailure != null) {
                    supervisor.resolved(true);
                    refused = initializerFailed(initializerFailure);
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            t.completeExceptionally(refused);
            return t;
        }
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            queue.add(t);
            if (idle > 0) {
                work.signal();
            } else if (workers.size() < processes) {
                startWorker();
            }
        } finally {
            lock.unlock();
        }
        return t;
    }

    /** Starts a worker thread, which starts its child; under the lock. */
    private void startWorker() {
        if (supervisor != null && watchdog == null && (supervisor.options().itemTimeout() != null
                || supervisor.options().memoryLimit() > 0 || supervisor.options().progress() != null)) {
            watchdog = io.pprocess.internal.LibraryThreads.daemon(this::watch,
                    "pprocess-executor-" + number + "-watchdog");
            watchdog.start();
        }
        Worker w = new Worker();
        workers.add(w);
        Thread thread = new Thread(w, "pprocess-executor-" + number + "-" + (++started));
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                awaitDone(f);
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // The future holds it.
                } catch (TimeoutException e) {
                    break;
                }
            }
        } finally {
            cancelAll(futures);
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, -1);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no timeout was given", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return any(tasks, Math.max(0, unit.toNanos(timeout)));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks given to invokeAny");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        LinkedBlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                CompletableFuture<T> cf = (CompletableFuture<T>) f;
                cf.whenComplete((v, e) -> done.add(cf));
            }
            ExecutionException last = null;
            for (int i = 0; i < futures.size(); i++) {
                CompletableFuture<T> f;
                if (timeoutNanos < 0) {
                    f = done.take();
                } else {
                    f = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (f == null) {
                        throw new TimeoutException("no task given to invokeAny completed in "
                                + Duration.ofNanos(timeoutNanos));
                    }
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            cancelAll(futures);
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(enqueue(task, null, "a task given to invokeAll/invokeAny"));
            }
        } catch (RuntimeException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    private static void awaitDone(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException | CancellationException e) {
            // The future holds it.
        }
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            f.cancel(true);
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
            work.signalAll();
            checkTerminated();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Task<?>> drained;
        List<Worker> running;
        lock.lock();
        try {
            if (state.compareTo(State.STOP) < 0) {
                state = State.STOP;
            }
            drained = new ArrayList<>(queue);
            queue.clear();
            running = new ArrayList<>(workers);
            work.signalAll();
            checkTerminated();
        } finally {
            lock.unlock();
        }
        List<Runnable> never = new ArrayList<>();
        for (Task<?> t : drained) {
            if (t.cancelQueued()) {
                never.add(t.asRunnable());
            }
        }
        for (Worker w : running) {
            w.kill();
        }
        return never;
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return state == State.TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (state != State.TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts down and waits until every queued task has finished and the workers have ended. If
     * interrupted while waiting, does {@link #shutdownNow()}, keeps waiting, and restores the
     * interrupt.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        shutdown();
        while (true) {
            try {
                if (awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Terminates once shut down with no task left and no worker; under the lock. */
    private void checkTerminated() {
        if (state != State.RUNNING && state != State.TERMINATED && queue.isEmpty() && workers.isEmpty()) {
            state = State.TERMINATED;
            terminated.signalAll();
        }
    }

    /**
     * The watchdog thread: kills the workers over their task time limit or memory limit, each
     * for its reason (its thread then fails the task), and reports progress, until the
     * executor terminates.
     */
    private void watch() {
        while (true) {
            io.pprocess.Progress report;
            boolean done;
            lock.lock();
            try {
                done = state == State.TERMINATED;
                long now = System.nanoTime();
                List<Worker.Child> children = new ArrayList<>();
                long inFlight = 0;
                for (Worker w : workers) {
                    inFlight += w.inFlight.size();
                    if (w.child != null) {
                        children.add(w.child);
                    }
                }
                if (!done) {
                    supervisor.checkWorkers(children, now, (c, why) -> c.channel.killFor(why));
                }
                report = supervisor.progressDue(inFlight, submitted, done);
                if (!done) {
                    long wait = Math.min(supervisor.untilNextCheck(children, now), 100_000_000L);
                    terminated.awaitNanos(Math.max(wait, 1_000_000L));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (report != null) {
                supervisor.options().progress().onProgress(report);
            }
            if (done) {
                return;
            }
        }
    }

    private static PProcessException initializerFailed(PProcessException remote) {
        String message = remote instanceof RemoteException ? ((RemoteException) remote).remoteMessage()
                : remote.getMessage();
        return new PProcessException(message, remote);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ProcessExecutor[" + state.name().toLowerCase(java.util.Locale.ROOT) + ", " + workers.size()
                    + " of " + processes + " workers, " + queue.size() + " queued]";
        } finally {
            lock.unlock();
        }
    }

    /** A submitted task: its future, its encoded form, and where it is. */
    private final class Task<T> extends CompletableFuture<T> {
        final long id;
        final byte[] encoded;
        final Object original;
        /** The worker it was sent to; guarded by the executor's lock. */
        Worker worker;
        /** The result of a runnable submitted with one, which stays in this process. */
        final T result;

        Task(long id, byte[] encoded, Object original, T result) {
            this.id = id;
            this.encoded = encoded;
            this.original = original;
            this.result = result;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Worker at;
            lock.lock();
            try {
                if (isDone()) {
                    return false;
                }
                at = worker;
                if (at == null) {
                    queue.remove(this);
                }
            } finally {
                lock.unlock();
            }
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && at != null) {
                at.cancelled(this, mayInterruptIfRunning);
            }
            return cancelled;
        }

        /** Cancels a task taken off the queue by {@link #shutdownNow()}. */
        boolean cancelQueued() {
            return super.cancel(false);
        }

        @SuppressWarnings("unchecked")
        void succeed(Object value) {
            complete(value == null ? result : (T) value);
        }

        Runnable asRunnable() {
            if (original instanceof Runnable) {
                return (Runnable) original;
            }
            Callable<?> callable = (Callable<?>) original;
            return () -> {
                try {
                    callable.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new PProcessException("task " + callable + " failed: " + e, e);
                }
            };
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    /**
     * One worker: a thread that starts a child, sends it batches and completes the futures of
     * its answers, replacing the child when it dies.
     */
    private final class Worker implements Runnable {
        /** Sent and not yet answered, in order; guarded by the executor's lock. */
        private final ArrayDeque<Task<?>> inFlight = new ArrayDeque<>();
        private final Object writeLock = new Object();
        private volatile FrameChannel channel;
        private int lastBatch = 1;
        /** What the pool options' policy knows of the current child; guarded by the lock. */
        private Child child;

        /** The current child, as the supervisor sees it. */
        final class Child extends Supervisor.Watched {
            Child(FrameChannel channel) {
                super(channel);
            }

            @Override
            public boolean busy() {
                return !inFlight.isEmpty();
            }
        }

        @Override
        public void run() {
            try {
                serve();
            } finally {
                lock.lock();
                try {
                    workers.remove(this);
                    if (!queue.isEmpty() && state.compareTo(State.STOP) < 0 && workers.isEmpty()) {
                        startWorker();
                    }
                    checkTerminated();
                } finally {
                    lock.unlock();
                }
            }
        }

        private void serve() {
            while (true) {
                if (!startChild()) {
                    return;
                }
                try {
                    if (!exchange()) {
                        return;
                    }
                } catch (PProcessException e) {
                    if (!childDied(e)) {
                        return;
                    }
                } catch (RuntimeException e) {
                    if (!childDied(new ChannelException("executor worker " + channel.pid()
                            + " broke the protocol: " + e, e))) {
                        return;
                    }
                }
            }
        }

        /** Starts the child; on failure fails the tasks it would have run. */
        private boolean startChild() {
            lock.lock();
            try {
                if (state.compareTo(State.STOP) >= 0 || (state == State.SHUTDOWN && queue.isEmpty())) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            try {
                if (supervisor == null) {
                    channel = PProcess.launch(new ExecutorWorker());
                } else {
                    Object task = supervisor.options().initializer() == null ? new ExecutorWorker()
                            : Batches.initialising(new ExecutorWorker(), supervisor.options().initializer());
                    FrameChannel started = Launcher.start(new Invocation(task, new Object[0], null),
                            supervisor.jvmOptions());
                    channel = started;
                    lock.lock();
                    try {
                        child = new Child(started);
                    } finally {
                        lock.unlock();
                    }
                }
                return true;
            } catch (RuntimeException e) {
                List<Task<?>> failed = new ArrayList<>();
                lock.lock();
                try {
                    // Nothing could run them: with no other worker left, every queued task fails.
                    boolean last = workers.size() == 1;
                    for (Iterator<Task<?>> it = queue.iterator(); it.hasNext() && (last || failed.isEmpty()); ) {
                        failed.add(it.next());
                        it.remove();
                    }
                } finally {
                    lock.unlock();
                }
                for (Task<?> t : failed) {
                    t.completeExceptionally(e);
                }
                if (supervisor != null) {
                    lock.lock();
                    try {
                        for (int i = 0; i < failed.size(); i++) {
                            supervisor.resolved(true);
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                return false;
            }
        }

        /**
         * Sends batches and reads answers until there is nothing left to do.
         *
         * @return whether to start a new child: this one has served its time
         */
        private boolean exchange() {
            FrameChannel ch = channel;
            while (true) {
                List<Task<?>> batch = takeBatch();
                if (batch == null || batch == RECYCLE) {
                    ch.close();
                    return batch == RECYCLE;
                }
                if (!batch.isEmpty()) {
                    send(ch, batch);
                }
                Task<?> next;
                lock.lock();
                try {
                    next = inFlight.peekFirst();
                } finally {
                    lock.unlock();
                }
                if (next == null) {
                    continue;
                }
                TaskOutcome outcome = ch.receive();
                complete(outcome);
            }
        }

        /**
         * Waits for work when nothing is in flight; returns a batch to send (empty when none is
         * due yet), or {@code null} when this worker is done.
         */
        private List<Task<?>> takeBatch() {
            lock.lock();
            try {
                while (inFlight.isEmpty() && queue.isEmpty()) {
                    if (state != State.RUNNING) {
                        return null;
                    }
                    idle++;
                    try {
                        work.awaitUninterruptibly();
                    } finally {
                        idle--;
                    }
                }
                if (state.compareTo(State.STOP) >= 0) {
                    return inFlight.isEmpty() ? null : List.of();
                }
                int cap = MAX_BATCH;
                if (child != null) {
                    if (inFlight.isEmpty() && supervisor.shouldRecycle(child)) {
                        return RECYCLE;
                    }
                    int perChild = supervisor.options().recycleAfterItems();
                    if (perChild > 0) {
                        cap = perChild - child.itemsDone - inFlight.size();
                        if (cap <= 0) {
                            return List.of();
                        }
                    }
                }
                if (queue.isEmpty() || inFlight.size() > lastBatch / 2) {
                    return List.of();
                }
                // A batch sent ahead, while the child may be writing answers, stays small enough
                // for the pipe or socket buffer, so that neither side can block the other.
                long maxBytes = inFlight.isEmpty() ? MAX_BATCH_BYTES : AHEAD_BATCH_BYTES;
                if (!inFlight.isEmpty() && queue.peekFirst().encoded.length > maxBytes) {
                    return List.of();
                }
                int size = Math.min(cap, Math.max(1, (queue.size() + 2 * processes - 1) / (2 * processes)));
                if (child != null && inFlight.isEmpty()) {
                    child.itemStart = System.nanoTime();
                }
                List<Task<?>> batch = new ArrayList<>(size);
                long bytes = 0;
                while (batch.size() < size && !queue.isEmpty()
                        && (batch.isEmpty() || bytes + queue.peekFirst().encoded.length <= maxBytes)) {
                    Task<?> t = queue.poll();
                    t.worker = this;
                    inFlight.add(t);
                    batch.add(t);
                    bytes += t.encoded.length;
                }
                lastBatch = batch.size();
                if (!queue.isEmpty() && idle > 0) {
                    work.signal();
                }
                return batch;
            } finally {
                lock.unlock();
            }
        }

        private void send(FrameChannel ch, List<Task<?>> batch) {
            long[] batchIds = new long[batch.size()];
            byte[][] tasks = new byte[batch.size()][];
            for (int i = 0; i < batchIds.length; i++) {
                batchIds[i] = batch.get(i).id;
                tasks[i] = batch.get(i).encoded;
            }
            synchronized (writeLock) {
                ch.sendUnacknowledged(new TaskBatch(batchIds, tasks));
            }
        }

        private void complete(TaskOutcome outcome) {
            Task<?> t;
            lock.lock();
            try {
                t = inFlight.pollFirst();
                if (t == null || t.id != outcome.id()) {
                    throw new ChannelException("executor worker " + channel.pid() + " answered task " + outcome.id()
                            + " but task " + (t == null ? "none" : t.id) + " was next");
                }
                if (child != null) {
                    child.itemStart = System.nanoTime();
                    child.itemsDone++;
                    if (!outcome.skipped() && !t.isDone()) {
                        supervisor.resolved(outcome.failure() != null);
                    }
                }
            } finally {
                lock.unlock();
            }
            if (outcome.skipped() || t.isDone()) {
                return;
            }
            if (outcome.failure() != null) {
                t.completeExceptionally(outcome.failure().toException());
            } else {
                t.succeed(outcome.value());
            }
        }

        /**
         * The child ended or broke: the task it was running fails with {@code failure}, the
         * tasks sent after it go back to the front of the queue.
         *
         * @return whether to start a new child
         */
        private boolean childDied(PProcessException failure) {
            FrameChannel ch = channel;
            ch.terminate();
            Task<?> running;
            List<Task<?>> cancelled = new ArrayList<>();
            List<Task<?>> unrun = new ArrayList<>();
            PProcessException cause = failure;
            boolean again;
            lock.lock();
            try {
                child = null;
                running = inFlight.pollFirst();
                if (killedFor != null && running != killedFor && running != null) {
                    // Killed for a cancelled task that had finished just before: the task the
                    // child had begun since is innocent and runs again elsewhere.
                    inFlight.addFirst(running);
                    running = null;
                }
                killedFor = null;
                boolean stopping = state.compareTo(State.STOP) >= 0;
                if (supervisor != null && !stopping && Batches.isInitializerFailure(failure)) {
                    // Every task would meet the same failure: none runs, and no worker is started.
                    if (initializerFailure == null) {
                        initializerFailure = failure;
                    }
                    if (running != null) {
                        unrun.add(running);
                        running = null;
                    }
                    Task<?> t;
                    while ((t = inFlight.pollFirst()) != null) {
                        t.worker = null;
                        unrun.add(t);
                    }
                    unrun.addAll(queue);
                    queue.clear();
                    for (int i = 0; i < unrun.size(); i++) {
                        supervisor.resolved(true);
                    }
                    stopping = true;
                }
                if (supervisor != null && running != null && !stopping) {
                    cause = supervisor.describeDeath(failure);
                    if (supervisor.retry(running, cause)) {
                        inFlight.addFirst(running);
                        running = null;
                    } else {
                        cause = supervisor.finalFailure(running, cause);
                        if (!running.isDone()) {
                            supervisor.resolved(true);
                        }
                    }
                }
                Task<?> t;
                while ((t = inFlight.pollLast()) != null) {
                    t.worker = null;
                    if (stopping) {
                        cancelled.add(t);
                    } else if (!t.isDone()) {
                        queue.addFirst(t);
                    }
                }
                if (!queue.isEmpty()) {
                    work.signalAll();
                }
                again = !stopping;
            } finally {
                lock.unlock();
            }
            for (Task<?> t : unrun) {
                t.completeExceptionally(initializerFailed(failure));
            }
            if (running != null) {
                if (again) {
                    running.completeExceptionally(cause);
                } else {
                    running.cancelQueued();
                }
            }
            for (Task<?> t : cancelled) {
                t.cancelQueued();
            }
            return again;
        }

        /** The cancelled task whose child this worker killed, until the death is handled. */
        private Task<?> killedFor;

        /** A task sent to this worker was cancelled. */
        void cancelled(Task<?> task, boolean mayInterruptIfRunning) {
            FrameChannel ch;
            lock.lock();
            try {
                if (task.worker != this) {
                    return;
                }
                ch = channel;
                if (ch == null) {
                    return;
                }
                if (inFlight.peekFirst() == task) {
                    // Killed while the task is still the first in flight (completions take the
                    // lock), so the death is the cancelled task's: the tasks sent after it,
                    // possibly already begun by the child, go back to the queue and none fails.
                    if (mayInterruptIfRunning) {
                        killedFor = task;
                        ch.process().kill();
                    }
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                synchronized (writeLock) {
                    ch.sendUnacknowledged(new SkipTask(task.id));
                }
            } catch (PProcessException e) {
                // The worker is gone: its death is handled by its thread.
            }
        }

        /** Ends the child at once (shutdownNow). */
        void kill() {
            FrameChannel ch = channel;
            if (ch != null) {
                ch.process().kill();
            }
        }
    }
}

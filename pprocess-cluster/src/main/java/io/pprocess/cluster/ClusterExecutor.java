package io.pprocess.cluster;

import io.pprocess.CodecException;
import io.pprocess.PProcessException;
import io.pprocess.cluster.internal.TaskFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link ExecutorService} whose tasks run on the cluster's nodes, each in a pprocess child
 * there: what core's process executor ({@code PProcess.executor(n)}) is on one machine. Get
 * one with {@link Cluster#executor()}.
 *
 * <pre>{@code
 * try (ClusterExecutor executor = cluster.executor()) {
 *     CompletableFuture<Long> pid = executor.submit(() -> ProcessHandle.current().pid());
 *     List<Future<Integer>> all = executor.invokeAll(List.<ClusterCallable<Integer>>of(() -> 1, () -> 2));
 * }
 * }</pre>
 *
 * <p><b>Serialisation.</b> A task is a {@link ClusterCallable} or {@link ClusterRunnable} —
 * what a lambda becomes where one of them is expected, as in {@code submit(() -> ...)} — or
 * any {@code Callable}/{@code Runnable} that is {@link Serializable}; it travels with Java serialisation, with the driver's class path
 * (see {@link Cluster}). One that cannot be serialised makes {@code submit} (or
 * {@code execute}, {@code invokeAll}, {@code invokeAny}) throw a {@link NodeCodecException}
 * naming its class, and nothing is sent. A lambda typed as a plain {@code Callable} is not
 * serialisable: give {@code invokeAll} and {@code invokeAny} a
 * {@code List.<ClusterCallable<T>>of(...)}.
 *
 * <p><b>Results and failures.</b> The futures are {@link CompletableFuture}s. A task that
 * throws completes its future exceptionally with a {@link NodeRemoteException} (the exception's
 * class, message and stack, the node and the child's pid), so {@code get()} throws an
 * {@link ExecutionException} with that cause; a task whose child dies, with a
 * {@link NodeChildProcessException}; a task no node could take for
 * {@link ClusterOptions#noNodeTimeout}, with a {@link ClusterException}. A task whose node is
 * lost runs again on another. Dependent stages ({@code thenApply}...) run in the driver's
 * Hazelcast threads unless given an executor: keep them short.
 *
 * <p><b>Scheduling.</b> Each task is sent at once to the node with the fewest chunks in
 * flight; a node runs as many tasks at a time as it has workers ({@code pprocess-node
 * --workers}), the others wait there.
 *
 * <p><b>Cancellation.</b> {@code cancel(true)} stops the task on its node: the child running it
 * ends there (a new one takes its place), or the node drops it if it has not begun.
 * {@code cancel(false)} lets it run and drops its result.
 *
 * <p><b>Shutting down.</b> {@link #shutdown()} refuses new tasks
 * ({@link RejectedExecutionException}) and lets the submitted ones finish.
 * {@link #shutdownNow()} cancels every task as {@code cancel(true)} does and returns those not
 * yet sent to a node, as runnables that would run them in the calling thread. {@link #close()}
 * is {@code shutdown()} followed by waiting for termination, as {@code ExecutorService.close()}
 * in JDK 19 and later. The executor's shutdown concerns its own tasks only: the
 * {@link Cluster} stays connected; closing the cluster fails the tasks still running.
 *
 * <p>All methods are thread-safe.
 */
public final class ClusterExecutor implements ExecutorService, AutoCloseable {
    private final Cluster cluster;
    private final Set<Task<?>> active = ConcurrentHashMap.newKeySet();
    private final Object state = new Object();
    private boolean shutdown;

    ClusterExecutor(Cluster cluster) {
        this.cluster = cluster;
    }

    /** A task's future, which cancels the task on its node. */
    private final class Task<T> extends CompletableFuture<T> {
        final Object task;
        final T result;
        Job job;

        Task(Object task, T result) {
            this.task = task;
            this.result = result;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Job j;
            synchronized (this) {
                j = job;
            }
            if (cancelled && j != null) {
                j.stop(index -> new ItemCancelledException("the task was cancelled", -1), mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }

        /** @return a runnable that runs the task in the calling thread */
        Runnable local() {
            if (task instanceof Runnable r) {
                return r;
            }
            return () -> {
                try {
                    ((Callable<?>) task).call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new PProcessException("the task threw " + e, e);
                }
            };
        }
    }

    @SuppressWarnings("unchecked")
    private <T> Task<T> send(Object task, T result) {
        Objects.requireNonNull(task, "task == null");
        if (!(task instanceof Serializable)) {
            throw new NodeCodecException("the task, of " + task.getClass().getName() + ", is not Serializable: write it"
                    + " as a lambda where a ClusterCallable or ClusterRunnable is expected", null, -1, null);
        }
        Task<T> t = new Task<>(task, result);
        synchronized (state) {
            if (shutdown) {
                throw new RejectedExecutionException("the cluster executor is shut down");
            }
            active.add(t);
        }
        t.whenComplete((v, e) -> ended(t));
        Job job;
        try {
            job = cluster.submit(new TaskFunction(task), Collections.singletonList(0), new Job.Sink() {
                @Override
                public void deliver(int index, Object value) {
                    t.complete(task instanceof Callable<?> ? (T) value : result);
                }

                @Override
                public void fail(int index, PProcessException failure) {
                    t.completeExceptionally(failure);
                }
            }, null);
        } catch (RuntimeException e) {
            active.remove(t);
            ended(t);
            if (e instanceof CodecException) {
                throw e;
            }
            throw new RejectedExecutionException("the cluster cannot take the task: " + e.getMessage(), e);
        }
        synchronized (t) {
            t.job = job;
        }
        if (t.isCancelled()) {
            job.stop(index -> new ItemCancelledException("the task was cancelled", -1), true);
        }
        return t;
    }

    private void ended(Task<?> t) {
        synchronized (state) {
            active.remove(t);
            if (shutdown && active.isEmpty()) {
                state.notifyAll();
            }
        }
    }

    /**
     * Submits a task that returns a value; see the class comment for what happens to it.
     *
     * @param <T> the result type
     * @param task the task, run on a node
     * @return its future
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     * @throws RejectedExecutionException if the executor is shut down or the cluster closed
     */
    public <T> CompletableFuture<T> submit(ClusterCallable<T> task) {
        return send(task, null);
    }

    /**
     * Submits a task that returns nothing; its future completes with {@code null}.
     *
     * @param task the task, run on a node
     * @return its future
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     * @throws RejectedExecutionException if the executor is shut down or the cluster closed
     */
    public CompletableFuture<?> submit(ClusterRunnable task) {
        return send(task, null);
    }

    /**
     * Submits a {@code Callable}, which must be serialisable (a lambda needs a
     * {@code Serializable} target type: {@code executor.submit(() -> ...)} picks
     * {@link #submit(ClusterCallable)}).
     *
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return send(task, null);
    }

    /**
     * Submits a {@code Runnable}, which must be serialisable; its future completes with
     * {@code null}.
     *
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return send(task, null);
    }

    /**
     * Submits a {@code Runnable}, which must be serialisable; its future completes with
     * {@code result}, which stays in this process.
     *
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return send(task, result);
    }

    /**
     * Runs a serialisable {@code Runnable} on a node; its failure is printed on standard
     * error, as a thread pool's uncaught exception handler does (use {@code submit} to see it).
     *
     * @throws NodeCodecException if the task cannot be serialised (nothing is sent)
     */
    @Override
    public void execute(Runnable command) {
        send(command, null).whenComplete((v, e) -> {
            if (e != null && !(e instanceof CancellationException)) {
                System.err.println("pprocess-cluster: a task given to ClusterExecutor.execute failed: " + e);
            }
        });
    }

    private <T> List<Task<T>> sendAll(Collection<? extends Callable<T>> tasks) {
        List<Task<T>> sent = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                sent.add(send(task, null));
            }
        } catch (RuntimeException e) {
            cancelAll(sent);
            throw e;
        }
        return sent;
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            f.cancel(true);
        }
    }

    /**
     * Runs every task and waits for all.
     *
     * @throws NodeCodecException if a task cannot be serialised (those sent are cancelled)
     * @throws InterruptedException if interrupted while waiting (the tasks are cancelled)
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Task<T>> sent = sendAll(tasks);
        try {
            for (Task<T> t : sent) {
                try {
                    t.get();
                } catch (ExecutionException | CancellationException e) {
                    // the future holds it
                }
            }
        } catch (InterruptedException e) {
            cancelAll(sent);
            throw e;
        }
        return Collections.unmodifiableList(new ArrayList<>(sent));
    }

    /**
     * Runs every task and waits for all until the timeout; the tasks not done by then are
     * cancelled as {@code cancel(true)} does (stopped on their nodes).
     *
     * @throws NodeCodecException if a task cannot be serialised (those sent are cancelled)
     * @throws InterruptedException if interrupted while waiting (the tasks are cancelled)
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Task<T>> sent = sendAll(tasks);
        try {
            for (Task<T> t : sent) {
                try {
                    t.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // the future holds it
                } catch (TimeoutException e) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancelAll(sent);
            throw e;
        }
        cancelAll(sent);
        return Collections.unmodifiableList(new ArrayList<>(sent));
    }

    /**
     * Runs the tasks and returns the result of the first that succeeds; the others are
     * cancelled as {@code cancel(true)} does.
     *
     * @throws ExecutionException if every task failed (the cause is the last failure)
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, -1);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no timeout was given", e);
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, waiting until the timeout at most.
     *
     * @throws TimeoutException if no task succeeded in time (every task is cancelled)
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return any(tasks, System.nanoTime() + unit.toNanos(timeout));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no task given");
        }
        List<Task<T>> sent = sendAll(tasks);
        BlockingQueue<Task<T>> done = new ArrayBlockingQueue<>(sent.size());
        for (Task<T> t : sent) {
            t.whenComplete((v, e) -> done.add(t));
        }
        try {
            ExecutionException last = null;
            for (int i = 0; i < sent.size(); i++) {
                Task<T> t = deadline < 0 ? done.take()
                        : done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (t == null) {
                    throw new TimeoutException("no task succeeded in time");
                }
                try {
                    return t.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            cancelAll(sent);
        }
    }

    /** Refuses new tasks; those submitted run to their end. */
    @Override
    public void shutdown() {
        synchronized (state) {
            shutdown = true;
            if (active.isEmpty()) {
                state.notifyAll();
            }
        }
    }

    /**
     * Refuses new tasks and cancels the submitted ones as {@code cancel(true)} does.
     *
     * @return the tasks not yet sent to a node, as runnables that would run them in the
     *     calling thread
     */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> unsent = new ArrayList<>();
        for (Task<?> t : List.copyOf(active)) {
            Job j;
            synchronized (t) {
                j = t.job;
            }
            boolean sentNothing = j != null && !j.sentAny();
            if (t.cancel(true) && sentNothing) {
                unsent.add(t.local());
            }
        }
        return unsent;
    }

    @Override
    public boolean isShutdown() {
        synchronized (state) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (state) {
            return shutdown && active.isEmpty();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (state) {
            while (!(shutdown && active.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
            return true;
        }
    }

    /**
     * Shuts down and waits for the tasks to end; if interrupted while waiting, cancels them
     * ({@link #shutdownNow()}) and keeps waiting, then sets the interrupt status again.
     */
    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ClusterExecutor[" + active.size() + " tasks" + (isShutdown() ? ", shut down" : "") + "]";
    }
}

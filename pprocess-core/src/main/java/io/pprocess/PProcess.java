package io.pprocess;

import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.Wrapped;
import io.pprocess.internal.Cores;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.spawn.ChildClassPath;
import io.pprocess.internal.spawn.Launcher;
import io.pprocess.internal.spawn.Spares;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Creates child processes and channels to them: the module-level functions of pprocess.
 *
 * <p>A JVM cannot fork, so every child is a new JVM started with this JVM's own {@code java},
 * this JVM's code (see {@link #classPath()}) and the configured JVM options
 * ({@link #setJvmOptions}, the system property {@code pprocess.jvmOptions} or the environment
 * variable {@code PPROCESS_JVM_OPTIONS}). Its
 * work is a serialisable task sent as the first message; what the task captures is the
 * child's copy of the parent's memory. The child's standard output and error are the
 * parent's, so children can print.
 *
 * <pre>{@code
 * Channel ch = PProcess.start((Channel c, Integer n) -> c.send(n * n), 12);
 * int square = ch.receive();   // 144
 * }</pre>
 *
 * <p>The channel transport is an AF_UNIX stream socket by default; set
 * {@code -Dpprocess.transport=pipe} or {@code PPROCESS_TRANSPORT=pipe} for two pipes instead.
 */
public final class PProcess {

    private PProcess() {
    }

    /**
     * Starts a child process that runs {@code task} with its end of a new channel.
     *
     * <p>Blocks until the child has connected (a JVM start, about 0.1 s; nothing when a spare
     * is waiting, see {@link #keepSpares}); does not wait for the task to run.
     *
     * @param task the work, run in the child; its exception is delivered to the parent
     * @return the parent's end of the channel
     * @throws CodecException if the task (or something it captures) cannot be serialised
     * @throws ChildProcessException if the child ended before connecting
     * @throws PProcessException if the child could not be started
     */
    public static Channel start(ChannelTask task) {
        return launch(task);
    }

    /**
     * Starts a child process that runs {@code task.run(channel, a)}.
     *
     * @param <A> the type of the argument
     * @param task the work
     * @param a the argument, copied into the child
     * @return the parent's end of the channel
     * @see #start(ChannelTask)
     */
    public static <A> Channel start(ChannelTask1<A> task, A a) {
        return launch(task, a);
    }

    /**
     * Starts a child process that runs {@code task.run(channel, a, b)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     * @return the parent's end of the channel
     * @see #start(ChannelTask)
     */
    public static <A, B> Channel start(ChannelTask2<A, B> task, A a, B b) {
        return launch(task, a, b);
    }

    /**
     * Starts a child process that runs {@code task.run(channel, a, b, c)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @return the parent's end of the channel
     * @see #start(ChannelTask)
     */
    public static <A, B, C> Channel start(ChannelTask3<A, B, C> task, A a, B b, C c) {
        return launch(task, a, b, c);
    }

    /**
     * The fork-style form of {@link #start(ChannelTask)}: the block is the code that, in
     * pprocess, follows {@code create()} in the child. It usually ends with
     * {@link #exit(Channel)}; if it returns, the child exits anyway.
     *
     * <pre>{@code
     * Channel ch = PProcess.create(child -> {
     *     child.send(compute());
     *     PProcess.exit(child);
     * });
     * }</pre>
     *
     * @param childBlock the code to run in the child
     * @return the parent's end of the channel
     */
    public static Channel create(ChannelTask childBlock) {
        return launch(childBlock);
    }

    /**
     * Ends a child at once: closes its channel and exits with status 0, as pprocess's
     * {@code exit(channel)}.
     *
     * @param channel the child's end of its channel
     * @throws IllegalArgumentException if {@code channel} is a parent's end (calling this in the
     *     parent would end the parent)
     */
    public static void exit(Channel channel) {
        if (channel.pid() != 0) {
            throw new IllegalArgumentException("exit(channel) ends a child and takes the child's end"
                    + " (pid 0); this is the parent's end of the channel to child process " + channel.pid());
        }
        channel.close();
        System.out.flush();
        System.err.flush();
        System.exit(0);
    }

    /**
     * Reaps every child process of this JVM that has ended, as pprocess's {@code waitall()};
     * never blocks.
     *
     * @return how many children started by this JVM are still running
     */
    public static int waitAll() {
        return Launcher.reapEnded();
    }

    /**
     * Returns the number of cores to use: the number of distinct physical cores (counted from
     * {@code /proc/cpuinfo} as pprocess counts them), but no more than the JVM may use under
     * its CPU affinity and cgroup CPU quota.
     *
     * @return at least 1
     */
    public static int numberOfCores() {
        return Math.max(1, Math.min(Cores.physical(), Cores.available()));
    }

    /**
     * Returns the number of distinct physical cores of the machine, as pprocess's
     * {@code get_number_of_cores()} counts them, ignoring affinity and quotas.
     *
     * @return at least 1
     */
    public static int physicalCores() {
        return Cores.physical();
    }

    /**
     * Sets the extra JVM options of children started from now on (replacing
     * {@code pprocess.jvmOptions}).
     *
     * @param options options such as {@code "-Xmx256m"}
     */
    public static void setJvmOptions(String... options) {
        Launcher.setJvmOptions(List.of(options));
    }

    /**
     * Returns the extra JVM options that children started now get: those of
     * {@link #setJvmOptions}, else of {@code pprocess.jvmOptions} or {@code PPROCESS_JVM_OPTIONS}.
     *
     * @return the options, immutable (empty when none are set)
     */
    public static List<String> jvmOptions() {
        return Launcher.jvmOptions();
    }

    /**
     * Sets the class path of children started from now on, replacing the one pprocess
     * discovers; for containers, application servers and launchers whose class loaders it
     * cannot see into. The jars of pprocess and Kryo are added to it if missing. Also settable
     * with {@code -Dpprocess.classPath} or the environment variable {@code PPROCESS_CLASS_PATH}
     * (read once, at the first start); this call overrides both.
     *
     * <pre>{@code
     * PProcess.setClassPath("/app/classes:/app/lib/dep.jar");
     * }</pre>
     *
     * @param classPath entries separated by {@link java.io.File#pathSeparator} (relative ones
     *     are resolved against the working directory now), or {@code null} to go back to
     *     discovering it
     * @throws IllegalArgumentException if {@code classPath} is blank
     */
    public static void setClassPath(String classPath) {
        ChildClassPath.setExplicit(classPath);
    }

    /**
     * Returns the class path that children started now get: the one set with
     * {@link #setClassPath} (or {@code pprocess.classPath}, {@code PPROCESS_CLASS_PATH}), else
     * the one discovered from this JVM: {@code java.class.path} with the jars its jars'
     * manifests name ({@code Class-Path}), the URLs of the class loaders between the system
     * class loader and the calling thread's context class loader (as under {@code mvn
     * exec:java}, test runners and application servers), the jars nested in an executable jar
     * (a Spring Boot jar's, unpacked once into {@code ~/.cache/pprocess/nested}), then
     * pprocess's and Kryo's own jars. When pprocess is loaded as a named module, children also
     * get this JVM's module path, with {@code --add-modules ALL-MODULE-PATH}.
     *
     * @return the entries, absolute, immutable
     */
    public static List<String> classPath() {
        return ChildClassPath.current().classPath();
    }

    /**
     * Keeps {@code count} spare children started and waiting for their first task, so that
     * {@code start} costs a message rather than a JVM start. The pool refills in the
     * background; spares never outlive this JVM. Also settable with {@code -Dpprocess.spares}.
     *
     * <p>Spares started after a task prepare its kind (they load its class and link its lambda,
     * without what it captured), so that the next task of that kind runs within a millisecond
     * of {@code start}; the most recent 8 kinds are remembered. Preparing initialises the
     * lambda's capturing class in the spare, as running the task would.
     *
     * @param count the number of spares; 0 (the default) keeps none
     */
    public static void keepSpares(int count) {
        Spares.keep(count);
    }

    /**
     * Waits until at least {@code count} spare children (see {@link #keepSpares}) are started
     * and waiting for a task, for example to keep JVM starts out of a measurement.
     *
     * @param count the number of spares, at most the number kept
     * @param timeout the longest to wait
     * @return whether they were ready in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if {@code count} is more than the spares kept
     */
    public static boolean awaitSpares(int count, java.time.Duration timeout) throws InterruptedException {
        if (count > Spares.target()) {
            throw new IllegalArgumentException("waiting for " + count + " spares but only " + Spares.target()
                    + " are kept (PProcess.keepSpares)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Spares.ready() < count) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * Returns the transport that children of this JVM are started on: {@code "socket"} (the
     * default) or {@code "pipe"}, chosen by {@code pprocess.transport} or
     * {@code PPROCESS_TRANSPORT} when the first child is started.
     *
     * @return the transport's name
     */
    public static String transport() {
        return io.pprocess.internal.spawn.Transports.currentName();
    }

    // ---- java.util.concurrent ----

    /**
     * Creates an {@link java.util.concurrent.ExecutorService} that runs serialisable tasks in
     * up to {@code processes} worker processes, started as tasks arrive and reused until it is
     * shut down; see {@link ProcessExecutor}.
     *
     * <pre>{@code
     * try (ProcessExecutor executor = PProcess.executor(4)) {
     *     Future<Integer> f = executor.submit(() -> 6 * 7);
     *     System.out.println(f.get());
     * }
     * }</pre>
     *
     * @param processes the most worker processes at once, at least 1
     * @return the executor
     * @throws IllegalArgumentException if {@code processes < 1}
     */
    public static ProcessExecutor executor(int processes) {
        return new ProcessExecutor(processes);
    }

    /**
     * Creates a {@link ProcessExecutor} of {@code processes} worker processes that run their
     * tasks under pool options: a time limit per task, retries of tasks whose worker died,
     * recycling, heap and resident-set limits, a worker initialiser, progress (see
     * {@link ProcessExecutor}, "Pool options").
     *
     * @param processes the most worker processes at once, at least 1
     * @param options the options; {@code deadline}, {@code maxInFlight} and
     *     {@code recycleAboveHeap} are not an executor's, and {@code workers}, if set, must
     *     equal {@code processes}
     * @return the executor
     * @throws IllegalArgumentException if {@code processes < 1} or an option does not apply,
     *     naming it
     */
    public static ProcessExecutor executor(int processes, PoolOptions options) {
        if (options == null) {
            throw new NullPointerException("options == null");
        }
        return new ProcessExecutor(processes, options);
    }

    /**
     * Creates a {@link ProcessExecutor} of {@link #numberOfCores()} worker processes.
     *
     * @return the executor
     */
    public static ProcessExecutor executor() {
        return new ProcessExecutor(numberOfCores());
    }

    /**
     * Keeps the workers this program starts from now on running after it ends, for the next
     * program of the same build (the same Java, JVM options and class path, byte for byte) to
     * use instead of starting JVMs: such a program finds their classes loaded and their code
     * compiled. {@code start}, {@code pmap}, reusing exchanges and spares all take a free kept
     * worker of this build before they start a JVM; what a program holds, no other program
     * gets until it lets it go (closes the channel, or ends).
     *
     * <p>What stays running: up to {@code pprocess.keptWorkersMax} (default twice the
     * available processors, at least 4) JVMs of this user per build, each ending by itself
     * after {@code idleLimit} without a job, or at once with {@link #stopKeptWorkers()}. They
     * listen on socket files (mode 0600) in a directory of this user of mode 0700 (see
     * {@code pprocess.keptWorkersDir}), refuse peers of other users, and leave no file behind
     * when they end.
     *
     * <p>What persists from one job to the next, possibly of another program of the same
     * build: static fields and everything reachable from them, loaded and initialised classes,
     * compiled code, threads a job left running, the environment variables of the program that
     * started the worker, and its working directory ({@code /}). Reset before each job: system
     * properties, default locale and time zone, {@code System.in/out/err}. A job's standard
     * output and error go to the claiming program's if those are a terminal, a pipe or a file
     * opened for appending ({@code >>}), and are otherwise discarded (a file opened with
     * {@code >} could not be shared without overwriting).
     *
     * <p>Also set by {@code -Dpprocess.keepWorkers} or {@code PPROCESS_KEEP_WORKERS}, e.g.
     * {@code PT5M}, {@code 90s}, {@code 5m}, or {@code off}.
     *
     * @param idleLimit how long a kept worker waits for its next job before it ends; zero stops
     *     keeping the workers started from now on (those running keep their limits)
     * @throws IllegalArgumentException if it is negative or shorter than 1 s
     */
    public static void keepWorkers(java.time.Duration idleLimit) {
        io.pprocess.internal.spawn.KeptWorkers.keep(idleLimit);
    }

    /**
     * Returns the idle limit of kept workers: zero when workers are not kept.
     *
     * @return the limit
     * @see #keepWorkers(java.time.Duration)
     */
    public static java.time.Duration keptWorkersIdleLimit() {
        return io.pprocess.internal.spawn.KeptWorkers.idleLimit();
    }

    /**
     * Lists this user's kept workers, of every build. Each is asked; a socket file left by a
     * worker that was killed is removed.
     *
     * @return the workers running now
     */
    public static List<KeptWorker> keptWorkers() {
        return io.pprocess.internal.spawn.KeptWorkers.list();
    }

    /**
     * Ends this user's kept workers, of every build: an idle one at once, one that a program
     * holds as soon as that program lets it go. Waits up to 3 s for the idle ones to exit.
     *
     * @return the workers told to end
     */
    public static List<KeptWorker> stopKeptWorkers() {
        return io.pprocess.internal.spawn.KeptWorkers.stop();
    }

    /**
     * Returns the idle limit that {@code -Dpprocess.keepWorkers} or {@code PPROCESS_KEEP_WORKERS}
     * sets, if either is set, for a command-line tool whose own option overrides it.
     *
     * @return the limit (zero for {@code off}); empty when neither is set
     * @throws IllegalArgumentException if the setting is not an idle limit
     */
    public static Optional<java.time.Duration> keepWorkersSetting() {
        return io.pprocess.internal.spawn.KeptWorkers.configured()
                ? Optional.of(keptWorkersIdleLimit()) : Optional.empty();
    }

    /**
     * Parses an idle limit as {@code pprocess.keepWorkers} takes it: an ISO-8601 duration
     * ({@code PT5M}), or a number with {@code s}, {@code m} or {@code h} ({@code 90s},
     * {@code 5m}); {@code 0}, {@code off}, {@code false} or {@code no} mean off.
     *
     * @param text the setting
     * @return the limit, zero for off
     * @throws IllegalArgumentException naming the text if it is none of those
     */
    public static java.time.Duration parseIdleLimit(String text) {
        return io.pprocess.internal.spawn.KeptWorkers.parseIdle(text);
    }

    /**
     * Returns the directory under which this user's kept workers listen, one directory per
     * build: {@code pprocess.keptWorkersDir} or {@code PPROCESS_KEPT_WORKERS_DIR} if set, else
     * {@code $XDG_RUNTIME_DIR/pprocess-workers}, else {@code pprocess-workers-<user>} in the
     * temporary directory. It may not exist.
     *
     * @return the directory
     */
    public static Path keptWorkersBaseDirectory() {
        return io.pprocess.internal.spawn.KeptWorkers.base();
    }

    /**
     * Returns the directory of this build's kept workers (see {@link #keepWorkers}), inside
     * {@link #keptWorkersBaseDirectory()}; a worker's {@link KeptWorker#address()} is in it.
     * Creates nothing.
     *
     * @return the directory, which may not exist yet
     * @throws java.io.IOException if it or the base directory exists but is not a directory of
     *     this user's closed to others (workers would not be kept there)
     */
    public static Path keptWorkersDirectory() throws java.io.IOException {
        return io.pprocess.internal.spawn.KeptWorkers.buildDirectory();
    }

    /**
     * Lists this user's kept workers of this build: those of {@link #keptWorkers()} whose
     * {@link KeptWorker#address()} is in {@link #keptWorkersDirectory()}, the ones this
     * program's next run would take.
     *
     * @return the workers of this build running now
     * @throws java.io.IOException as {@link #keptWorkersDirectory()}
     */
    public static List<KeptWorker> keptWorkersOfThisBuild() throws java.io.IOException {
        Path build = keptWorkersDirectory();
        return keptWorkers().stream().filter(w -> build.equals(w.address().getParent())).toList();
    }

    /**
     * Returns the line a command-line tool prints after a run whose workers stay: how many of
     * this build's kept workers are running, for how long each stays once idle
     * ({@link #keptWorkersIdleLimit()}), and how to end them now — for a tool with a
     * {@code --stop-workers} option that ends them and a {@code --no-keep-workers} option that
     * keeps none, as the project's own tools have. For example:
     * {@code 2 workers stay for 5 min after the last run, to be reused; 'mytool --stop-workers'
     * ends them now, --no-keep-workers does without}.
     *
     * @param command the tool's name as its users run it
     * @return the line, or empty if no worker of this build runs or its directory cannot be used
     */
    public static Optional<String> keptWorkersNotice(String command) {
        int count;
        try {
            count = keptWorkersOfThisBuild().size();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(count + (count == 1 ? " worker stays" : " workers stay") + " for "
                + KeptWorkersCommand.human(keptWorkersIdleLimit())
                + " after the last run, to be reused; '" + command + " --stop-workers' ends them now,"
                + " --no-keep-workers does without");
    }

    // ---- pmap and the wrappers ----

    /**
     * Maps {@code fn} over {@code items} in child processes, at most
     * {@link #numberOfCores()} at a time; see {@link #pmap(SerializableFunction, Iterable, int)}.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the items
     * @return the results, in item order, delivered as they are read
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items) {
        return pmap(fn, items, numberOfCores());
    }

    /**
     * Maps {@code fn} over {@code items} in child processes, as pprocess's {@code pmap}.
     *
     * <p>Returns at once with every item submitted; the results are read in item order from
     * the returned map, which waits for each only as long as it needs. Unlike pprocess, which
     * starts a process per item, the children are reused: each serves item after item (a JVM
     * start is too dear to spend on one item), taking chunks of consecutive items whose size
     * shrinks towards the end so the children finish together. For a process per item, use
     * {@link #pmap(SerializableFunction, Iterable, ExchangeOptions)} without reuse.
     *
     * <p>An item whose function throws, or whose child dies, fails only that item: reading it
     * throws with its index ({@link PProcessException#item()}); a dead child is replaced and
     * the remaining items complete. Results the dead child had reported are kept, and the
     * items of its chunk it had not started go to another worker (see {@link PoolOptions} for
     * what "the item it was running" means for very short items, and for retries, time
     * limits, recycling, memory limits, an initialiser and progress).
     *
     * <p>A {@code Collection} is copied at the call. Any other {@code Iterable} is read lazily,
     * as for {@link #pmap(SerializableFunction, Iterator, PoolOptions)}.
     *
     * <p>When the map is done its workers are kept warm for a while
     * ({@code pprocess.warmWorkerMillis}, 30 s) and the next {@code pmap} of this JVM rebinds
     * them to its function instead of starting JVMs, so static state of your code may persist
     * from one {@code pmap} to the next. Close the map (try-with-resources) to end the children
     * early.
     *
     * <p>The map runs only {@code fn} on {@code items}: its {@code start}, {@code create},
     * {@code manage}, {@code add}, {@code addWait} and {@code connect} throw
     * {@link IllegalStateException}, since a job or channel given to it would never be delivered.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the items
     * @param limit the most children at once, at least 1
     * @return the results, in item order
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws CodecException if {@code fn} (or what it captures) cannot be serialised, naming
     *     its class; no child is started
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
        }
        return PmapClaims.create(fn, items, PoolOptions.defaults().workers(limit));
    }

    /**
     * Maps {@code fn} over {@code items} in reused worker children, with a pool's options:
     * time limits, retries, recycling, memory limits, a worker initialiser, progress (see
     * {@link PoolOptions}). Otherwise as {@link #pmap(SerializableFunction, Iterable, int)}.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the items: a {@code Collection} is copied at the call, any other
     *     {@code Iterable} is read lazily (as for an {@link Iterator})
     * @param options the options
     * @return the results, in item order
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items,
                                             PoolOptions options) {
        return PmapClaims.create(fn, items, options);
    }

    /**
     * Maps {@code fn} over items read lazily from {@code items}, which may be endless: items
     * are read on the thread that reads the map, as workers need them, and never more than
     * {@link PoolOptions#maxInFlight} ahead of the map's iterator; results are there to read
     * while the input is still being read, and the iterator lets go of each result it returns
     * (so memory stays flat however many items pass). {@link MapExchange#size()} is the number
     * of items read so far; {@code get(i)} reads input up to item {@code i}, and throws
     * {@link IllegalStateException} for an item the iterator has already returned. What the
     * input's {@code next()} throws propagates to the reader.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the input
     * @param options the options
     * @return the results, in item order
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Iterator<? extends T> items,
                                             PoolOptions options) {
        return PmapClaims.create(fn, items, options);
    }

    /**
     * Maps {@code fn} over the items of a stream, read lazily as for
     * {@link #pmap(SerializableFunction, Iterator, PoolOptions)}; the stream is closed when it
     * is used up or the map is closed.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the stream
     * @param options the options
     * @return the results, in item order
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Stream<? extends T> items,
                                             PoolOptions options) {
        return PmapClaims.create(fn, items, options);
    }

    /**
     * Returns the state that this worker's {@linkplain PoolOptions#initializer initializer}
     * made, for the function to read: call it inside the function, in a {@code pmap} worker or
     * in the child of an exchange whose {@linkplain ExchangeOptions#pool pool options} have an
     * initialiser.
     *
     * @param <S> the state's type
     * @return the value the initialiser returned in this worker process
     * @throws IllegalStateException outside such a worker (in the parent, for instance)
     */
    @SuppressWarnings("unchecked")
    public static <S> S workerState() {
        return (S) io.pprocess.internal.exchange.Batches.workerState();
    }

    /**
     * Maps {@code fn} over {@code items} with the given options: with
     * {@link ExchangeOptions#reuse(boolean) reuse} (what {@code pmap} does by default), a few
     * worker children serve chunks of items; without it, one child per item, as pprocess does
     * — useful when items must not share a process, at the cost of a JVM start each.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn an ordinary function
     * @param items the items
     * @param options the options; a limit of 0 means {@link #numberOfCores()}
     * @return the results, in item order
     */
    public static <T, R> MapExchange<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items,
                                             ExchangeOptions options) {
        int limit = options.limit() == 0 ? numberOfCores() : options.limit();
        if (options.reuse()) {
            return PmapClaims.create(fn, items, PoolOptions.defaults().workers(limit));
        }
        requireFunction(fn);
        MapExchange<R> results = new MapExchange<>(options.limit(limit));
        results.startEach(parallel(fn), items);
        return results;
    }

    /**
     * Makes an ordinary function channel-aware, as pprocess's {@code MakeParallel}: the task
     * sends {@code fn(a)} back over its channel.
     *
     * @param <A> the argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start}
     */
    public static <A, R> ChannelTask1<A> parallel(SerializableFunction<A, R> fn) {
        return Wrapped.of(fn, false);
    }

    /**
     * Makes an ordinary function of two arguments channel-aware; see
     * {@link #parallel(SerializableFunction)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start}
     */
    public static <A, B, R> ChannelTask2<A, B> parallel(SerializableBiFunction<A, B, R> fn) {
        return Wrapped.of(fn, false);
    }

    /**
     * Makes an ordinary function of three arguments channel-aware; see
     * {@link #parallel(SerializableFunction)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start}
     */
    public static <A, B, C, R> ChannelTask3<A, B, C> parallel(SerializableTriFunction<A, B, C, R> fn) {
        return Wrapped.of(fn, false);
    }

    /**
     * Makes an ordinary function channel-aware and reusable, as pprocess's
     * {@code MakeReusable}: after sending {@code fn(a)} the child waits for the next job's
     * argument from an exchange with {@link ExchangeOptions#reuse(boolean) reuse} on, until
     * the exchange tells it to stop. A failure of one job is sent as that job's result and the
     * child carries on.
     *
     * @param <A> the argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start} on a reusing exchange
     */
    public static <A, R> ChannelTask1<A> reusable(SerializableFunction<A, R> fn) {
        return Wrapped.of(fn, true);
    }

    /**
     * Makes an ordinary function of two arguments reusable; see
     * {@link #reusable(SerializableFunction)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start} on a reusing exchange
     */
    public static <A, B, R> ChannelTask2<A, B> reusable(SerializableBiFunction<A, B, R> fn) {
        return Wrapped.of(fn, true);
    }

    /**
     * Makes an ordinary function of three arguments reusable; see
     * {@link #reusable(SerializableFunction)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param <R> the result type
     * @param fn the function
     * @return a task for {@code start} on a reusing exchange
     */
    public static <A, B, C, R> ChannelTask3<A, B, C> reusable(SerializableTriFunction<A, B, C, R> fn) {
        return Wrapped.of(fn, true);
    }

    // ---- persistent processes ----

    /**
     * Starts {@code task} in a persistent background process that listens at {@code address}
     * (pprocess's {@code start_persistent}), with default {@link PersistentOptions}.
     *
     * <p>The process is detached: its own session, no controlling terminal, standard input
     * closed, output discarded (or logged, see {@link PersistentOptions#log}), and it survives
     * the exit of this program. Its channel serves one peer at a time; its sends wait for a
     * peer, and a peer that goes away is replaced by the next one to connect. It ends when its
     * task has returned and its results have been collected, removing its socket file; a
     * process nobody connects to for the idle limit ends too.
     *
     * <p>The socket file is created with mode 0600 (its directory, if created, 0700), and
     * peers of another user are refused. A stale socket file left by a dead process is
     * replaced.
     *
     * @param address the socket file path
     * @param task the work
     * @return the started process
     * @throws PProcessException naming the address if it is in use by a live process, is not a
     *     socket, or cannot be bound
     */
    public static BackgroundProcess startPersistent(Path address, ChannelTask task) {
        return startPersistent(address, PersistentOptions.defaults(), task);
    }

    /**
     * Starts {@code task.run(channel, a)} in a persistent background process; see
     * {@link #startPersistent(Path, ChannelTask)}.
     *
     * @param <A> the argument type
     * @param address the socket file path
     * @param task the work
     * @param a the argument
     * @return the started process
     */
    public static <A> BackgroundProcess startPersistent(Path address, ChannelTask1<A> task, A a) {
        return persistent(address, PersistentOptions.defaults(), task, a);
    }

    /**
     * Starts {@code task.run(channel, a, b)} in a persistent background process; see
     * {@link #startPersistent(Path, ChannelTask)}.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param address the socket file path
     * @param task the work
     * @param a the first argument
     * @param b the second argument
     * @return the started process
     */
    public static <A, B> BackgroundProcess startPersistent(Path address, ChannelTask2<A, B> task, A a, B b) {
        return persistent(address, PersistentOptions.defaults(), task, a, b);
    }

    /**
     * Starts {@code task} in a persistent background process with the given options; see
     * {@link #startPersistent(Path, ChannelTask)}.
     *
     * @param address the socket file path
     * @param options where its output goes and its idle limit
     * @param task the work
     * @return the started process
     */
    public static BackgroundProcess startPersistent(Path address, PersistentOptions options, ChannelTask task) {
        return persistent(address, options, task);
    }

    /**
     * The fork-style form of {@link #startPersistent(Path, ChannelTask)} (pprocess's
     * {@code create_persistent}): the block is the persistent child's code.
     *
     * @param address the socket file path
     * @param childBlock the code to run in the persistent child
     * @return the started process
     */
    public static BackgroundProcess createPersistent(Path address, ChannelTask childBlock) {
        return persistent(address, PersistentOptions.defaults(), childBlock);
    }

    /**
     * Connects to the persistent process at {@code address}, from any process of the same user
     * (pprocess's {@code connect_persistent}). The channel works as any parent's end: its
     * {@code pid()} is the persistent process's; closing it leaves the process running, waiting
     * for the next peer.
     *
     * @param address the socket file path
     * @return the connected channel
     * @throws ChannelException naming the address if nothing listens there (missing or stale
     *     socket file), or what listens is not a pprocess persistent process
     * @throws PProcessException if the process refused the connection
     */
    public static Channel connectPersistent(Path address) {
        return io.pprocess.internal.persist.PersistentClient.connect(address);
    }

    static BackgroundProcess persistent(Path address, PersistentOptions options, Object task, Object... args) {
        if (task == null) {
            throw new NullPointerException("task == null");
        }
        Path absolute = address.toAbsolutePath();
        long pid = io.pprocess.internal.persist.PersistentClient.start(absolute, options, task, args);
        return new BackgroundProcess(absolute, pid);
    }

    private static void requireFunction(SerializableFunction<?, ?> fn) {
        if (fn == null) {
            throw new NullPointerException("fn == null");
        }
        io.pprocess.internal.codec.Codec.requireSerialisable(fn, "the function of pmap");
    }

    static FrameChannel launch(Object task, Object... args) {
        if (task == null) {
            throw new NullPointerException("task == null");
        }
        return Launcher.start(new Invocation(task, args, null));
    }
}

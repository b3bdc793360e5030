package io.pprocess.internal.exchange;

import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.InitFailed;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.MapTask;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.Channel;
import io.pprocess.ChannelTask;
import io.pprocess.ChannelTask1;
import io.pprocess.ChannelTask2;
import io.pprocess.ChannelTask3;
import io.pprocess.CodecException;
import io.pprocess.RemoteException;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import io.pprocess.internal.codec.Codec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The batched protocol behind {@code pmap}: a worker child receives chunks of consecutive
 * items, applies the function to each, and reports the results as it goes, until it receives
 * anything that is not a chunk. A failing item becomes an {@link ItemError} in its place, so
 * one bad item costs neither the chunk nor the process.
 *
 * <p><b>Reporting.</b> Results are sent (unacknowledged) in {@link Results} messages of
 * consecutive items: by the worker thread when at least {@link #FLUSH_NANOS} have passed since
 * the last report (it looks at the clock only every few items: {@link Reporter}), by a reporter
 * thread when finished items have waited that long (so that a long item does not hold back
 * the results before it), and at the end of the chunk. The parent therefore knows, to within
 * about a millisecond, which item a worker is running: the first one not yet reported. A
 * worker killed mid-chunk loses only the item it was running; everything reported before is
 * kept, and the items after it were never started. Small items are batched (one message per
 * millisecond or per chunk) and cost one release store each, so reporting costs nothing
 * measurable on a fast map.
 */
public final class Batches {
    /** The longest a finished result waits before it is reported. */
    static final long FLUSH_NANOS = 1_000_000L;

    /** The worker state made by this child's initialiser, for {@link #workerState()}. */
    private static volatile Object state;
    private static volatile boolean hasState;

    private Batches() {
    }








    /**
     * Makes the worker task for a function.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function
     * @param setup how the worker is set up
     * @return the task; its argument is the first chunk
     */
    public static <T, R> ChannelTask1<Chunk> worker(SerializableFunction<T, R> fn, Setup setup) {
        return new Worker(fn, setup);
    }

    /**
     * Returns the value this worker's initialiser made.
     *
     * @return the state
     * @throws IllegalStateException outside a worker (of a {@code pmap} or an exchange) whose
     *     pool options have an initialiser
     */
    public static Object workerState() {
        if (!hasState) {
            throw new IllegalStateException("no worker state: this is not a pmap or exchange worker whose"
                    + " pool options have an initializer");
        }
        return state;
    }

    /**
     * Wraps the task of an exchange's job so that the child runs a worker initialiser once,
     * before the task (and so before every job a reused child serves): the exchanges' side of
     * {@code PoolOptions.initializer}.
     *
     * @param task a {@code ChannelTask}, or {@code ChannelTask1..3}
     * @param initializer a {@link SerializableSupplier}
     * @return the task to send to the child
     */
    public static Object initialising(Object task, Object initializer) {
        return new Initialised(task, new Setup(initializer, false));
    }

    /**
     * Tells whether a job failed because its child's worker initialiser failed.
     *
     * @param failure a job's failure
     * @return whether it is an {@link InitializerFailed} from the child
     */
    public static boolean isInitializerFailure(Throwable failure) {
        return failure instanceof RemoteException
                && InitializerFailed.class.getName().equals(((RemoteException) failure).remoteClassName());
    }

    /** Thrown in an exchange's child, in place of its job, when the worker initialiser failed. */
    static final class InitializerFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InitializerFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A job's task run after the worker initialiser. */
    static final class Initialised implements ChannelTask, ChannelTask1<Object>, ChannelTask2<Object, Object>,
            ChannelTask3<Object, Object, Object> {
        private static final long serialVersionUID = 1L;
        private final Object task;
        private final Setup setup;

        Initialised(Object task, Setup setup) {
            this.task = task;
            this.setup = setup;
        }

        private void initialise() {
            hasState = false;
            state = null;
            try {
                state = ((SerializableSupplier<?>) setup.initializer()).get();
                hasState = true;
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                throw new InitializerFailed("the worker initializer failed in child process "
                        + ProcessHandle.current().pid() + ": " + e, e);
            }
        }

        @Override
        public void run(Channel channel) throws Exception {
            initialise();
            ((ChannelTask) task).run(channel);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Channel channel, Object a) throws Exception {
            initialise();
            ((ChannelTask1<Object>) task).run(channel, a);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Channel channel, Object a, Object b) throws Exception {
            initialise();
            ((ChannelTask2<Object, Object>) task).run(channel, a, b);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Channel channel, Object a, Object b, Object c) throws Exception {
            initialise();
            ((ChannelTask3<Object, Object, Object>) task).run(channel, a, b, c);
        }
    }

    /**
     * Runs a worker's initialiser.
     *
     * @return {@code null}, or the failure to report
     */
    static RemoteFailure initialise(Setup setup, long pid) {
        hasState = false;
        state = null;
        if (setup == null || setup.initializer() == null) {
            return null;
        }
        try {
            state = ((SerializableSupplier<?>) setup.initializer()).get();
            hasState = true;
            return null;
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            return RemoteFailure.of(e, pid);
        }
    }

    /**
     * @return the heap in use after the last collection of each heap pool, in bytes; before
     *     the first collection, the heap in use now
     */
    static long heapAfterGc() {
        long collections = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
        }
        if (collections == 0) {
            return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            MemoryUsage after = pool.getCollectionUsage();
            used += after != null ? after.getUsed() : pool.getUsage().getUsed();
        }
        return used;
    }

    /** The child's side of the protocol. */
    static final class Worker implements ChannelTask1<Chunk>, MapTask {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<Object, Object> fn;
        private final Setup setup;

        @SuppressWarnings("unchecked")
        Worker(SerializableFunction<?, ?> fn, Setup setup) {
            if (fn == null) {
                throw new NullPointerException("fn == null");
            }
            this.fn = (SerializableFunction<Object, Object>) fn;
            this.setup = setup == null ? Setup.NONE : setup;
        }

        @Override
        public Object function() {
            return fn;
        }

        @Override
        public Setup setup() {
            return setup;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Channel channel, Chunk first) {
            long pid = ProcessHandle.current().pid();
            SerializableFunction<Object, Object> function = fn;
            Setup current = setup;
            Reporter reporter = new Reporter(channel, pid);
            Chunk chunk = first;
            RemoteFailure initFailure = initialise(current, pid);
            if (initFailure != null) {
                channel.sendUnacknowledged(new InitFailed(initFailure));
                return;
            }
            while (chunk != null) {
                Object[] items = chunk.items();
                Object[] values = new Object[items.length];
                reporter.begin(chunk.base(), values, current.reportHeap());
                for (int i = 0; i < values.length; i++) {
                    try {
                        values[i] = function.apply(items[i]);
                    } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                        values[i] = new ItemError(RemoteFailure.of(e, pid));
                    }
                    reporter.completed(i + 1);
                }
                reporter.end();
                Object next = channel.receive();
                while (next == Park.INSTANCE) {
                    next = channel.receive();
                    if (next instanceof Rebind) {
                        Rebind rebind = (Rebind) next;
                        function = (SerializableFunction<Object, Object>) rebind.function();
                        current = rebind.setup() == null ? Setup.NONE : rebind.setup();
                        next = rebind.chunk();
                        initFailure = initialise(current, pid);
                        if (initFailure != null) {
                            channel.sendUnacknowledged(new InitFailed(initFailure));
                            return;
                        }
                    }
                }
                chunk = next instanceof Chunk ? (Chunk) next : null;
            }
            reporter.stop();
        }
    }

    /**
     * Sends a chunk's results as they are done. The worker thread publishes each finished item
     * with a release store (no fence, no clock) and reads the clock only every {@code stride}
     * items, a stride that doubles while items are short and halves when they are long, so
     * that it looks about every {@link #CHECK_NANOS}; it reports when a report is due. A daemon
     * thread reports finished items that have waited {@link #FLUSH_NANOS} while the worker is
     * inside a long item (or inside a stride of items that turned out long). That thread runs on
     * a timer while chunks come and sleeps once they have stopped for {@link #IDLE_NANOS}:
     * a worker starting a chunk wakes it only then, so a map of many short chunks costs no
     * wake-up per chunk, and an idle worker none at all. The channel is
     * used under {@code lock} only, and only while a chunk runs (the worker thread receives
     * outside it, when the reporter is idle).
     */
    static final class Reporter implements Runnable {
        /** About how often the worker thread reads the clock. */
        static final long CHECK_NANOS = FLUSH_NANOS / 8;
        static final int MAX_STRIDE = 4096;
        /** How long the reporter thread stays on its timer after a chunk before it sleeps until woken. */
        static final long IDLE_NANOS = 20 * FLUSH_NANOS;
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Reporter.class, "done", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Channel channel;
        private final long pid;
        private final Object lock = new Object();
        private volatile Object[] values;
        /** Items of the chunk finished: written by the worker with release, read with acquire. */
        @SuppressWarnings("unused")
        private int done;
        private volatile boolean running;
        private volatile boolean stopped;
        /** Set while the reporter thread is parked with no time limit: only then does it need waking. */
        private volatile boolean idle;
        private volatile long lastReport;
        private int base;
        private int sent;
        private boolean reportHeap;
        private Thread thread;
        /** Worker thread only: items between clock reads, items left before the next, last read. */
        private int stride = 1;
        private int countdown = 1;
        private long lastCheck;

        Reporter(Channel channel, long pid) {
            this.channel = channel;
            this.pid = pid;
        }

        void begin(int base, Object[] values, boolean reportHeap) {
            long now = System.nanoTime();
            synchronized (lock) {
                this.base = base;
                this.values = values;
                this.reportHeap = reportHeap;
                DONE.setRelease(this, 0);
                this.sent = 0;
                this.lastReport = now;
                this.running = true;
            }
            lastCheck = now;
            countdown = stride;
            if (thread == null) {
                thread = new Thread(this, "pprocess-pmap-reporter");
                thread.setDaemon(true);
                thread.start();
            } else if (idle) {
                LockSupport.unpark(thread);
            }
        }

        void completed(int count) {
            DONE.setRelease(this, count);
            if (--countdown > 0) {
                return;
            }
            long now = System.nanoTime();
            long since = now - lastCheck;
            lastCheck = now;
            if (since < CHECK_NANOS) {
                stride = Math.min(MAX_STRIDE, stride << 1);
            } else if (since > 2 * CHECK_NANOS) {
                stride = Math.max(1, stride >> 1);
            }
            countdown = stride;
            if (now - lastReport >= FLUSH_NANOS) {
                synchronized (lock) {
                    report(now, false);
                }
            }
        }

        void end() {
            synchronized (lock) {
                running = false;
                report(System.nanoTime(), true);
            }
        }

        void stop() {
            stopped = true;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (!stopped) {
                long due = lastReport + FLUSH_NANOS - System.nanoTime();
                if (running) {
                    LockSupport.parkNanos(Math.max(due, FLUSH_NANOS / 4));
                } else if (due > FLUSH_NANOS - IDLE_NANOS) {
                    // Between two chunks of a busy map: the next one comes soon, and finds this
                    // thread on its timer instead of waking it.
                    LockSupport.parkNanos(FLUSH_NANOS);
                } else {
                    idle = true;
                    if (!running && !stopped) {
                        LockSupport.park();
                    }
                    idle = false;
                }
                synchronized (lock) {
                    long now = System.nanoTime();
                    if (running && now - lastReport >= FLUSH_NANOS) {
                        try {
                            report(now, false);
                        } catch (RuntimeException e) {
                            // The worker thread meets the same failure at its own next report.
                            running = false;
                        }
                    }
                }
            }
        }

        /**
         * Sends the results done and not yet sent; at the end of an empty chunk (a new worker's
         * first, which proves it ready) or with a heap report, even none.
         */
        private void report(long now, boolean last) {
            int count = (int) DONE.getAcquire(this);
            if (count <= sent && !(last && (reportHeap || values.length == 0))) {
                lastReport = now;
                return;
            }
            Object[] part = sent == 0 && count == values.length ? values : Arrays.copyOfRange(values, sent, count);
            long heap = last && reportHeap ? heapAfterGc() : -1;
            Results results = new Results(base + sent, part, heap);
            try {
                channel.sendUnacknowledged(results);
            } catch (CodecException e) {
                channel.sendUnacknowledged(new Results(base + sent, replaceUnserialisable(part, pid), heap));
            }
            sent = count;
            lastReport = now;
        }

        private static Object[] replaceUnserialisable(Object[] values, long pid) {
            Object[] out = values.clone();
            Output scratch = new Output(1024, -1);
            for (int i = 0; i < out.length; i++) {
                try {
                    scratch.reset();
                    Codec.encode(scratch, out[i]);
                } catch (CodecException e) {
                    out[i] = new ItemError(RemoteFailure.of(e, pid));
                }
            }
            return out;
        }
    }
}

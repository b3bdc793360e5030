package io.pprocess.internal.exchange;

import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.InitFailed;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.CodecException;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import io.pprocess.internal.codec.Codec;
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
 * consecutive items: after an item when at least {@link #FLUSH_NANOS} have passed since the
 * last report, by a reporter thread when finished items have waited that long (so that a
 * long item does not hold back the results before it), and at the end of the chunk. The
 * parent therefore knows, to within about a millisecond, which item a worker is running: the
 * first one not yet reported. A worker killed mid-chunk loses only the item it was running;
 * everything reported before is kept, and the items after it were never started. Small items
 * are still batched (one message per millisecond or per chunk), so reporting costs nothing
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
     * @throws IllegalStateException outside a {@code pmap} worker that has an initialiser
     */
    public static Object workerState() {
        if (!hasState) {
            throw new IllegalStateException("no worker state: this is not a pmap worker whose options"
                    + " have an initializer");
        }
        return state;
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
    static final class Worker implements ChannelTask1<Chunk> {
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
     * Sends a chunk's results as they are done. The worker thread reports after an item when
     * a report is due; a daemon thread reports finished items that have waited
     * {@link #FLUSH_NANOS} while the worker is still inside a long item. The channel is used
     * under {@code lock} only, and only while a chunk runs (the worker thread receives outside
     * it, when the reporter is idle).
     */
    static final class Reporter implements Runnable {
        private final Channel channel;
        private final long pid;
        private final Object lock = new Object();
        private volatile Object[] values;
        private volatile int done;
        private volatile boolean running;
        private volatile boolean stopped;
        private volatile long lastReport;
        private int base;
        private int sent;
        private boolean reportHeap;
        private Thread thread;

        Reporter(Channel channel, long pid) {
            this.channel = channel;
            this.pid = pid;
        }

        void begin(int base, Object[] values, boolean reportHeap) {
            synchronized (lock) {
                this.base = base;
                this.values = values;
                this.reportHeap = reportHeap;
                this.done = 0;
                this.sent = 0;
                this.lastReport = System.nanoTime();
                this.running = true;
            }
            if (thread == null) {
                thread = new Thread(this, "pprocess-pmap-reporter");
                thread.setDaemon(true);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }

        void completed(int count) {
            done = count;
            long now = System.nanoTime();
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
                if (running) {
                    LockSupport.parkNanos(FLUSH_NANOS);
                } else {
                    LockSupport.park();
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
            int count = done;
            if (count <= sent && !(last && (reportHeap || values.length == 0))) {
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

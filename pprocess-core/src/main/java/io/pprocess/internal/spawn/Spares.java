package io.pprocess.internal.spawn;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.LambdaShape;
import io.pprocess.internal.keep.KeptWorkers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spare children: already started, connected, and waiting for their first task, so that a
 * start costs a message instead of a JVM start. The pool refills itself in the background;
 * spares end with this JVM (they watch their parent, and a shutdown hook kills them at once).
 *
 * <p>When workers are kept ({@link KeptWorkers}), a spare or a start takes a kept worker of
 * this build before it starts a JVM.
 *
 * <p>A spare is also told the kinds of task this JVM started most recently (at most
 * {@value #MAX_SHAPES}, see {@link LambdaShape}) and counts as ready once it has prepared them,
 * so that a task of a kind seen before starts running within a millisecond of being sent.
 * A spare that takes longer than {@code pprocess.sparePrepareMillis} (5 s) to prepare is ended,
 * and the kinds are forgotten.
 */
public final class Spares {
    private static final ConcurrentLinkedQueue<FrameChannel> READY = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger STARTING = new AtomicInteger();
    private static volatile int target = Setting.SPARES.intValue(0, 0);
    private static volatile ScheduledExecutorService filler;
    static final int MAX_SHAPES = 8;
    /**
     * How long after a spare is taken its replacement starts: a JVM booting takes the CPU for
     * a while, and the task just handed over should have it first.
     */
    private static final long REFILL_DELAY_MILLIS = Setting.SPARE_REFILL_DELAY_MILLIS.longValue(20, 0);
    private static final long PREPARE_MILLIS = Setting.SPARE_PREPARE_MILLIS.longValue(5_000, 1);
    private static final Map<LambdaShape, Boolean> SHAPES = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LambdaShape, Boolean> eldest) {
            return size() > MAX_SHAPES;
        }
    };

    private Spares() {
    }

    /**
     * Sets how many spares to keep and starts filling the pool.
     *
     * @param count the number of spares, 0 to keep none
     */
    public static synchronized void keep(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("spare count < 0: " + count);
        }
        target = count;
        while (READY.size() > count) {
            FrameChannel extra = READY.poll();
            if (extra != null) {
                extra.close();
            }
        }
        refill(0);
    }

    /** @return the number of spares kept */
    public static int target() {
        return target;
    }

    /** @return the number of spares ready now */
    public static int ready() {
        return READY.size();
    }

    /**
     * Remembers the kind of a task being started, so that spares started from now on prepare
     * it; does nothing when no spares are kept.
     *
     * @param task the task
     */
    static void noteTask(Object task) {
        if (target == 0) {
            return;
        }
        LambdaShape shape = LambdaShape.of(task);
        if (shape != null) {
            synchronized (SHAPES) {
                SHAPES.put(shape, Boolean.TRUE);
            }
        }
    }

    /** Starts a spare and has it prepare the kinds of task noted; {@code null} if it failed to. */
    private static FrameChannel spawnPrepared() {
        FrameChannel spare = fresh();
        List<LambdaShape> shapes;
        synchronized (SHAPES) {
            shapes = new ArrayList<>(SHAPES.keySet());
        }
        if (shapes.isEmpty()) {
            return spare;
        }
        try {
            if (spare.prime(FrameChannel.encodePrime(shapes), PREPARE_MILLIS)) {
                return spare;
            }
            System.err.println("pprocess: a spare child process took more than " + PREPARE_MILLIS
                    + " ms to prepare its tasks' classes; spares no longer prepare them");
        } catch (RuntimeException e) {
            System.err.println("pprocess: a spare child process failed while preparing its tasks' classes ("
                    + e.getMessage() + "); spares no longer prepare them");
        }
        synchronized (SHAPES) {
            SHAPES.clear();
        }
        spare.terminate();
        return null;
    }

    static FrameChannel takeOrSpawn() {
        FrameChannel spare;
        while ((spare = READY.poll()) != null) {
            if (spare.isOpen() && spare.process().isAlive()) {
                refill(REFILL_DELAY_MILLIS);
                return spare;
            }
            spare.close();
        }
        if (target > 0) {
            refill(0);
        }
        return fresh();
    }

    /** @return a kept worker of this build if workers are kept and one is free, else a new child */
    private static FrameChannel fresh() {
        FrameChannel kept = KeptWorkers.take();
        return kept != null ? kept : Launcher.spawn(false);
    }

    private static synchronized void refill(long delayMillis) {
        int missing = target - READY.size() - STARTING.get();
        if (missing <= 0) {
            return;
        }
        if (filler == null) {
            filler = Executors.newSingleThreadScheduledExecutor(r -> {
                return LibraryThreads.daemon(r, "pprocess-spares");
            });
            LibraryThreads.onShutdown(Spares::killAll, "pprocess-spares-cleanup");
        }
        for (int i = 0; i < missing; i++) {
            STARTING.incrementAndGet();
            filler.schedule(() -> {
                FrameChannel spare = null;
                try {
                    if (READY.size() < target) {
                        spare = spawnPrepared();
                    }
                } catch (RuntimeException | Error e) {
                    System.err.println("pprocess: cannot start a spare child process: " + e);
                } finally {
                    started(spare);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Ends a start: the spare joins the pool (or is closed if fewer spares are wanted by now)
     * and stops counting as starting in one step, so that a {@link #refill} never sees it in
     * neither (and leaves the pool short) nor in both.
     */
    private static synchronized void started(FrameChannel spare) {
        if (spare != null) {
            if (READY.size() < target) {
                READY.add(spare);
            } else {
                spare.close();
            }
        }
        STARTING.decrementAndGet();
    }

    private static void killAll() {
        FrameChannel spare;
        while ((spare = READY.poll()) != null) {
            spare.close();
        }
    }
}

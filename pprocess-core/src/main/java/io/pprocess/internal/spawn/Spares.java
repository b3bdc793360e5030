package io.pprocess.internal.spawn;

import io.pprocess.internal.channel.FrameChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spare children: already started, connected, and waiting for their first task, so that a
 * start costs a message instead of a JVM start. The pool refills itself in the background;
 * spares end with this JVM (they watch their parent, and a shutdown hook kills them at once).
 */
public final class Spares {
    private static final ConcurrentLinkedQueue<FrameChannel> READY = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger STARTING = new AtomicInteger();
    private static volatile int target = Integer.getInteger("pprocess.spares", 0);
    private static volatile ExecutorService filler;

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
        refill();
    }

    /** @return the number of spares kept */
    public static int target() {
        return target;
    }

    /** @return the number of spares ready now */
    public static int ready() {
        return READY.size();
    }

    static FrameChannel takeOrSpawn() {
        FrameChannel spare;
        while ((spare = READY.poll()) != null) {
            if (spare.isOpen() && spare.process().isAlive()) {
                refill();
                return spare;
            }
            spare.close();
        }
        if (target > 0) {
            refill();
        }
        return Launcher.spawn(false);
    }

    private static synchronized void refill() {
        int missing = target - READY.size() - STARTING.get();
        if (missing <= 0) {
            return;
        }
        if (filler == null) {
            filler = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pprocess-spares");
                t.setDaemon(true);
                return t;
            });
            Runtime.getRuntime().addShutdownHook(new Thread(Spares::killAll, "pprocess-spares-cleanup"));
        }
        for (int i = 0; i < missing; i++) {
            STARTING.incrementAndGet();
            filler.execute(() -> {
                try {
                    if (READY.size() < target) {
                        READY.add(Launcher.spawn(false));
                    }
                } catch (RuntimeException e) {
                    System.err.println("pprocess: cannot start a spare child process: " + e.getMessage());
                } finally {
                    STARTING.decrementAndGet();
                }
            });
        }
    }

    private static void killAll() {
        FrameChannel spare;
        while ((spare = READY.poll()) != null) {
            spare.close();
        }
    }
}

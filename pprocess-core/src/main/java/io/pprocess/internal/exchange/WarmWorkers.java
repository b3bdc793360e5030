package io.pprocess.internal.exchange;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.Setting;
import io.pprocess.ChannelException;
import io.pprocess.internal.channel.FrameChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * {@code pmap} workers kept warm between calls: a worker whose {@code pmap} has finished is
 * parked here (told to wait for a new function) for a while, and the next {@code pmap} of this
 * JVM takes it instead of starting a JVM, finding its classes loaded and its code compiled.
 * At most {@code pprocess.warmWorkers} (default: the available processors) are kept, each for
 * {@code pprocess.warmWorkerMillis} (default 30 s; 0 keeps none); they end with this JVM.
 */
public final class WarmWorkers {
    private static final ConcurrentLinkedDeque<Parked> PARKED = new ConcurrentLinkedDeque<>();
    private static volatile long keepMillis = Setting.WARM_WORKER_MILLIS.longValue(30_000, 0);
    private static final int MAX = Setting.WARM_WORKERS.intValue(
            Runtime.getRuntime().availableProcessors(), 0);
    private static Thread reaper;

    private record Parked(FrameChannel channel, long since) {
    }

    private WarmWorkers() {
    }

    /**
     * Sets how long parked workers are kept; 0 ends them at once.
     *
     * @param millis the time, not negative
     */
    public static void keepFor(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("warm worker time < 0: " + millis);
        }
        keepMillis = millis;
        if (millis == 0) {
            endAll();
        }
    }

    /**
     * Parks a worker that has just finished a {@code pmap}, or ends it if none are kept.
     *
     * @param worker the parent's end of its channel, no longer watched by any exchange
     */
    public static void park(FrameChannel worker) {
        if (keepMillis == 0 || PARKED.size() >= MAX || !worker.isOpen()) {
            worker.close();
            return;
        }
        try {
            worker.sendUnacknowledged(Park.INSTANCE);
        } catch (ChannelException e) {
            worker.close();
            return;
        }
        PARKED.push(new Parked(worker, System.nanoTime()));
        startReaper();
    }

    /** @return a parked worker, most recently parked first, or {@code null} */
    public static FrameChannel take() {
        Parked p;
        while ((p = PARKED.poll()) != null) {
            if (p.channel.isOpen() && p.channel.process().isAlive() && !p.channel.hasAnyBufferedInput()) {
                return p.channel;
            }
            p.channel.close();
        }
        return null;
    }

    /** @return how many workers are parked */
    public static int parked() {
        return PARKED.size();
    }

    /** @return the process ids of the parked workers, most recently parked first */
    public static java.util.List<Long> parkedPids() {
        java.util.List<Long> pids = new java.util.ArrayList<>();
        for (Parked p : PARKED) {
            pids.add(p.channel.process().pid());
        }
        return pids;
    }

    private static synchronized void startReaper() {
        if (reaper != null) {
            return;
        }
        reaper = LibraryThreads.daemon(WarmWorkers::reap, "pprocess-warm-workers");
        reaper.start();
        LibraryThreads.onShutdown(WarmWorkers::endAll, "pprocess-warm-workers-cleanup");
    }

    private static void reap() {
        while (true) {
            try {
                Thread.sleep(Math.max(100, Math.min(1000, keepMillis / 4)));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Iterator<Parked> it = PARKED.iterator(); it.hasNext(); ) {
                Parked p = it.next();
                if (now - p.since > keepMillis * 1_000_000L && PARKED.remove(p)) {
                    p.channel.close();
                }
            }
        }
    }

    private static void endAll() {
        Parked p;
        while ((p = PARKED.poll()) != null) {
            p.channel.close();
        }
    }
}

package io.pprocess.testing;

import io.pprocess.internal.spawn.Transports;
import io.pprocess.Channel;
import io.pprocess.PProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

/**
 * The parent of the leak test: runs start/receive cycles on two threads and prints its open
 * descriptors, threads and zombie children before and after, as
 * {@code before FDS THREADS ZOMBIES} and {@code after FDS THREADS ZOMBIES RUNNING}.
 */
public final class LeakParent {
    private static final int WORKERS = 2;

    private LeakParent() {
    }

    /**
     * Runs the cycles.
     *
     * @param args the number of cycles
     */
    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            run(pool, 10);
            settle(Procs::zombieChildren, 0);
            int fds = Procs.openFds();
            int threads = Thread.activeCount();
            System.out.println("before " + fds + " " + threads + " " + Procs.zombieChildren());
            long t0 = System.nanoTime();
            run(pool, cycles);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d cycles on the %s transport in %.1f s (%.1f ms each)%n", cycles,
                    Transports.configuredName(), seconds, seconds * 1000 / cycles);
            int zombies = settle(Procs::zombieChildren, 0);
            int fdsAfter = settle(Procs::openFds, fds);
            int threadsAfter = settle(Thread::activeCount, threads);
            System.out.println("after " + fdsAfter + " " + threadsAfter + " " + zombies + " " + PProcess.waitAll());
            if (fdsAfter != fds) {
                System.out.println("descriptors " + Procs.fdTargets());
            }
        } finally {
            pool.shutdownNow();
        }
        System.exit(0);
    }

    private static void run(ExecutorService pool, int cycles) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int share = cycles / WORKERS + (w < cycles % WORKERS ? 1 : 0);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < share; i++) {
                    try (Channel ch = PProcess.start((Channel c, Integer n) -> c.send(n + 1), i)) {
                        int answer = ch.receive();
                        if (answer != i + 1) {
                            throw new AssertionError("cycle " + i + " answered " + answer);
                        }
                        ch.waitFor(Duration.ofSeconds(30));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** Waits up to 15 s for a count to come down to {@code target}; returns the last count. */
    private static int settle(IntSupplier count, int target) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        int value = count.getAsInt();
        while (value > target && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            value = count.getAsInt();
        }
        return value;
    }
}

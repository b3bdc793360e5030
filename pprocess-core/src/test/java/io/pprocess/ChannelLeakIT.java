package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.internal.transport.Transports;
import io.pprocess.testing.Procs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many start/receive cycles leave the parent's descriptors, threads and zombies where they
 * began. {@code -Dpprocess.leakCycles} sets the number of cycles (1,000 by default).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChannelLeakIT {
    private static final int WORKERS = 2;

    @Test
    void thousandCyclesLeakNothing() throws Exception {
        int cycles = Integer.getInteger("pprocess.leakCycles", 1000);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            run(pool, 10);
            settle(Procs::zombieChildren, 0);
            int fds = Procs.openFds();
            int threads = Thread.activeCount();
            long t0 = System.nanoTime();
            run(pool, cycles);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d cycles on the %s transport in %.1f s (%.1f ms each)%n", cycles,
                    Transports.configuredName(), seconds, seconds * 1000 / cycles);
            assertThat(settle(Procs::zombieChildren, 0)).as("zombie children").isZero();
            assertThat(settle(Procs::openFds, fds)).as("open descriptors, %s", Procs.fdTargets()).isEqualTo(fds);
            assertThat(settle(Thread::activeCount, threads)).as("threads").isLessThanOrEqualTo(threads);
            assertThat(PProcess.waitAll()).isZero();
        } finally {
            pool.shutdownNow();
        }
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
                        ch.waitFor(java.time.Duration.ofSeconds(30));
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

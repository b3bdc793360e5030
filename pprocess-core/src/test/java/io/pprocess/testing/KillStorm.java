package io.pprocess.testing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Fault injection: a thread that SIGKILLs a random pprocess child of this JVM at a fixed
 * period, as a harsh user (or the kernel's OOM killer) would.
 */
public final class KillStorm implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger kills = new AtomicInteger();
    private volatile boolean stopped;

    private KillStorm(long periodMillis, long youngerThanMillis) {
        thread = new Thread(() -> run(periodMillis, youngerThanMillis), "kill-storm");
        thread.setDaemon(true);
    }

    /**
     * Starts killing a random child every {@code periodMillis}.
     *
     * @param periodMillis the period
     * @return the storm; close it to stop
     */
    public static KillStorm every(long periodMillis) {
        KillStorm storm = new KillStorm(periodMillis, -1);
        storm.thread.start();
        return storm;
    }

    /**
     * Kills each new child as soon as it is seen (looking every 2 ms), {@code count} times:
     * children killed while their JVM starts.
     *
     * @param count how many to kill before stopping
     * @return the storm
     */
    public static KillStorm newChildren(int count) {
        KillStorm storm = new KillStorm(-count, 1);
        storm.thread.start();
        return storm;
    }

    /** @return how many children were killed */
    public int kills() {
        return kills.get();
    }

    private void run(long period, long young) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        ProcessHandle.current().children().forEach(p -> seen.add(p.pid()));
        while (!stopped) {
            try {
                Thread.sleep(young > 0 ? 2 : period);
            } catch (InterruptedException e) {
                return;
            }
            List<ProcessHandle> children = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("io.pprocess.internal.child.ChildMain"))
                            .orElse(false))
                    .collect(Collectors.toList());
            if (young > 0) {
                for (ProcessHandle p : children) {
                    if (seen.add(p.pid()) && p.destroyForcibly() && kills.incrementAndGet() >= -period) {
                        return;
                    }
                }
            } else if (!children.isEmpty()) {
                ProcessHandle victim = children.get(ThreadLocalRandom.current().nextInt(children.size()));
                if (victim.destroyForcibly()) {
                    kills.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5000);
    }
}

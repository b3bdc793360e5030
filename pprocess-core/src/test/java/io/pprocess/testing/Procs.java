package io.pprocess.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The tests' one helper for process facts (descriptors, zombies, detached children, from
 * {@code /proc}), threads (how many, and whether one is blocked inside a given method) and
 * waiting for a condition.
 */
public final class Procs {
    private Procs() {
    }

    /** @return the number of open descriptors of this process */
    public static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the targets of this process's descriptors, as "fd -> target" */
    public static List<String> fdTargets() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException e) {
                    // Closed while listing (the listing's own descriptor).
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Ends the children that earlier tests of this JVM left to end by themselves (warm
     * {@code pmap} workers parked for {@code pprocess.warmWorkerMillis}, spares) and waits until
     * every child started by this JVM has ended, so that none closes its descriptors in the
     * middle of a test that counts this process's descriptors.
     */
    public static void endChildrenOfEarlierTests() throws InterruptedException {
        endWarmWorkers();
        io.pprocess.internal.spawn.Spares.keep(0);
        if (!eventually(10_000, () -> io.pprocess.internal.spawn.Launcher.reapEnded() == 0)) {
            throw new IllegalStateException(io.pprocess.internal.spawn.Launcher.reapEnded()
                    + " children of earlier tests still running after 10 s");
        }
    }

    /**
     * Ends the {@code pmap} workers parked warm in this JVM, then keeps parking later ones for
     * {@code pprocess.warmWorkerMillis} as before.
     */
    public static void endWarmWorkers() {
        io.pprocess.internal.exchange.WarmWorkers.keepFor(0);
        io.pprocess.internal.exchange.WarmWorkers.keepFor(Long.getLong("pprocess.warmWorkerMillis", 30_000));
    }

    /** @return the number of live Java threads of this JVM */
    public static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** @return the target of one of this process's descriptors, such as {@code pipe:[1234]} */
    public static String descriptorTarget(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
    }

    /**
     * Waits up to {@code millis} for {@code condition}.
     *
     * @return whether it came true
     */
    public static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A call running in a thread of its own: the thread, and the call's outcome. */
    public record Call<T>(Thread thread, CompletableFuture<T> outcome) {
        /**
         * Waits until the call's thread is inside {@code type.method} and has stayed there for
         * {@code stayMillis} without the call ending: the call has begun and is blocked there.
         *
         * @return whether it was seen blocked within {@code timeoutMillis}
         */
        public boolean blockedIn(Class<?> type, String method, long stayMillis, long timeoutMillis)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            long insideSince = -1;
            while (System.nanoTime() < deadline && !outcome.isDone()) {
                boolean inside = false;
                for (StackTraceElement frame : thread.getStackTrace()) {
                    if (frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method)) {
                        inside = true;
                        break;
                    }
                }
                long now = System.nanoTime();
                if (!inside) {
                    insideSince = -1;
                } else if (insideSince < 0) {
                    insideSince = now;
                } else if (now - insideSince >= stayMillis * 1_000_000L) {
                    return !outcome.isDone();
                }
                Thread.sleep(5);
            }
            return false;
        }
    }

    /** Starts {@code call} in a new daemon thread named {@code name}. */
    public static <T> Call<T> inThread(String name, Callable<T> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return new Call<>(thread, outcome);
    }

    /** @return the number of zombie children of this process */
    public static int zombieChildren() {
        long self = ProcessHandle.current().pid();
        int zombies = 0;
        for (Path p : processDirectories()) {
            try {
                String stat = Files.readString(p.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == self) {
                    zombies++;
                }
            } catch (IOException | RuntimeException e) {
                // The process ended while we looked.
            }
        }
        return zombies;
    }

    /** @return the /proc directories of the processes running now */
    private static List<Path> processDirectories() {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .collect(java.util.stream.Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a process is gone.
     *
     * @param pid the process
     * @param millis the most to wait
     * @return whether it is gone
     */
    public static boolean awaitGone(long pid, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) || isZombie(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Kills the detached (persistent) processes this JVM started, found by the parent pid in
     * their environment: tests use it so a failing test leaves no background process behind.
     *
     * @return how many were killed
     */
    public static int killDetachedChildren() {
        String marker = "PPROCESS_PARENT_PID=" + ProcessHandle.current().pid();
        int killed = 0;
        for (Path p : processDirectories()) {
            try {
                String env = new String(Files.readAllBytes(p.resolve("environ")), java.nio.charset.StandardCharsets.UTF_8);
                List<String> vars = List.of(env.split("\\u0000"));
                if (vars.contains(marker) && vars.contains("PPROCESS_DETACHED=1")) {
                    ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                            .ifPresent(ProcessHandle::destroyForcibly);
                    killed++;
                }
            } catch (IOException | RuntimeException e) {
                // Gone, or not ours to read.
            }
        }
        return killed;
    }
}

package io.pprocess.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads process facts from /proc for tests. */
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

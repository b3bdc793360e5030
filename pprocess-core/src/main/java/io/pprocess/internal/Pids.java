package io.pprocess.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether a process that is not this JVM's child is still running, and waiting for its end.
 *
 * <p>{@link ProcessHandle#isAlive} counts a process that has exited but is not yet reaped by
 * its parent (a zombie) as alive, and {@link ProcessHandle#onExit} of a process that is not a
 * child polls at 300 ms and more. Here a zombie has ended (on Linux, from the state in
 * {@code /proc/<pid>/stat}; elsewhere as {@code ProcessHandle} says), and a wait polls every
 * few milliseconds.
 */
public final class Pids {
    private static final long POLL_MILLIS = 5;

    private Pids() {
    }

    /**
     * @param pid a process id
     * @return whether that process exists and has not exited
     */
    public static boolean running(long pid) {
        if (pid <= 0) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return running(new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Reads the state in the text of a {@code /proc/<pid>/stat} file: the field after the
     * command name, which is in parentheses and may itself hold spaces and parentheses.
     *
     * @param stat the file's text
     * @return false for a zombie ({@code Z}) or a dead process ({@code X}, {@code x})
     */
    static boolean running(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        char state = stat.charAt(close + 2);
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /**
     * Waits for a process to end.
     *
     * @param pid a process id
     * @param timeoutMillis how long to wait: zero just looks, negative waits as long as needed
     * @return whether it has ended
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean awaitEnd(long pid, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        while (running(pid)) {
            if (timeoutMillis >= 0 && System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}

package io.pprocess.internal.transport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The native calls of the pipe transport, through jnr-posix, and the lock that keeps
 * descriptors from leaking into children.
 *
 * <p>Only the parent uses this class: loading jnr costs about half a second, which a child
 * must not pay.
 */
final class Posix {
    /** {@code FD_CLOEXEC} from {@code <fcntl.h>}. */
    static final int FD_CLOEXEC = 1;

    /**
     * Held while descriptors that a child must not inherit are being created, and while a
     * child is spawned. A spawn lists the parent's open descriptors and closes every one of
     * them in the child; a descriptor created by another thread between the listing and the
     * spawn would slip through, so every creator of pipes in this package takes this lock.
     */
    static final ReentrantLock DESCRIPTORS = new ReentrantLock();

    private static final int EINTR = Errno.EINTR.intValue();

    /**
     * How many bytes of pipe capacity beyond their first size this process's pipes may hold
     * in all: a quarter of the user's soft limit ({@code /proc/sys/fs/pipe-user-pages-soft}),
     * at most 16 MiB. A user past that limit gets small pipes for every new pipe, so grown
     * pipes must leave most of it to the user's other pipes.
     */
    static final long GROWTH_BUDGET_BYTES = growthBudget();

    private static final AtomicLong GROWN_BYTES = new AtomicLong();

    private Posix() {
    }

    private static final class Holder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    /**
     * Returns the native POSIX binding, loading it on first use.
     *
     * @return the binding
     * @throws IOException if jnr-posix cannot load its native code on this platform
     */
    static POSIX load() throws IOException {
        POSIX posix;
        try {
            posix = Holder.POSIX;
        } catch (LinkageError | RuntimeException e) {
            throw new IOException("the pipe transport needs jnr-posix's native binding, which cannot be"
                    + " loaded here: " + e, e);
        }
        if (!posix.isNative()) {
            throw new IOException("the pipe transport needs jnr-posix's native binding, but only its"
                    + " pure-Java fallback is available on " + System.getProperty("os.name"));
        }
        return posix;
    }

    /** @return the binding; only valid once {@link #load()} has succeeded */
    static POSIX get() {
        return Holder.POSIX;
    }

    /**
     * Describes an error number for a message.
     *
     * @param errno the error number
     * @return for example {@code "Broken pipe (EPIPE)"}
     */
    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        return e.description() + " (" + e.name() + ")";
    }

    /**
     * Builds the exception for a failed call, from the calling thread's {@code errno}.
     *
     * @param what what failed, for example {@code "pipe()"}
     * @return the exception
     */
    static IOException failure(String what) {
        return new IOException(what + " failed: " + describe(Holder.POSIX.errno()));
    }

    /** @return whether the last call of this thread failed with {@code EINTR} */
    static boolean interrupted() {
        return Holder.POSIX.errno() == EINTR;
    }

    /**
     * Makes a pipe whose two descriptors are above {@code floor} and close-on-exec. The
     * caller holds {@link #DESCRIPTORS}.
     *
     * @param floor the largest descriptor number the pipe must not use
     * @return the read end and the write end
     * @throws IOException if the pipe cannot be made
     */
    static int[] pipeAbove(int floor) throws IOException {
        POSIX posix = Holder.POSIX;
        int[] fds = {-1, -1};
        if (posix.pipe(fds) < 0) {
            throw failure("pipe()");
        }
        try {
            for (int i = 0; i < 2; i++) {
                if (fds[i] <= floor) {
                    int moved = posix.fcntlInt(fds[i], Fcntl.F_DUPFD, floor + 1);
                    if (moved < 0) {
                        throw failure("fcntl(" + fds[i] + ", F_DUPFD, " + (floor + 1) + ")");
                    }
                    posix.close(fds[i]);
                    fds[i] = moved;
                }
                if (posix.fcntlInt(fds[i], Fcntl.F_SETFD, FD_CLOEXEC) < 0) {
                    throw failure("fcntl(" + fds[i] + ", F_SETFD, FD_CLOEXEC)");
                }
            }
        } catch (IOException e) {
            closeQuietly(fds[0]);
            closeQuietly(fds[1]);
            throw e;
        }
        return fds;
    }

    /**
     * Reads the capacity of the pipe that {@code fd} is an end of ({@code F_GETPIPE_SZ}).
     *
     * @param fd either end of a pipe
     * @return its capacity in bytes, or -1 if it cannot be read (not Linux, or not a pipe)
     */
    static int pipeBytes(int fd) {
        if (!Fcntl.F_GETPIPE_SZ.defined()) {
            return -1;
        }
        return Holder.POSIX.fcntlInt(fd, Fcntl.F_GETPIPE_SZ, 0);
    }

    /**
     * Asks for a larger capacity of the pipe that {@code fd} is an end of
     * ({@code F_SETPIPE_SZ}), within {@link #GROWTH_BUDGET_BYTES}. Best effort: a refusal
     * ({@code EPERM} above {@code /proc/sys/fs/pipe-max-size} or past the user's hard limit,
     * {@code EBUSY}, a spent budget, no such call here) leaves the pipe as it is.
     *
     * @param fd either end of a pipe
     * @param current its capacity now, in bytes
     * @param wanted the capacity asked for, in bytes; more than {@code current}
     * @return the capacity now (the kernel rounds a grant up to a power of two pages), or
     *     {@code -1} if the pipe stays at {@code current}
     */
    static int growPipe(int fd, int current, int wanted) {
        if (!Fcntl.F_SETPIPE_SZ.defined()) {
            return -1;
        }
        long extra = wanted - current;
        if (GROWN_BYTES.addAndGet(extra) > GROWTH_BUDGET_BYTES) {
            GROWN_BYTES.addAndGet(-extra);
            return -1;
        }
        int granted = Holder.POSIX.fcntlInt(fd, Fcntl.F_SETPIPE_SZ, wanted);
        if (granted < 0) {
            GROWN_BYTES.addAndGet(-extra);
            return -1;
        }
        GROWN_BYTES.addAndGet(granted - wanted);
        return granted;
    }

    /**
     * Gives back to {@link #GROWTH_BUDGET_BYTES} what {@link #growPipe} took for a pipe that
     * has been closed.
     *
     * @param bytes the capacity it was given beyond its first size
     */
    static void releaseGrowth(long bytes) {
        GROWN_BYTES.addAndGet(-bytes);
    }

    /** @return the pipe capacity taken by grown pipes that are still open, in bytes */
    static long grownBytes() {
        return GROWN_BYTES.get();
    }

    private static long growthBudget() {
        long budget = 16L << 20;
        try {
            // Not Files.readString: it sees a file of size 0 and reads one byte of it.
            long pages = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/pipe-user-pages-soft"),
                    StandardCharsets.US_ASCII).get(0).trim());
            if (pages > 0) {
                budget = Math.min(budget, pages * 4096 / 4);
            }
        } catch (IOException | RuntimeException e) {
            // No such file (not Linux) or no soft limit to read: the fixed budget stands.
        }
        return budget;
    }

    /**
     * Lists this process's open descriptors, from {@code /proc/self/fd} on Linux or
     * {@code /dev/fd} elsewhere. The list may hold the descriptor used to read the directory,
     * already closed.
     *
     * @return the descriptor numbers, ascending
     * @throws IOException if neither directory can be read
     */
    static int[] openDescriptors() throws IOException {
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            names = new File("/dev/fd").list();
        }
        if (names == null) {
            throw new IOException("cannot list the open descriptors: neither /proc/self/fd nor /dev/fd"
                    + " can be read");
        }
        int[] fds = new int[names.length];
        int n = 0;
        for (String name : names) {
            try {
                fds[n++] = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                n--;
            }
        }
        fds = Arrays.copyOf(fds, n);
        Arrays.sort(fds);
        return fds;
    }

    /**
     * Closes a descriptor, ignoring failures; does nothing for a negative number.
     *
     * @param fd the descriptor
     */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            Holder.POSIX.close(fd);
        }
    }
}

package io.pprocess.internal.transport;

import java.io.IOException;
import jnr.constants.platform.Fcntl;

/**
 * Fixtures shared by the pipe transport tests: pairs of links in this process, and what the
 * spawn tests may see of a pipe link's descriptors (process facts are in
 * {@code io.pprocess.testing.Procs}).
 */
public final class PipeFixtures {

    private PipeFixtures() {
    }

    /** @return two links joined by two pipes, in this process: what one writes the other reads */
    static PipeLink[] linkPair() throws IOException {
        return linkPair(PipeLink.LARGEST_PIPE_BYTES);
    }

    /**
     * @param largestPipeBytes the largest capacity either link asks for its pipes
     * @return two links joined by two pipes, in this process: what one writes the other reads
     */
    static PipeLink[] linkPair(int largestPipeBytes) throws IOException {
        return linkPair(largestPipeBytes, largestPipeBytes);
    }

    /**
     * @param firstLargest the largest capacity the first link asks for its pipes
     * @param secondLargest the same for the second link
     * @return two links joined by two pipes, in this process: what one writes the other reads
     */
    static PipeLink[] linkPair(int firstLargest, int secondLargest) throws IOException {
        Posix.load();
        Posix.DESCRIPTORS.lock();
        try {
            int[] ab = Posix.pipeAbove(2);
            int[] ba = Posix.pipeAbove(2);
            return new PipeLink[] {
                new PipeLink(Posix.get(), ba[0], ab[1], firstLargest),
                new PipeLink(Posix.get(), ab[0], ba[1], secondLargest)
            };
        } finally {
            Posix.DESCRIPTORS.unlock();
        }
    }

    /** @return the descriptor a pipe link reads from (the pipe from its child) */
    public static int readFd(Link link) {
        return ((PipeLink) link).readFd();
    }

    /** @return the descriptor a pipe link writes to (the pipe to its child) */
    public static int writeFd(Link link) {
        return ((PipeLink) link).writeFd();
    }

    /** @return whether {@code fd} of this process is close-on-exec */
    public static boolean closeOnExec(int fd) {
        return (Posix.get().fcntl(fd, Fcntl.F_GETFD) & Posix.FD_CLOEXEC) != 0;
    }
}

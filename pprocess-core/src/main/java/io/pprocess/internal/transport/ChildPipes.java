package io.pprocess.internal.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jnr.posix.POSIX;
import jnr.posix.SpawnFileAction;

/**
 * The parent's half of the pipe transport's descriptors (the child's half is
 * {@link PipeChildLink}): the two pipes a new child gets as descriptors
 * {@value #CHILD_READ_FD} (its input) and {@value #CHILD_WRITE_FD} (its output).
 *
 * <p>Neither the JDK's descriptors nor jnr's are close-on-exec, and {@code posix_spawnp} does
 * not close them, so {@link #spawn} lists the parent's open descriptors and has the child close
 * every one above 2 besides its own two: a child holds its standard streams (the parent's), its
 * two channel descriptors, and nothing else. Otherwise a child would hold the pipes of its
 * siblings, and a parent closing a channel would never give that channel's child the end of
 * its input. Pipes are made, and the child started, under {@link Posix#DESCRIPTORS}, so no
 * pipe of this package escapes the listing. The parent keeps its own ends close-on-exec and
 * closes the child's ends once the child has them.
 */
public final class ChildPipes {
    /** The child's input, the read end of the pipe from the parent. */
    public static final int CHILD_READ_FD = PipeChildLink.READ_FD;
    /** The child's output, the write end of the pipe to the parent. */
    public static final int CHILD_WRITE_FD = PipeChildLink.WRITE_FD;

    private ChildPipes() {
    }

    /** Starts the process that is to hold the child's ends. */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the child; called with the descriptor lock held, so it must not wait for anything.
         *
         * @param posix the binding
         * @param actions the file actions that give the child its two descriptors and close the rest
         * @return the child's pid
         * @throws IOException if the child cannot be started
         */
        long start(POSIX posix, List<SpawnFileAction> actions) throws IOException;
    }

    /**
     * A child started with its two pipes.
     *
     * @param pid the child's pid
     * @param link the parent's end of its pipes
     */
    public record Started(long pid, Link link) {
    }

    /**
     * Returns the native binding the pipe transport needs, loading it on first use.
     *
     * @return the binding
     * @throws IOException if jnr-posix cannot load its native code on this platform
     */
    public static POSIX posix() throws IOException {
        return Posix.load();
    }

    /**
     * Describes this thread's last {@code errno} for a message.
     *
     * @return for example {@code "No such file or directory (ENOENT)"}
     */
    public static String lastError() {
        return Posix.describe(Posix.get().errno());
    }

    /**
     * Makes the two pipes and has {@code starter} start the child that holds their far ends.
     *
     * @param starter starts the child with the file actions given to it
     * @return the child's pid and the parent's end of its pipes
     * @throws IOException if the pipes cannot be made or the starter fails (its exception)
     */
    public static Started spawn(Starter starter) throws IOException {
        POSIX posix = Posix.load();
        int[] toChild = {-1, -1};
        int[] fromChild = {-1, -1};
        long pid;
        Posix.DESCRIPTORS.lock();
        try {
            toChild = Posix.pipeAbove(CHILD_WRITE_FD);
            fromChild = Posix.pipeAbove(CHILD_WRITE_FD);
            List<SpawnFileAction> actions = new ArrayList<>();
            actions.add(SpawnFileAction.dup(toChild[0], CHILD_READ_FD));
            actions.add(SpawnFileAction.dup(fromChild[1], CHILD_WRITE_FD));
            for (int fd : Posix.openDescriptors()) {
                if (fd > CHILD_WRITE_FD) {
                    actions.add(SpawnFileAction.close(fd));
                }
            }
            pid = starter.start(posix, actions);
        } catch (IOException | RuntimeException e) {
            Posix.closeQuietly(toChild[1]);
            Posix.closeQuietly(fromChild[0]);
            throw e;
        } finally {
            Posix.closeQuietly(toChild[0]);
            Posix.closeQuietly(fromChild[1]);
            Posix.DESCRIPTORS.unlock();
        }
        return new Started(pid, new PipeLink(posix, fromChild[0], toChild[1]));
    }
}

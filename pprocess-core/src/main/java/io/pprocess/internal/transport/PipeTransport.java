package io.pprocess.internal.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jnr.posix.POSIX;
import jnr.posix.SpawnFileAction;

/**
 * The pipe transport: two pipes made with jnr-posix, given to the child as descriptors 3 (its
 * input) and 4 (its output), the fallback to {@link SocketTransport} chosen with
 * {@code -Dpprocess.transport=pipe} or {@code PPROCESS_TRANSPORT=pipe}.
 *
 * <p>The child is started with {@code posix_spawnp}. Neither the JDK's descriptors nor jnr's
 * are close-on-exec, and {@code posix_spawnp} does not close them, so the spawn lists the
 * parent's open descriptors and closes every one above 2 in the child: a child holds its
 * standard streams (the parent's), its two channel descriptors, and nothing else. Otherwise a
 * child would hold the pipes of its siblings, and a parent closing a channel would never
 * give that channel's child the end of its input. Pipes are made, and children spawned,
 * under {@link Posix#DESCRIPTORS}, so no pipe of this package escapes the listing. The parent
 * keeps its own ends close-on-exec and closes the child's ends once the child has them.
 *
 * <p>There is no greeting: the link is up as soon as the child is spawned. A child that ends
 * before reading shows as the end of its output; the channel then asks the child's
 * {@link ChildProcess} for the exit status. The child opens its ends as {@code /dev/fd/3} and
 * {@code /dev/fd/4} with plain JDK streams and never loads jnr. Children are reaped by
 * {@link PosixChildProcess}.
 */
public final class PipeTransport implements Transport {
    /** The child's input, the read end of the pipe from the parent. */
    static final int CHILD_READ_FD = 3;
    /** The child's output, the write end of the pipe to the parent. */
    static final int CHILD_WRITE_FD = 4;

    private final POSIX posix;

    PipeTransport() throws IOException {
        posix = Posix.load();
    }

    @Override
    public String name() {
        return "pipe";
    }

    /**
     * {@inheritDoc}
     *
     * <p>The child's environment is this JVM's plus {@code environment}. The link is up at
     * once, so {@code connectTimeoutMillis} is not used.
     */
    @Override
    public Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> env = environmentWith(environment);
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
            pid = posix.posix_spawnp(command.get(0), actions, command, env);
            if (pid <= 0) {
                throw new IOException(spawnFailure(command.get(0)));
            }
        } catch (IOException | RuntimeException e) {
            Posix.closeQuietly(toChild[1]);
            Posix.closeQuietly(fromChild[0]);
            throw e;
        } finally {
            Posix.closeQuietly(toChild[0]);
            Posix.closeQuietly(fromChild[1]);
            Posix.DESCRIPTORS.unlock();
        }
        ChildProcess child = PosixChildProcess.adopt(posix, pid);
        return new Spawned(child, new PipeLink(posix, fromChild[0], toChild[1]));
    }

    private static List<String> environmentWith(Map<String, String> extra) {
        Map<String, String> merged = new TreeMap<>(System.getenv());
        merged.putAll(extra);
        List<String> env = new ArrayList<>(merged.size());
        merged.forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    private static String spawnFailure(String program) {
        String reason;
        Path path = Path.of(program);
        if (program.indexOf('/') < 0) {
            reason = "it was not found on the PATH or cannot be run";
        } else if (!Files.exists(path)) {
            reason = "no such file";
        } else if (!Files.isExecutable(path)) {
            reason = "the file is not executable";
        } else {
            reason = "posix_spawnp failed (" + Posix.describe(Posix.get().errno()) + ")";
        }
        return "cannot start " + program + ": " + reason;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A {@link PipePoller}: jnr-enxio's selector, with its weak spots covered.
     */
    @Override
    public Poller openPoller() throws IOException {
        Posix.DESCRIPTORS.lock();
        try {
            return new PipePoller();
        } finally {
            Posix.DESCRIPTORS.unlock();
        }
    }
}

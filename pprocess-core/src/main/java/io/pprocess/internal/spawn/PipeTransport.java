package io.pprocess.internal.spawn;

import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.transport.ChildPipes;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.transport.Poller;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;

/**
 * The pipe transport: two pipes made with jnr-posix, given to the child as descriptors 3 (its
 * input) and 4 (its output), the fallback to {@link SocketTransport} chosen with
 * {@code -Dpprocess.transport=pipe} or {@code PPROCESS_TRANSPORT=pipe}.
 *
 * <p>The child is started with {@code posix_spawnp}, inside {@link ChildPipes#spawn}, which
 * makes the pipes and gives the child its two descriptors and no other (see there).
 *
 * <p>The child opens its ends as {@code /dev/fd/3} and {@code /dev/fd/4} with plain JDK
 * streams (it never loads jnr) and greets the parent as a socket child does: a
 * {@link Frames#HELLO} frame with the one-time token from {@link Frames#TOKEN_ENV}.
 * {@link #spawn} returns once the greeting has come, so a child that cannot start (a bad JVM
 * option) fails the spawn with its exit status, on both transports alike. Children are reaped
 * by {@link PosixChildProcess}.
 */
final class PipeTransport implements Transport {
    /** How long a child that closed its output before greeting may take to exit. */
    private static final long EXIT_GRACE_MILLIS = 5000;

    private final POSIX posix;

    PipeTransport() throws IOException {
        posix = ChildPipes.posix();
    }

    @Override
    public String name() {
        return "pipe";
    }

    /**
     * {@inheritDoc}
     *
     * <p>The child's environment is this JVM's plus {@code environment} plus its token.
     */
    @Override
    public Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException {
        byte[] token = Frames.newToken();
        Map<String, String> env = new HashMap<>(environment);
        env.put(Frames.TOKEN_ENV, Frames.tokenText(token));
        Spawned started = launch(command, env);
        try {
            awaitGreeting(started, token, connectTimeoutMillis);
            return started;
        } catch (IOException | RuntimeException e) {
            started.process().kill();
            started.link().close();
            throw e;
        }
    }

    /**
     * Starts a program with its two pipes and returns at once, without waiting for a greeting:
     * the first half of {@link #spawn}, which also serves programs that do not speak pprocess.
     *
     * @param command the whole command line
     * @param environment extra environment variables
     * @return the process and the parent's end of its pipes
     * @throws IOException if the pipes cannot be made or the program cannot be started
     */
    Spawned launch(List<String> command, Map<String, String> environment) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> env = environmentWith(environment);
        ChildPipes.Started started = ChildPipes.spawn((binding, actions) -> {
            long pid = binding.posix_spawnp(command.get(0), actions, command, env);
            if (pid <= 0) {
                throw new IOException(spawnFailure(command.get(0)));
            }
            return pid;
        });
        ChildProcess child = PosixChildProcess.adopt(posix, started.pid());
        return new Spawned(child, started.link());
    }

    /** Reads the child's greeting, waiting at most {@code timeoutMillis}. */
    private void awaitGreeting(Spawned started, byte[] token, long timeoutMillis) throws IOException {
        ChildProcess child = started.process();
        Link link = started.link();
        ByteBuffer hello = ByteBuffer.allocate(Frames.HELLO_BYTES);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try (Poller poller = openPoller()) {
            poller.register(link, link);
            while (hello.hasRemaining()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("child process " + child.pid() + " did not greet within "
                            + timeoutMillis + " ms (pprocess.connectTimeoutMillis)");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while child process " + child.pid()
                            + " was starting");
                }
                if (!poller.select(TimeUnit.NANOSECONDS.toMillis(left) + 1).isEmpty() && link.read(hello) < 0) {
                    throw endedBeforeGreeting(child);
                }
            }
        }
        byte[] received = Frames.childToken(hello);
        if (received == null || !Arrays.equals(received, token)) {
            throw new IOException("child process " + child.pid() + " did not greet as a pprocess child:"
                    + " its first bytes were not a HELLO frame with its token");
        }
    }

    private static IOException endedBeforeGreeting(ChildProcess child) throws IOException {
        OptionalInt status;
        try {
            status = child.waitFor(EXIT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while child process " + child.pid() + " was ending");
        }
        if (status.isPresent()) {
            return new ChildStartException(child.pid(), status.getAsInt());
        }
        return new IOException("child process " + child.pid() + " closed its channel before greeting"
                + " and is still running");
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
            reason = "posix_spawnp failed (" + ChildPipes.lastError() + ")";
        }
        return "cannot start " + program + ": " + reason;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A {@code PipePoller}: jnr-enxio's selector, with its weak spots covered.
     */
    @Override
    public Poller openPoller() throws IOException {
        return Poller.forPipes();
    }
}

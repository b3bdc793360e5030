package io.pprocess.internal.spawn;

import io.pprocess.internal.transport.Link;
import io.pprocess.internal.transport.Poller;
import io.pprocess.internal.transport.SocketListener;
import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default transport: AF_UNIX stream sockets from the JDK, children started with
 * {@link ProcessBuilder}.
 *
 * <p>The parent listens once ({@link SocketListener}, the rendezvous of both halves); each
 * child is given the listener's path and a one-time random token in its environment, and
 * {@link #spawn} returns once the child has connected and greeted with its token.
 */
final class SocketTransport implements Transport {
    private final SocketListener listener;

    SocketTransport() throws IOException {
        listener = new SocketListener();
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException {
        return spawn(command, environment, connectTimeoutMillis, null);
    }

    /**
     * Starts a detached child: a new session ({@code setsid}), working directory {@code /},
     * standard input from {@code /dev/null}, standard output and error appended to {@code log}
     * (or discarded).
     *
     * @param command the command
     * @param environment extra environment variables
     * @param connectTimeoutMillis how long the child may take to connect
     * @param log where the child's output goes, or {@code null} to discard it
     * @return the child and the parent's end of the link
     * @throws IOException if the child cannot be started or does not connect
     */
    Spawned spawnDetached(List<String> command, Map<String, String> environment, long connectTimeoutMillis,
                          Path log) throws IOException {
        List<String> detached = new java.util.ArrayList<>();
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(setsid))) {
                detached.add(setsid);
                break;
            }
        }
        detached.addAll(command);
        ProcessBuilder.Redirect out = log == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.appendTo(log.toAbsolutePath().toFile());
        return spawn(detached, environment, connectTimeoutMillis, out);
    }

    private Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis,
                          ProcessBuilder.Redirect detachedOutput) throws IOException {
        String token = Frames.tokenText(Frames.newToken());
        CompletableFuture<Link> connection = listener.expect(token);
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (detachedOutput == null) {
                pb.inheritIO();
            } else {
                // A daemon leaves the directory it was started in, which may be removed.
                pb.directory(new java.io.File("/"))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(detachedOutput)
                        .redirectErrorStream(true);
            }
            Map<String, String> env = pb.environment();
            env.putAll(environment);
            env.put(SocketListener.ENV_ADDRESS, listener.address());
            env.put(Frames.TOKEN_ENV, token);
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            listener.forget(token);
            throw e;
        }
        ChildProcess child = new JdkChildProcess(process);
        try {
            return new Spawned(child, awaitConnection(connection, process, connectTimeoutMillis));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            listener.forget(token);
        }
    }

    private static Link awaitConnection(CompletableFuture<Link> connection, Process process,
                                        long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                return connection.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw new ChildStartException(process.pid(), process.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("child process " + process.pid() + " did not connect within "
                            + timeoutMillis + " ms (pprocess.connectTimeoutMillis)");
                }
            } catch (ExecutionException e) {
                throw new IOException("child process " + process.pid() + " failed to connect", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while child process " + process.pid() + " was starting", e);
            }
        }
    }

    @Override
    public Poller openPoller() throws IOException {
        return Poller.forSockets();
    }
}

package io.pprocess.cluster.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A node's handle on one job host JVM ({@link JobHost}): starts it with a class path, sends it
 * chunks (several may run at once) and cancellations, and reads the outcomes back as bytes,
 * which it does not decode; a reader thread hands each answer to the chunk waiting for it.
 */
final class JobHostProcess implements Closeable {
    private static final long CONNECT_MILLIS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process process;
    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** The jobs whose function this host has been sent; a smaller LRU than the host's own. */
    private final Map<String, Boolean> sent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > JobHost.FUNCTIONS_KEPT / 4;
        }
    };
    /** The chunks sent and not yet answered, by request id. */
    private final Map<Long, CompletableFuture<byte[]>> waiting = new HashMap<>();
    private final Object writing = new Object();
    private long nextId;
    private int runningChunks;
    private volatile IOException broken;
    private volatile long lastUsed = System.nanoTime();

    private JobHostProcess(Process process, SocketChannel channel) throws IOException {
        this.process = process;
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(Wire.input(channel), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(Wire.output(channel), 1 << 16));
    }

    /** Reads the answers and hands each to the chunk waiting for it, until the stream ends. */
    private void readAnswers() {
        IOException failure;
        try {
            while (true) {
                long id = in.readLong();
                byte[] outcomes = Wire.readBytes(in);
                CompletableFuture<byte[]> chunk;
                synchronized (waiting) {
                    chunk = waiting.remove(id);
                }
                if (chunk == null) {
                    throw new IOException("the job host answered request " + id + ", which is not waiting");
                }
                if (outcomes == null) {
                    chunk.completeExceptionally(new IOException("the job host sent no outcomes"));
                } else {
                    chunk.complete(outcomes);
                }
            }
        } catch (IOException e) {
            failure = e instanceof EOFException ? new IOException("the job host closed its socket", e) : e;
        }
        broken = failure;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing only
        }
        List<CompletableFuture<byte[]>> left;
        synchronized (waiting) {
            left = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        for (CompletableFuture<byte[]> chunk : left) {
            chunk.completeExceptionally(failure);
        }
    }

    /**
     * Starts a job host and waits for it to connect.
     *
     * @param dir a private directory for the socket
     * @param name the socket's file name
     * @param classPath the host's class path
     * @param workers the most children it runs at once
     * @return the connected host
     * @throws IOException if it cannot be started or does not connect within a minute
     */
    static JobHostProcess start(Path dir, String name, List<String> classPath, int workers) throws IOException {
        Path socket = dir.resolve(name);
        Files.deleteIfExists(socket);
        String token = HexFormat.of().formatHex(random16());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", String.join(File.pathSeparator, classPath),
                    JobHost.class.getName(), socket.toString(), Integer.toString(workers));
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_MILLIS);
            SocketChannel accepted = null;
            try {
                while (accepted == null) {
                    accepted = server.accept();
                    if (accepted != null) {
                        break;
                    }
                    if (!process.isAlive()) {
                        throw new IOException("the job host (pid " + process.pid() + ") exited with status "
                                + process.exitValue() + " before connecting");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the job host (pid " + process.pid() + ") did not connect within "
                                + CONNECT_MILLIS / 1000 + " s");
                    }
                    Thread.sleep(5);
                }
                accepted.configureBlocking(true);
                JobHostProcess host = new JobHostProcess(process, accepted);
                String presented = Wire.readString(host.in);
                if (!token.equals(presented)) {
                    throw new IOException("a process connected to the job host's socket without its token");
                }
                Thread reader = new Thread(host::readAnswers, "pprocess-node-host-" + process.pid());
                reader.setDaemon(true);
                reader.start();
                return host;
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (accepted != null) {
                    accepted.close();
                }
                process.destroyForcibly();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting the job host", e);
                }
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static byte[] random16() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** @return the host's process id */
    long pid() {
        return process.pid();
    }

    /** @return whether the host is running */
    boolean alive() {
        return process.isAlive() && channel.isOpen() && broken == null;
    }

    /** @return how long since it last ran a chunk, in nanoseconds; 0 while it runs one */
    long idleNanos() {
        synchronized (waiting) {
            return runningChunks > 0 ? 0 : System.nanoTime() - lastUsed;
        }
    }

    /**
     * Runs a chunk and returns the outcomes' bytes. Chunks may run side by side.
     *
     * @param jobId the job
     * @param function the job's serialised function (sent only if this host lacks it)
     * @param items the items' bytes
     * @return the outcomes, as {@link Wire} writes them
     * @throws IOException if the host died or the stream broke; the host is then closed
     * @throws InterruptedException if interrupted while the chunk runs (it goes on in the host)
     */
    byte[] run(String jobId, byte[] function, List<byte[]> items) throws IOException, InterruptedException {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        synchronized (waiting) {
            runningChunks++;
        }
        try {
            synchronized (writing) {
                if (broken != null) {
                    throw broken;
                }
                long id = ++nextId;
                synchronized (waiting) {
                    waiting.put(id, answer);
                }
                boolean known = sent.containsKey(jobId);
                out.writeByte(JobHost.RUN);
                out.writeLong(id);
                Wire.writeString(out, jobId);
                Wire.writeBytes(out, known ? null : function);
                out.writeInt(items.size());
                for (byte[] item : items) {
                    Wire.writeBytes(out, item);
                }
                out.flush();
                sent.put(jobId, Boolean.TRUE);
            }
            try {
                return answer.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        } catch (IOException e) {
            close();
            String status = "";
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                status = " (exit status " + process.exitValue() + ")";
            }
            throw new IOException("the job host (pid " + process.pid() + ") failed" + status + ": " + e.getMessage(), e);
        } finally {
            synchronized (waiting) {
                runningChunks--;
                lastUsed = System.nanoTime();
            }
        }
    }

    /**
     * Cancels the chunks of a job running in this host: their children end at once and they
     * are answered with cancelled outcomes. Nothing happens if none runs.
     *
     * @param jobId the job
     */
    void cancel(String jobId) {
        synchronized (writing) {
            if (broken != null || !channel.isOpen()) {
                return;
            }
            try {
                out.writeByte(JobHost.CANCEL);
                Wire.writeString(out, jobId);
                out.flush();
            } catch (IOException e) {
                // the reader sees the broken stream and fails the chunks waiting
            }
        }
    }

    /** Ends the host: closes its socket, so it exits; kills it if it has not within 5 s. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing only
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

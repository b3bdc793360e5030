package io.pprocess.cluster.internal;

import io.pprocess.CancelledException;
import io.pprocess.ChildProcessException;
import io.pprocess.CodecException;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.RemoteException;
import io.pprocess.TimeLimitException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The main class of a job host: a JVM a node starts for one class path (its own pprocess jars
 * and the job's), which runs chunks of items with a local {@link PProcess#pmap} — so the
 * children it starts inherit that class path — and answers with their outcomes. It loads no
 * Hazelcast class and is the only process on a node that loads the job's classes.
 *
 * <p>Arguments: the node's UNIX socket and the number of workers; the first line of standard
 * input is the token to present. Requests, each a kind byte then: {@link #RUN} {@code long id,
 * String jobId, bytes function (a serialised {@link JobFunction}; null when this host already
 * has the job's), int n, n × bytes item}, answered with {@code long id, bytes outcomes} when
 * the chunk is done; {@link #CANCEL} {@code String jobId}: the chunks of that job still running
 * are cancelled (their children end at once) and answered with cancelled outcomes. Chunks run
 * side by side, each in its own thread with its own {@code pmap}; the node gives them no more
 * workers in all than it has. It ends when the node closes the socket, or when the node dies
 * (status 3).
 */
public final class JobHost {
    /** How many jobs' functions are kept, most recently used first. */
    static final int FUNCTIONS_KEPT = 64;
    /** Request: run a chunk. */
    static final byte RUN = 0;
    /** Request: cancel the running chunks of a job. */
    static final byte CANCEL = 1;

    private final int workers;
    private final ClassLoader loader = JobHost.class.getClassLoader();
    private final Map<String, JobFunction> functions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobFunction> eldest) {
            return size() > FUNCTIONS_KEPT;
        }
    };
    private final Map<String, String> brokenFunctions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > FUNCTIONS_KEPT;
        }
    };
    /** The maps of the chunks running, by request id, with their job. */
    private final Map<Long, Running> running = new HashMap<>();
    private final ExecutorService chunks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pprocess-job-host-chunk");
        t.setDaemon(true);
        return t;
    });

    private static final class Running {
        final String jobId;
        MapExchange<Object> results;
        boolean cancelled;

        Running(String jobId) {
            this.jobId = jobId;
        }
    }

    private JobHost(int workers) {
        this.workers = workers;
    }

    /**
     * Runs a job host.
     *
     * @param args the socket path and the number of workers
     * @throws IOException if the node cannot be reached
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JobHost SOCKET WORKERS (started by pprocess-node)");
            System.exit(2);
        }
        // A node that dies (SIGKILL) cannot close the socket in the middle of a long chunk: end
        // with it, so that the exit handlers of pprocess end this host's children too.
        ProcessHandle.current().parent().ifPresent(node -> node.onExit().thenRun(() -> System.exit(3)));
        String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        JobHost host = new JobHost(Integer.parseInt(args[1]));
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0])))) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Wire.input(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Wire.output(channel), 1 << 16));
            Wire.writeString(out, token);
            out.flush();
            host.serve(in, out);
        } finally {
            host.cancelAll();
        }
        System.out.flush();
        System.exit(0);
    }

    private void serve(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            byte kind;
            try {
                kind = in.readByte();
            } catch (EOFException e) {
                return;
            }
            if (kind == CANCEL) {
                cancel(Wire.readString(in));
                continue;
            }
            if (kind != RUN) {
                throw new IOException("malformed request: kind " + kind);
            }
            long id = in.readLong();
            String jobId = Wire.readString(in);
            byte[] function = Wire.readBytes(in);
            int n = in.readInt();
            if (n < 0 || n > 10_000_000) {
                throw new IOException("malformed request: " + n + " items");
            }
            List<byte[]> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(Wire.readBytes(in));
            }
            if (function != null) {
                learn(jobId, function);
            }
            Running chunk = new Running(jobId);
            synchronized (running) {
                running.put(id, chunk);
            }
            chunks.execute(() -> answer(out, id, chunk, items));
        }
    }

    private void answer(DataOutputStream out, long id, Running chunk, List<byte[]> items) {
        List<Wire.Outcome> outcomes;
        try {
            outcomes = run(chunk, items);
        } catch (RuntimeException | LinkageError e) {
            Wire.Outcome failed = failed(Wire.OTHER, new PProcessException("the job host could not run the chunk: "
                    + e, e));
            outcomes = new ArrayList<>(java.util.Collections.nCopies(items.size(), failed));
        } finally {
            synchronized (running) {
                running.remove(id);
            }
        }
        try {
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            Wire.writeOutcomes(new DataOutputStream(blob), outcomes);
            synchronized (out) {
                out.writeLong(id);
                Wire.writeBytes(out, blob.toByteArray());
                out.flush();
            }
        } catch (IOException e) {
            // The node is gone: the read loop sees it too and the host ends.
        }
    }

    private void cancel(String jobId) {
        synchronized (running) {
            for (Running r : running.values()) {
                if (r.jobId.equals(jobId)) {
                    r.cancelled = true;
                    if (r.results != null) {
                        r.results.cancel();
                    }
                }
            }
        }
    }

    private void cancelAll() {
        synchronized (running) {
            for (Running r : running.values()) {
                r.cancelled = true;
                if (r.results != null) {
                    r.results.cancel();
                }
            }
        }
    }

    private void learn(String jobId, byte[] function) {
        Object fn;
        try {
            fn = Wire.deserialise(function, loader);
        } catch (IOException | ClassNotFoundException | LinkageError | RuntimeException e) {
            synchronized (functions) {
                brokenFunctions.put(jobId, "cannot deserialise the job's function: " + e);
            }
            return;
        }
        synchronized (functions) {
            if (fn instanceof JobFunction f) {
                functions.put(jobId, f);
                brokenFunctions.remove(jobId);
            } else {
                brokenFunctions.put(jobId, "the job's function is a " + fn.getClass().getName()
                        + ", not a pprocess-cluster job function");
            }
        }
    }

    private List<Wire.Outcome> run(Running chunk, List<byte[]> items) {
        int n = items.size();
        List<Wire.Outcome> outcomes = new ArrayList<>(n);
        JobFunction fn;
        String broken;
        synchronized (functions) {
            fn = functions.get(chunk.jobId);
            broken = brokenFunctions.get(chunk.jobId);
        }
        if (fn == null) {
            String why = broken != null ? broken : "the job host has no function for job " + chunk.jobId;
            Wire.Outcome failed = failed(Wire.CODEC, new CodecException(why, null));
            for (int i = 0; i < n; i++) {
                outcomes.add(failed);
            }
            return outcomes;
        }
        List<Object> decoded = new ArrayList<>(n);
        List<Integer> places = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                decoded.add(Wire.deserialise(items.get(i), loader));
                places.add(i);
                outcomes.add(null);
            } catch (IOException | ClassNotFoundException | LinkageError e) {
                outcomes.add(failed(Wire.CODEC, new CodecException("cannot deserialise the item on the node: " + e, e)));
            }
        }
        if (decoded.isEmpty()) {
            return outcomes;
        }
        MapExchange<Object> results = null;
        try {
            synchronized (running) {
                if (chunk.cancelled) {
                    throw new CancelledException("the job was cancelled before the chunk started");
                }
            }
            results = PProcess.pmap(fn.function(), decoded, fn.pool(Math.min(workers, decoded.size())));
            synchronized (running) {
                chunk.results = results;
                if (chunk.cancelled) {
                    results.cancel();
                }
            }
            for (int j = 0; j < decoded.size(); j++) {
                outcomes.set(places.get(j), outcome(results, j));
            }
        } catch (PProcessException e) {
            Wire.Outcome failed = failed(Wire.OTHER, e);
            for (int j = 0; j < decoded.size(); j++) {
                if (outcomes.get(places.get(j)) == null) {
                    outcomes.set(places.get(j), failed);
                }
            }
        } finally {
            if (results != null) {
                results.close();
            }
        }
        return outcomes;
    }

    private static Wire.Outcome outcome(MapExchange<Object> results, int j) {
        Object value;
        try {
            value = results.get(j);
        } catch (RemoteException e) {
            return new Wire.Outcome(Wire.REMOTE, null, remote(e));
        } catch (TimeLimitException e) {
            return new Wire.Outcome(Wire.TIMEOUT, null, new Wire.Failure(e.getClass().getName(), bare(e),
                    e.pid(), -1, e.getStackTrace(), null));
        } catch (ChildProcessException e) {
            return new Wire.Outcome(Wire.CHILD, null, new Wire.Failure(e.getClass().getName(), bare(e),
                    e.pid(), e.exitStatus(), e.getStackTrace(), null));
        } catch (CodecException e) {
            return failed(Wire.CODEC, e);
        } catch (PProcessException e) {
            return failed(Wire.OTHER, e);
        }
        try {
            return new Wire.Outcome(Wire.OK, Wire.serialise(value), null);
        } catch (IOException | RuntimeException e) {
            return failed(Wire.CODEC, new CodecException("cannot serialise the result, of class "
                    + (value == null ? "null" : value.getClass().getName()) + ", on the node: " + e, e));
        }
    }

    private static Wire.Failure remote(RemoteException e) {
        RemoteException cause = e.getCause() instanceof RemoteException ? (RemoteException) e.getCause() : null;
        return new Wire.Failure(e.remoteClassName(), e.remoteMessage(), e.pid(), -1, e.getStackTrace(),
                cause == null ? null : remote(cause));
    }

    private static Wire.Outcome failed(byte kind, PProcessException e) {
        return new Wire.Outcome(kind, null, new Wire.Failure(e.getClass().getName(), bare(e), 0, -1,
                e.getStackTrace(), null));
    }

    /** The message without the "item N: " of the local map, whose numbering is the chunk's. */
    private static String bare(PProcessException e) {
        String message = e.getMessage();
        if (e.item().isPresent() && message != null) {
            String prefix = "item " + e.item().getAsInt() + ": ";
            if (message.startsWith(prefix)) {
                return message.substring(prefix.length());
            }
        }
        return message;
    }
}

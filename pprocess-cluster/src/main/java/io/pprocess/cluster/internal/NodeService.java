package io.pprocess.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a pprocess node does with the chunks it is sent: checks their codes and their job's,
 * fetches and caches the job's jars by SHA-256, keeps one job host per class path warm and runs
 * the chunks in it, as many at once as the node's workers allow (a chunk takes a worker per
 * item, up to all of them: a big chunk has the node to itself, one-item chunks of the executor
 * run side by side). Cancelled jobs' chunks are stopped ({@link CancelTask}). The node never
 * deserialises an item, a result or a function.
 */
public final class NodeService implements Closeable {
    /** The key of this service in the member's user context. */
    public static final String KEY = "pprocess.node";
    /** The map of shipped jars, by SHA-256. */
    public static final String JARS = "pprocess.jars";
    /** The member attribute holding the node's number of workers. */
    public static final String WORKERS_ATTRIBUTE = "pprocess.workers";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int JOBS_KEPT = 64;
    private static final int CANCELLED_KEPT = 4096;

    private final String cluster;
    private final Secret secret;
    private final int workers;
    private final Path workDir;
    private final Path jarDir;
    private final List<String> ownClassPath;
    private final Duration keepWarm;
    private final PrintStream log;
    /** One permit per worker: a chunk takes one per item, up to all of them. */
    private final Semaphore running;
    /** The jobs cancelled lately: their chunks still queued here are answered at once. */
    private final Map<String, Boolean> cancelled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CANCELLED_KEPT;
        }
    };
    private final Map<String, JobSpec> jobs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobSpec> eldest) {
            return size() > JOBS_KEPT;
        }
    };
    private final Map<String, JobHostProcess> hosts = new HashMap<>();
    private final ScheduledExecutorService reaper;
    private volatile HazelcastInstance instance;
    private volatile boolean closed;
    private int hostCount;

    /**
     * Creates the service of a node.
     *
     * @param cluster the cluster name, covered by every job's code
     * @param secret the shared secret
     * @param workers the most children the node runs at once
     * @param workDir a private directory for the jar cache and sockets (the caller removes it)
     * @param ownClassPath the class path a job host starts with before the job's jars: pprocess
     *     and its dependencies, without Hazelcast
     * @param keepWarm how long an idle job host is kept
     * @param log where the node reports what it refuses and what it starts
     * @throws IOException if the work directory cannot be prepared
     */
    public NodeService(String cluster, Secret secret, int workers, Path workDir, List<String> ownClassPath,
                       Duration keepWarm, PrintStream log) throws IOException {
        this.cluster = cluster;
        this.secret = secret;
        this.workers = workers;
        this.running = new Semaphore(workers, true);
        this.workDir = workDir;
        this.jarDir = Files.createDirectories(workDir.resolve("jars"));
        this.ownClassPath = List.copyOf(ownClassPath);
        this.keepWarm = keepWarm;
        this.log = log;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pprocess-node-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, Math.min(10, keepWarm.toSeconds() / 2));
        reaper.scheduleWithFixedDelay(this::endIdleHosts, period, period, TimeUnit.SECONDS);
    }

    /** @param instance the member this service runs in */
    public void attach(HazelcastInstance instance) {
        this.instance = instance;
    }

    /**
     * Writes an answer with a reason.
     *
     * @param status {@link ChunkTask#REFUSED} or {@link ChunkTask#FAILED}
     * @param reason why
     * @return the answer's bytes
     */
    static byte[] answer(byte status, String reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(status);
            Wire.writeString(out, reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Runs a chunk.
     *
     * @param task the chunk
     * @return the answer: the outcomes, or why it was refused or could not run
     */
    byte[] run(ChunkTask task) {
        if (closed) {
            return answer(ChunkTask.FAILED, "the node is shutting down");
        }
        if (task.jobId == null || task.items == null || !Secret.same(task.mac, Auth.chunk(secret, task.jobId, task.seq, task.items))) {
            return refuse("chunk " + task.seq + " of job " + task.jobId + ": its authentication code does not match"
                    + " (the driver's secret is not this cluster's)");
        }
        JobSpec job;
        try {
            job = job(task.jobId);
        } catch (Refusal r) {
            return refuse(r.getMessage());
        }
        if (job == null) {
            return answer(ChunkTask.UNKNOWN, "job " + task.jobId + " is not published in the cluster");
        }
        try {
            List<String> classPath = new ArrayList<>(ownClassPath);
            for (String jar : job.jars) {
                classPath.add(jar(jar).toString());
            }
            String key = String.join(File.pathSeparator, job.jars);
            int permits = Math.max(1, Math.min(workers, task.items.size()));
            while (!running.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    return answer(ChunkTask.FAILED, "the node is shutting down");
                }
                if (isCancelled(task.jobId)) {
                    return answer(ChunkTask.CANCELLED, "job " + task.jobId + " was cancelled");
                }
            }
            try {
                if (isCancelled(task.jobId)) {
                    return answer(ChunkTask.CANCELLED, "job " + task.jobId + " was cancelled");
                }
                JobHostProcess host = host(key, classPath);
                byte[] outcomes = host.run(job.jobId, job.function, task.items);
                byte[] answer = new byte[outcomes.length + 1];
                answer[0] = ChunkTask.OK;
                System.arraycopy(outcomes, 0, answer, 1, outcomes.length);
                return answer;
            } finally {
                running.release(permits);
            }
        } catch (MissingJar e) {
            return answer(ChunkTask.UNKNOWN, "node " + name() + ": " + e.getMessage());
        } catch (IOException e) {
            log("chunk " + task.seq + " of job " + task.jobId + " failed: " + e.getMessage());
            return answer(ChunkTask.FAILED, "node " + name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer(ChunkTask.FAILED, "node " + name() + " was interrupted");
        }
    }

    private boolean isCancelled(String jobId) {
        synchronized (cancelled) {
            return cancelled.containsKey(jobId);
        }
    }

    /**
     * Cancels a job here: its chunks waiting on this node are answered at once, those running
     * are cancelled in their job host (their children end), and chunks of it that arrive later
     * are not run.
     *
     * @param task the cancellation
     * @return whether it was accepted (its code matched)
     */
    boolean cancel(CancelTask task) {
        if (task.jobId == null || !Secret.same(task.mac, Auth.cancel(secret, cluster, task.jobId))) {
            log("refused to cancel job " + task.jobId + ": its authentication code does not match");
            return false;
        }
        synchronized (cancelled) {
            cancelled.put(task.jobId, Boolean.TRUE);
        }
        List<JobHostProcess> all;
        synchronized (hosts) {
            all = new ArrayList<>(hosts.values());
        }
        for (JobHostProcess h : all) {
            h.cancel(task.jobId);
        }
        return true;
    }

    private byte[] refuse(String reason) {
        log("refused " + reason);
        return answer(ChunkTask.REFUSED, "node " + name() + " refused " + reason);
    }

    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private static final class MissingJar extends IOException {
        private static final long serialVersionUID = 1L;

        MissingJar(String message) {
            super(message);
        }
    }

    /** The job, read from the cluster and checked once; one thread at a time reads a new one. */
    private JobSpec job(String jobId) throws Refusal {
        synchronized (jobs) {
            JobSpec known = jobs.get(jobId);
            if (known != null) {
                return known;
            }
            IMap<String, JobSpec> published = instance.getMap(JobSpec.MAP);
            JobSpec job = published.get(jobId);
            if (job == null) {
                return null;
            }
            if (!jobId.equals(job.jobId) || job.jars == null || job.function == null
                    || !Secret.same(job.mac, Auth.job(secret, cluster, job.jobId, job.jars, job.function))) {
                throw new Refusal("job " + jobId + " from " + job.driver + ": its authentication code does not match"
                        + " (a wrong secret, another cluster's job, or a job changed on the way)");
            }
            for (String jar : job.jars) {
                if (!HASH.matcher(jar).matches()) {
                    throw new Refusal("job " + jobId + ": a malformed jar hash " + jar);
                }
            }
            jobs.put(jobId, job);
            log("accepted job " + jobId + " from " + job.driver + " (" + job.jars.size() + " class-path jars)");
            return job;
        }
    }

    /** The cached jar of that SHA-256, fetched from the cluster and checked if not yet here. */
    private Path jar(String hash) throws IOException {
        Path file = jarDir.resolve(hash + ".jar");
        if (Files.isRegularFile(file)) {
            return file;
        }
        IMap<String, byte[]> jars = instance.getMap(JARS);
        byte[] bytes = jars.get(hash);
        if (bytes == null) {
            throw new MissingJar("jar " + hash + " of the job's class path is not in the cluster");
        }
        String actual = Auth.sha256Hex(bytes);
        if (!actual.equals(hash)) {
            throw new IOException("jar " + hash + " in the cluster has SHA-256 " + actual + ": refused");
        }
        Path temp = Files.createTempFile(jarDir, hash, ".part");
        Files.write(temp, bytes);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private JobHostProcess host(String key, List<String> classPath) throws IOException {
        synchronized (hosts) {
            JobHostProcess host = hosts.get(key);
            if (host != null && host.alive()) {
                return host;
            }
            if (host != null) {
                host.close();
            }
            long start = System.nanoTime();
            host = JobHostProcess.start(workDir, "host-" + (++hostCount) + ".sock", classPath, workers);
            log("started job host pid " + host.pid() + " for a class path of " + (classPath.size() - ownClassPath.size())
                    + " job jars in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            hosts.put(key, host);
            return host;
        }
    }

    /** Ends the job hosts idle for longer than the keep-warm time; skips a round while a chunk runs. */
    private void endIdleHosts() {
        if (!running.tryAcquire(workers)) {
            return;
        }
        try {
            List<JobHostProcess> idle = new ArrayList<>();
            synchronized (hosts) {
                hosts.values().removeIf(h -> {
                    boolean end = !h.alive() || h.idleNanos() > keepWarm.toNanos();
                    if (end) {
                        idle.add(h);
                    }
                    return end;
                });
            }
            for (JobHostProcess h : idle) {
                h.close();
                log("ended job host pid " + h.pid() + ", idle for more than " + keepWarm.toSeconds() + " s");
            }
        } finally {
            running.release(workers);
        }
    }

    /** @return the number of workers */
    public int workers() {
        return workers;
    }

    private String name() {
        HazelcastInstance hz = instance;
        try {
            return hz == null ? "?" : hz.getCluster().getLocalMember().getAddress().toString();
        } catch (RuntimeException e) {
            return hz.getName();
        }
    }

    /**
     * Logs a line with the time.
     *
     * @param message the line
     */
    public void log(String message) {
        synchronized (log) {
            log.println(Instant.now() + " pprocess-node: " + message);
            log.flush();
        }
    }

    /** Ends every job host. */
    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        List<JobHostProcess> all;
        synchronized (hosts) {
            all = new ArrayList<>(hosts.values());
            hosts.clear();
        }
        for (JobHostProcess h : all) {
            h.close();
        }
    }
}

package io.pprocess.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.PoolOptions;
import io.pprocess.SerializableFunction;
import io.pprocess.cluster.internal.Auth;
import io.pprocess.cluster.internal.CancelTask;
import io.pprocess.cluster.internal.ClassPathBundle;
import io.pprocess.cluster.internal.Configs;
import io.pprocess.cluster.internal.JobFunction;
import io.pprocess.cluster.internal.JobSpec;
import io.pprocess.cluster.internal.NodeService;
import io.pprocess.cluster.internal.Secret;
import io.pprocess.cluster.internal.Wire;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver's connection to a cluster of pprocess nodes ({@code pprocess-node}): the same
 * {@code pmap} and queue as on one machine, with the items run in pprocess children on the
 * nodes.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect(ClusterOptions.cluster("render")
 *         .members("10.0.0.1:5701").secretFile(Path.of("render.secret")));
 *      ClusterMap<int[]> rows = cluster.pmap((Integer y) -> tracer.renderRow(y), rowNumbers)) {
 *     for (int[] row : rows) { ... }
 * }
 * }</pre>
 *
 * <p><b>Code travels with the job.</b> The first job ships this JVM's class path to the
 * cluster — each jar as it is, each directory packed as a jar — named by SHA-256, so a node
 * fetches a jar once and keeps it; a node starts one job host JVM per class path, which runs
 * the items with a local {@link PProcess#pmap} over the node's workers. The function, what it
 * captures, the items and the results cross the cluster with Java serialisation, so they must
 * be {@link java.io.Serializable} (on one machine, pprocess's own codec is less strict).
 *
 * <p><b>Authentication.</b> Every job and every chunk of items carries an HMAC-SHA256 computed
 * with the cluster's shared secret; nodes refuse anything else. Nothing is encrypted: see
 * {@code docs/cluster.md}.
 *
 * <p>The driver is a Hazelcast client: it does not join the cluster and holds none of its data.
 * Thread-safe; closing ends the jobs still running (their undelivered items fail) and
 * disconnects.
 */
public final class Cluster implements AutoCloseable {
    private final ClusterOptions options;
    private final Secret secret;
    private final HazelcastInstance client;
    private final IExecutorService executor;
    private final IExecutorService control;
    /** The chunks in flight on each node, over every job: new chunks go to the least loaded. */
    private final Map<UUID, AtomicInteger> load = new ConcurrentHashMap<>();
    /** The cancellations sent and not yet answered, which {@link #close()} waits for. */
    private final Set<CompletableFuture<Boolean>> cancelling = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final Set<Job> jobs = ConcurrentHashMap.newKeySet();
    /** The serialised function of each running job, by job id, to publish it again if the cluster lost it. */
    private final Map<String, byte[]> functions = new ConcurrentHashMap<>();
    private volatile List<Member> members = List.of();
    private volatile boolean connected = true;
    private volatile boolean closed;
    private ClassPathBundle bundle;
    private final String driver;

    private Cluster(ClusterOptions options, Secret secret, HazelcastInstance client) {
        this.options = options;
        this.secret = secret;
        this.client = client;
        this.executor = client.getExecutorService(io.pprocess.cluster.internal.ChunkTask.EXECUTOR);
        this.control = client.getExecutorService(CancelTask.EXECUTOR);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        this.driver = "pid " + ProcessHandle.current().pid() + " on " + host;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pprocess-cluster-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to a cluster, waiting until at least one node answers.
     *
     * @param options the cluster, its members and secret file
     * @return the connection
     * @throws ClusterException if the secret file is missing, open to others or too short, or
     *     no node could be reached within the connect timeout (naming the addresses tried)
     */
    public static Cluster connect(ClusterOptions options) {
        if (options.secret() == null) {
            throw new ClusterException("no secret file given: ClusterOptions.secretFile(path) is required");
        }
        Secret secret = Secret.read(options.secret());
        ClientConfig config = Configs.client(options.clusterName(), options.memberAddresses(), options.connectWait());
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(config);
        } catch (IllegalStateException e) {
            throw new ClusterException("cannot reach cluster '" + options.clusterName() + "' at "
                    + String.join(",", options.memberAddresses()) + " within " + options.connectWait().toSeconds()
                    + " s: " + e.getMessage(), e, -1, null);
        }
        Cluster cluster = new Cluster(options, secret, client);
        cluster.watch();
        return cluster;
    }

    private void watch() {
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED
                    || event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                connected = false;
            } else if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                connected = true;
                refreshMembers();
            }
            pumpAll();
        });
        client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                refreshMembers();
                pumpAll();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                refreshMembers();
                for (Job job : jobs) {
                    job.memberLeft(event.getMember());
                }
            }
        });
        refreshMembers();
        timer.scheduleWithFixedDelay(this::pumpAll, 250, 250, TimeUnit.MILLISECONDS);
    }

    private void refreshMembers() {
        List<Member> list = new ArrayList<>();
        try {
            for (Member m : client.getCluster().getMembers()) {
                if (m.getAttribute(NodeService.WORKERS_ATTRIBUTE) != null && !m.isLiteMember()) {
                    list.add(m);
                }
            }
        } catch (RuntimeException e) {
            list.clear();
        }
        members = List.copyOf(list);
    }

    private void pumpAll() {
        for (Job job : jobs) {
            try {
                job.pump();
            } catch (RuntimeException e) {
                // the next round tries again
            }
        }
    }

    /**
     * Returns the nodes the driver can reach now, as member addresses with their workers
     * ({@code "[127.0.0.1]:5701 (2 workers)"}).
     *
     * @return the nodes
     */
    public List<String> nodes() {
        return members().stream().map(m -> m.getAddress() + " (" + workersOf(m) + " workers)").toList();
    }

    /** @return the total number of workers of the nodes reachable now */
    public int workers() {
        return members().stream().mapToInt(Cluster::workersOf).sum();
    }

    private static int workersOf(Member m) {
        try {
            return Integer.parseInt(m.getAttribute(NodeService.WORKERS_ATTRIBUTE));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /**
     * Maps {@code fn} over {@code items} on the cluster's nodes: {@link PProcess#pmap} across
     * machines.
     *
     * <p>Returns once every item has been serialised and the first chunks sent. The items go
     * in chunks of consecutive items, at most two chunks in flight per node; each chunk runs
     * on its node with a local {@code pmap} over the node's workers. A chunk whose node dies
     * or leaves goes to another node; if no node can take items for
     * {@link ClusterOptions#noNodeTimeout}, the remaining items fail with a
     * {@link ClusterException}. An item that cannot be serialised fails alone, at once.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function; it and what it captures must be serialisable
     * @param items the items
     * @return the results, in item order
     * @throws NodeCodecException if the function cannot be serialised
     * @throws ClusterException if the class path cannot be shipped, or the driver is closed
     */
    public <T, R> ClusterMap<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items) {
        return pmap(fn, items, null);
    }

    /**
     * Maps {@code fn} over {@code items} on the cluster's nodes with a pool's options, as
     * {@link PProcess#pmap(SerializableFunction, Iterable, PoolOptions)} does on one machine.
     * Otherwise as {@link #pmap(SerializableFunction, Iterable)}. The options that apply:
     * <ul>
     * <li>{@link PoolOptions#itemTimeout itemTimeout}: an item that runs longer on its node
     *     fails alone with a {@link NodeTimeLimitException} naming the item, the node, the pid
     *     of its child there and the limit; that child is killed and replaced, and the other
     *     items go on. Enforced on the node: the time an item waits for a worker does not
     *     count.</li>
     * <li>{@link PoolOptions#deadline deadline}: counted from this call; when it passes, every
     *     item without a result fails with a {@link NodeTimeLimitException} and the nodes stop
     *     the job's chunks (their children end). Results that arrived are kept.</li>
     * <li>{@link PoolOptions#retries retries}: as {@link ClusterOptions#retries}, on any node;
     *     the larger of the two counts applies.</li>
     * <li>{@link PoolOptions#heapLimit heapLimit}, {@link PoolOptions#memoryLimit memoryLimit},
     *     the {@code recycle} options and the {@link PoolOptions#initializer initializer}: given
     *     to the {@code pmap} each node runs a chunk with, so they hold per chunk, in the
     *     node's workers; what they capture must be serialisable.</li>
     * </ul>
     * {@link PoolOptions#workers workers} (each node has its own), {@link PoolOptions#maxInFlight
     * maxInFlight} (the items are read at the call) and {@link PoolOptions#progress progress} do
     * not apply: set, they are refused.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function; it and what it captures must be serialisable
     * @param items the items
     * @param options the options, or {@code null} for none
     * @return the results, in item order
     * @throws IllegalArgumentException if an option that does not apply on a cluster is set
     * @throws NodeCodecException if the function or an option's code cannot be serialised
     * @throws ClusterException if the class path cannot be shipped, or the driver is closed
     */
    public <T, R> ClusterMap<R> pmap(SerializableFunction<T, R> fn, Iterable<? extends T> items,
                                     PoolOptions options) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        ClusterMap<R> map = new ClusterMap<>(list.size());
        Job job = submit(fn, list, map.sink(), options);
        map.attach(job);
        return map;
    }

    /**
     * Maps {@code fn} over {@code items} on the cluster's nodes, results in arrival order: the
     * cluster's {@link io.pprocess.QueueExchange}. As {@link #pmap} otherwise.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function
     * @param items the items
     * @return the results as they arrive
     */
    public <T, R> ClusterQueue<R> queue(SerializableFunction<T, R> fn, Iterable<? extends T> items) {
        return queue(fn, items, null);
    }

    /**
     * Maps {@code fn} over {@code items} on the cluster's nodes with a pool's options, results
     * in arrival order. The options apply as for
     * {@link #pmap(SerializableFunction, Iterable, PoolOptions)}.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function
     * @param items the items
     * @param options the options, or {@code null} for none
     * @return the results as they arrive
     * @throws IllegalArgumentException if an option that does not apply on a cluster is set
     */
    public <T, R> ClusterQueue<R> queue(SerializableFunction<T, R> fn, Iterable<? extends T> items,
                                        PoolOptions options) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        ClusterQueue<R> queue = new ClusterQueue<>(list.size());
        Job job = submit(fn, list, queue.sink(), options);
        queue.attach(job);
        return queue;
    }

    /**
     * Runs {@code fn(item)} on a node: the cluster's executor. A job of one item; prefer
     * {@link #pmap} for many.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function
     * @param item the item
     * @return the future result; it completes exceptionally with the item's failure;
     *     cancelling it stops the item on its node
     */
    public <T, R> CompletableFuture<R> submit(SerializableFunction<T, R> fn, T item) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Job job = submit(fn, java.util.Collections.singletonList(item), new Job.Sink() {
            @Override
            @SuppressWarnings("unchecked")
            public void deliver(int index, Object value) {
                future.complete((R) value);
            }

            @Override
            public void fail(int index, PProcessException failure) {
                future.completeExceptionally(failure);
            }
        }, null);
        future.whenComplete((r, t) -> {
            if (future.isCancelled()) {
                job.stop(index -> new ItemCancelledException("the future was cancelled", index), true);
            }
        });
        return future;
    }

    /**
     * Returns a new {@link java.util.concurrent.ExecutorService} over the cluster: each task
     * runs on a node, in a pprocess child there; see {@link ClusterExecutor}. Shutting it down
     * or closing it concerns its own tasks only; the cluster stays connected.
     *
     * @return the executor
     * @throws ClusterException if the driver is closed
     */
    public ClusterExecutor executor() {
        if (closed) {
            throw new ClusterException("the driver is closed");
        }
        return new ClusterExecutor(this);
    }

    <T> Job submit(SerializableFunction<?, ?> fn, List<T> list, Job.Sink sink, PoolOptions pool) {
        if (closed) {
            throw new ClusterException("the driver is closed");
        }
        if (pool != null) {
            if (pool.workers() != 0) {
                throw new IllegalArgumentException("PoolOptions.workers does not apply on a cluster: each node runs"
                        + " as many workers as pprocess-node --workers gives it");
            }
            if (pool.maxInFlight() != 0) {
                throw new IllegalArgumentException("PoolOptions.maxInFlight does not apply on a cluster: the items"
                        + " are read at the call");
            }
            if (pool.progress() != null) {
                throw new IllegalArgumentException("PoolOptions.progress does not apply on a cluster");
            }
        }
        byte[] function;
        try {
            function = Wire.serialise(JobFunction.of(fn, pool));
        } catch (IOException | RuntimeException e) {
            throw new NodeCodecException("cannot serialise the function, of " + fn.getClass().getName()
                    + ", for the cluster (it and what it captures must be Serializable): " + e, e, -1, null);
        }
        List<byte[]> bytes = new ArrayList<>(list.size());
        List<Integer> sendable = new ArrayList<>(list.size());
        List<PProcessException> failures = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            T item = list.get(i);
            try {
                bytes.add(Wire.serialise(item));
                sendable.add(i);
                failures.add(null);
            } catch (IOException | RuntimeException e) {
                bytes.add(null);
                failures.add(new NodeCodecException("cannot serialise the item, of class "
                        + (item == null ? "null" : item.getClass().getName()) + ": " + e, e, i, null));
            }
        }
        String jobId = UUID.randomUUID().toString();
        ClassLoader loader = fn.getClass().getClassLoader();
        int retries = Math.max(options.itemRetries(), pool == null ? 0 : pool.retries());
        Job job = new Job(this, jobId, bytes, loader, sink, retries, pool == null ? null : pool.itemTimeout());
        functions.put(jobId, function);
        jobs.add(job);
        publish(job);
        for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i) != null) {
                job.failed(i, failures.get(i));
            }
        }
        if (pool != null && pool.deadline() != null) {
            Duration limit = pool.deadline();
            timer.schedule(() -> job.deadlinePassed(limit), limit.toNanos(), TimeUnit.NANOSECONDS);
        }
        int nodes = Math.max(1, members().size());
        job.start(sendable, nodes, Math.max(1, workers()), options.chunkItems());
        return job;
    }

    /** Tells the nodes holding chunks of a job to stop them; does not wait. */
    void cancelOnNodes(String jobId, Set<Member> holding) {
        if (closed) {
            return;
        }
        CancelTask task = new CancelTask(jobId, Auth.cancel(secret, options.clusterName(), jobId));
        for (Member member : holding) {
            try {
                CompletableFuture<Boolean> sent = new CompletableFuture<>();
                cancelling.add(sent);
                sent.whenComplete((ok, error) -> cancelling.remove(sent));
                control.submitToMember(task, member, new ExecutionCallback<Boolean>() {
                    @Override
                    public void onResponse(Boolean ok) {
                        sent.complete(ok);
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        sent.complete(false);
                    }
                });
            } catch (RuntimeException e) {
                // the node is gone: nothing of the job runs there any more
            }
        }
    }

    int load(Member member) {
        AtomicInteger n = load.get(member.getUuid());
        return n == null ? 0 : n.get();
    }

    void loadChange(Member member, int delta) {
        load.computeIfAbsent(member.getUuid(), k -> new AtomicInteger()).addAndGet(delta);
    }

    /** Puts the job and any jar the cluster lacks into the cluster's maps. */
    synchronized void publish(Job job) {
        byte[] function = functions.get(job.id());
        if (function == null) {
            return;
        }
        try {
            if (bundle == null) {
                bundle = ClassPathBundle.ofThisJvm(PProcess.class, Cluster.class, HazelcastInstance.class);
            }
            IMap<String, byte[]> jars = client.getMap(NodeService.JARS);
            for (ClassPathBundle.Jar jar : bundle.jars()) {
                if (!jars.containsKey(jar.sha256())) {
                    jars.set(jar.sha256(), jar.bytes());
                }
            }
            byte[] mac = Auth.job(secret, options.clusterName(), job.id(), bundle.hashes(), function);
            IMap<String, JobSpec> specs = client.getMap(JobSpec.MAP);
            specs.set(job.id(), new JobSpec(job.id(), driver, bundle.hashes(), function, mac));
        } catch (RuntimeException e) {
            throw new ClusterException("cannot publish the job in cluster '" + options.clusterName() + "': " + e, e, -1, null);
        }
    }

    /** A job delivered its last item or was cancelled: its entry in the cluster goes. */
    void jobEnded(Job job) {
        jobs.remove(job);
        functions.remove(job.id());
        if (!closed) {
            try {
                client.getMap(JobSpec.MAP).removeAsync(job.id());
            } catch (RuntimeException e) {
                // the nodes' maps drop it after an hour idle
            }
        }
    }

    List<Member> members() {
        return connected ? members : List.of();
    }

    ClusterOptions options() {
        return options;
    }

    Secret secret() {
        return secret;
    }

    IExecutorService chunks() {
        return executor;
    }

    /**
     * Ends the jobs still running — their undelivered items fail with a
     * {@link ClusterException}, the nodes stop their chunks (waiting up to 5 s for the nodes
     * to confirm) — and disconnects.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (Job job : List.copyOf(jobs)) {
            job.stop(index -> new ClusterException("the driver was closed before the item was delivered", null,
                    index, null), true);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (CompletableFuture<Boolean> sent : List.copyOf(cancelling)) {
            try {
                sent.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // a node that does not answer is gone or will drop the job with its connection
            }
        }
        closed = true;
        timer.shutdownNow();
        client.shutdown();
    }
}

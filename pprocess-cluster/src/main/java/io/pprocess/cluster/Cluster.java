package io.pprocess.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.SerializableFunction;
import io.pprocess.cluster.internal.Auth;
import io.pprocess.cluster.internal.ClassPathBundle;
import io.pprocess.cluster.internal.Configs;
import io.pprocess.cluster.internal.JobSpec;
import io.pprocess.cluster.internal.NodeService;
import io.pprocess.cluster.internal.Secret;
import io.pprocess.cluster.internal.Wire;
import java.io.IOException;
import java.net.InetAddress;
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
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        ClusterMap<R> map = new ClusterMap<>(list.size());
        Job job = submit(fn, list, map.sink());
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
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        ClusterQueue<R> queue = new ClusterQueue<>(list.size());
        Job job = submit(fn, list, queue.sink());
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
     * @return the future result; it completes exceptionally with the item's failure
     */
    public <T, R> CompletableFuture<R> submit(SerializableFunction<T, R> fn, T item) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Job job = submit(fn, List.of(item), new Job.Sink() {
            @Override
            @SuppressWarnings("unchecked")
            public void deliver(int index, Object value) {
                future.complete((R) value);
            }

            @Override
            public void fail(int index, PProcessException failure) {
                future.completeExceptionally(failure);
            }
        });
        future.whenComplete((r, t) -> {
            if (future.isCancelled()) {
                job.cancel("the future was cancelled");
            }
        });
        return future;
    }

    private <T> Job submit(SerializableFunction<?, ?> fn, List<T> list, Job.Sink sink) {
        if (closed) {
            throw new ClusterException("the driver is closed");
        }
        byte[] function;
        try {
            function = Wire.serialise(fn);
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
        Job job = new Job(this, jobId, bytes, loader, sink);
        functions.put(jobId, function);
        jobs.add(job);
        publish(job);
        for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i) != null) {
                job.failed(i, failures.get(i));
            }
        }
        int nodes = Math.max(1, members().size());
        job.start(sendable, nodes, Math.max(1, workers()), options.chunkItems());
        return job;
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

    IExecutorService executor() {
        return executor;
    }

    /** Ends the jobs still running (their undelivered items fail) and disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (Job job : List.copyOf(jobs)) {
            job.cancel("the driver was closed before the item was delivered");
        }
        closed = true;
        timer.shutdownNow();
        client.shutdown();
    }
}

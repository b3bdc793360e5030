package io.pprocess.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a driver reaches a cluster and runs its jobs there. Immutable: each {@code with} method
 * returns a copy.
 *
 * <pre>{@code
 * ClusterOptions options = ClusterOptions.cluster("render")
 *         .members("10.0.0.1:5701,10.0.0.2:5701")
 *         .secretFile(Path.of("/etc/pprocess/render.secret"));
 * }</pre>
 */
public final class ClusterOptions {
    private final String cluster;
    private final List<String> members;
    private final Path secretFile;
    private final int chunkSize;
    private final int retries;
    private final Duration noNodeTimeout;
    private final Duration connectTimeout;

    private ClusterOptions(String cluster, List<String> members, Path secretFile, int chunkSize, int retries,
                           Duration noNodeTimeout, Duration connectTimeout) {
        this.cluster = cluster;
        this.members = members;
        this.secretFile = secretFile;
        this.chunkSize = chunkSize;
        this.retries = retries;
        this.noNodeTimeout = noNodeTimeout;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Starts the options of the cluster of that name, reached at {@code 127.0.0.1:5701} until
     * {@link #members} says otherwise.
     *
     * @param name the cluster name the nodes were started with
     * @return the options
     * @throws IllegalArgumentException if the name is empty
     */
    public static ClusterOptions cluster(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cluster name is empty");
        }
        return new ClusterOptions(name, List.of("127.0.0.1:5701"), null, 0, 0,
                Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /**
     * Sets the nodes to reach first (the driver then learns every member from them).
     *
     * @param addresses {@code HOST:PORT} each, or one string of them separated by commas
     * @return the changed copy
     * @throws IllegalArgumentException if an address has no valid port
     */
    public ClusterOptions members(String... addresses) {
        List<String> list = Arrays.stream(addresses).flatMap(a -> Arrays.stream(a.split(",")))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no member address given");
        }
        for (String address : list) {
            checkAddress(address);
        }
        return new ClusterOptions(cluster, list, secretFile, chunkSize, retries, noNodeTimeout, connectTimeout);
    }

    /**
     * Sets the file holding the cluster's shared secret; it must be readable by its owner only
     * (mode 0600 or 0400). Required.
     *
     * @param file the secret file
     * @return the changed copy
     */
    public ClusterOptions secretFile(Path file) {
        return new ClusterOptions(cluster, members, Objects.requireNonNull(file, "secretFile"), chunkSize, retries,
                noNodeTimeout, connectTimeout);
    }

    /**
     * Sets the number of items sent to a node at once. 0 (the default) chooses: about a sixth
     * of the items per node at first, smaller towards the end, at most 1,000.
     *
     * @param items the chunk size, or 0
     * @return the changed copy
     * @throws IllegalArgumentException if negative
     */
    public ClusterOptions chunkSize(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("chunkSize < 0: " + items);
        }
        return new ClusterOptions(cluster, members, secretFile, items, retries, noNodeTimeout, connectTimeout);
    }

    /**
     * Sets how many times an item whose child died ({@link NodeChildProcessException}) is run
     * again, on any node, before its failure is delivered. An item whose function threw is not
     * run again. Default 0.
     *
     * @param times the retries
     * @return the changed copy
     * @throws IllegalArgumentException if negative
     */
    public ClusterOptions retries(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("retries < 0: " + times);
        }
        return new ClusterOptions(cluster, members, secretFile, chunkSize, times, noNodeTimeout, connectTimeout);
    }

    /**
     * Sets how long items wait while no node can take them before they fail with a
     * {@link ClusterException}. Default 30 s.
     *
     * @param timeout the time
     * @return the changed copy
     * @throws IllegalArgumentException if not positive
     */
    public ClusterOptions noNodeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("noNodeTimeout must be positive: " + timeout);
        }
        return new ClusterOptions(cluster, members, secretFile, chunkSize, retries, timeout, connectTimeout);
    }

    /**
     * Sets how long {@link Cluster#connect} tries to reach the cluster (and how long the driver
     * tries to get back to it after losing every connection). Default 30 s.
     *
     * @param timeout the time
     * @return the changed copy
     * @throws IllegalArgumentException if not positive
     */
    public ClusterOptions connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
        }
        return new ClusterOptions(cluster, members, secretFile, chunkSize, retries, noNodeTimeout, timeout);
    }

    /** @return the cluster name */
    public String clusterName() {
        return cluster;
    }

    /** @return the addresses reached first */
    public List<String> memberAddresses() {
        return members;
    }

    /** @return the secret file, or {@code null} if not set */
    public Path secret() {
        return secretFile;
    }

    /** @return the chunk size, 0 for automatic */
    public int chunkItems() {
        return chunkSize;
    }

    /** @return the retries of an item whose child died */
    public int itemRetries() {
        return retries;
    }

    /** @return how long items wait for a node */
    public Duration noNodeWait() {
        return noNodeTimeout;
    }

    /** @return how long to try to reach the cluster */
    public Duration connectWait() {
        return connectTimeout;
    }

    static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("member address must be HOST:PORT: " + address);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("member port out of 1..65535: " + address);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member address must be HOST:PORT: " + address);
        }
    }
}

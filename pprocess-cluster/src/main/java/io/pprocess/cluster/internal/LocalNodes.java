package io.pprocess.cluster.internal;

import io.pprocess.cluster.PProcessNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node JVMs ({@code pprocess-node}) on 127.0.0.1, for the project's tests and benchmarks: a
 * secret file, free ports, each node started with a command (a {@code java} command line or
 * {@code bin/pprocess-node}), its output in a log file, waited for until it is ready, and
 * every node ended in {@link #close()}. Not a way to run a cluster: that is
 * {@code pprocess-node}'s job.
 */
public final class LocalNodes implements AutoCloseable {
    /** What a Hazelcast member wants on JDK 17 (as {@code bin/pprocess-node} gives it). */
    public static final List<String> JVM_OPTIONS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static final Pattern READY = Pattern.compile(" ready: .* work directory (\\S+)");
    private static final Pattern HOST = Pattern.compile("started job host pid (\\d+)");
    private static final long READY_SECONDS = 90;

    /** One node JVM. */
    public static final class Node {
        private final int port;
        private final Process process;
        private final Path log;
        private Path workDir;

        Node(int port, Process process, Path log) {
            this.port = port;
            this.process = process;
            this.log = log;
        }

        /** @return its port */
        public int port() {
            return port;
        }

        /** @return its process (the launcher's, for {@code bin/pprocess-node}) */
        public Process process() {
            return process;
        }

        /** @return its work directory, as it logged it */
        public Path workDir() {
            return workDir;
        }

        /** @return {@code 127.0.0.1:PORT} */
        public String address() {
            return "127.0.0.1:" + port;
        }

        /** @return what it logged so far */
        public String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        /** @return the pids of the job hosts it logged starting */
        public List<Long> jobHostPids() {
            List<Long> pids = new ArrayList<>();
            Matcher m = HOST.matcher(log());
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
            return pids;
        }

        /**
         * Stops it with SIGTERM and waits up to 30 s (then kills it and what it started).
         *
         * @return its exit status
         * @throws InterruptedException if interrupted while waiting
         */
        public int stop() throws InterruptedException {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle d : descendants) {
                d.destroyForcibly();
            }
            return process.exitValue();
        }
    }

    private final Path dir;
    private final Path secret;
    private final List<String> command;
    private final Map<String, String> environment;
    private final int workers;
    private final List<Node> nodes = new ArrayList<>();

    /**
     * Prepares nodes: writes a secret file (0600) in {@code dir}.
     *
     * @param dir where the secret and the logs go (the caller removes it)
     * @param command the command that runs a node, before its options
     * @param environment variables added to the nodes' environment
     * @param workers each node's workers
     * @throws IOException if the secret cannot be written
     */
    public LocalNodes(Path dir, List<String> command, Map<String, String> environment, int workers) throws IOException {
        this.dir = dir;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workers = workers;
        this.secret = secretFile(dir.resolve("cluster.secret"), "the secret of a local test cluster, 0600");
    }

    /**
     * The command of a node in a JVM of this JDK: {@code java}, {@link #JVM_OPTIONS}, the given
     * options, the class path and {@link PProcessNode}.
     *
     * @param classPath the node's class path: pprocess-cluster, pprocess-core, Hazelcast
     * @param jvmOptions more JVM options ({@code -Xmx}, {@code -Djava.io.tmpdir})
     * @return the command
     */
    public static List<String> javaCommand(String classPath, String... jvmOptions) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(JVM_OPTIONS);
        c.addAll(Arrays.asList(jvmOptions));
        c.addAll(List.of("-cp", classPath, PProcessNode.class.getName()));
        return c;
    }

    /**
     * Writes a secret file readable by its owner only.
     *
     * @param file the file
     * @param text the secret
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path secretFile(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /**
     * Finds free TCP ports on the loopback interface.
     *
     * @param n how many
     * @return the ports
     * @throws IOException if no socket can be opened
     */
    public static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }

    /**
     * Starts {@code n} nodes of a cluster on free ports, each joining the others, and waits
     * until they are all ready.
     *
     * @param cluster the cluster name
     * @param n how many nodes
     * @return the member addresses, separated by commas
     * @throws IOException if a node cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public String startCluster(String cluster, int n) throws IOException, InterruptedException {
        int[] ports = freePorts(n);
        List<String> addresses = new ArrayList<>();
        for (int port : ports) {
            addresses.add("127.0.0.1:" + port);
        }
        String members = String.join(",", addresses);
        List<Node> started = new ArrayList<>();
        for (int port : ports) {
            started.add(launch(cluster, port, members));
        }
        for (Node node : started) {
            awaitReady(node);
        }
        return members;
    }

    /**
     * Starts a node and waits until it is ready.
     *
     * @param cluster the cluster name
     * @param port its port
     * @param members the members it joins
     * @param extra more options of {@code pprocess-node}
     * @return the node
     * @throws IOException if it cannot be started
     * @throws IllegalStateException if it exits or is not ready within 90 s
     * @throws InterruptedException if interrupted while waiting
     */
    public Node start(String cluster, int port, String members, String... extra) throws IOException, InterruptedException {
        return awaitReady(launch(cluster, port, members, extra));
    }

    private Node launch(String cluster, int port, String members, String... extra) throws IOException {
        List<String> c = new ArrayList<>(command);
        c.addAll(List.of("--cluster", cluster, "--members", members, "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--secret-file", secret.toString(), "--workers", Integer.toString(workers)));
        c.addAll(Arrays.asList(extra));
        Path log = dir.resolve("node-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Node node = new Node(port, builder.start(), log);
        synchronized (nodes) {
            nodes.add(node);
        }
        return node;
    }

    private static Node awaitReady(Node node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher m = READY.matcher(node.log());
            if (m.find()) {
                node.workDir = Path.of(m.group(1));
                return node;
            }
            if (!node.process.isAlive()) {
                throw new IllegalStateException("node on port " + node.port + " exited with "
                        + node.process.exitValue() + ":\n" + node.log());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node on port " + node.port + " not ready within " + READY_SECONDS + " s:\n"
                + node.log());
    }

    /** @return the secret file */
    public Path secret() {
        return secret;
    }

    /** @return the nodes started, in order */
    public List<Node> nodes() {
        synchronized (nodes) {
            return List.copyOf(nodes);
        }
    }

    /**
     * Stops every node still running (SIGTERM, then SIGKILL after 30 s, with what it started).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes()) {
            if (node.process.isAlive()) {
                node.process.destroy();
            }
        }
        for (Node node : nodes()) {
            node.stop();
        }
    }
}

package io.pprocess.cluster;

import io.pprocess.PProcess;
import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node JVMs for the tests, on 127.0.0.1: started with pprocess and Hazelcast only on their
 * class path (not the tests' classes), each logging to a file; ended in {@link #close()}.
 */
final class Nodes implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready: .* work directory (\\S+)");
    private static final Pattern HOST = Pattern.compile("started job host pid (\\d+)");

    /** One node JVM. */
    static final class Node {
        final int port;
        final Process process;
        final Path log;
        Path workDir;

        Node(int port, Process process, Path log) {
            this.port = port;
            this.process = process;
            this.log = log;
        }

        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        List<Long> jobHostPids() {
            List<Long> pids = new ArrayList<>();
            Matcher m = HOST.matcher(log());
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
            return pids;
        }

        String address() {
            return "127.0.0.1:" + port;
        }
    }

    final Path dir;
    final Path secret;
    final List<Node> nodes = new ArrayList<>();

    Nodes(Path dir) throws IOException {
        this.dir = dir;
        this.secret = secretFile(dir.resolve("cluster.secret"), "the cluster's secret for the tests, 0600");
    }

    static Path secretFile(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    static int[] freePorts(int n) throws IOException {
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

    /** The class path of a node: pprocess-cluster's classes, pprocess-core and the dependencies. */
    static String nodeClassPath() throws IOException {
        Path classes = Path.of(System.getProperty("cluster.classes", "target/classes")).toAbsolutePath();
        String deps = Files.readString(classes.getParent().resolve("classpath.txt")).trim();
        String core = Path.of(PProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        return classes + File.pathSeparator + core + File.pathSeparator + deps;
    }

    /**
     * Starts a node and waits until it is ready.
     *
     * @param cluster the cluster name
     * @param port its port
     * @param members the members it joins
     * @param extra more options
     * @return the node
     */
    Node start(String cluster, int port, String members, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("hazelcast.jvm.options", "").trim().split("\\s+")));
        command.add("-Xmx256m");
        command.add("-Djava.io.tmpdir=" + dir);
        command.addAll(List.of("-cp", nodeClassPath(), PProcessNode.class.getName(),
                "--cluster", cluster, "--members", members, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--secret-file", secret.toString(), "--workers", "1"));
        command.addAll(Arrays.asList(extra));
        Path log = dir.resolve("node-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Node node = new Node(port, builder.start(), log);
        nodes.add(node);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = READY.matcher(node.log());
            if (m.find()) {
                node.workDir = Path.of(m.group(1));
                return node;
            }
            if (!node.process.isAlive()) {
                throw new IllegalStateException("node on port " + port + " exited with " + node.process.exitValue()
                        + ":\n" + node.log());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node on port " + port + " not ready within 60 s:\n" + node.log());
    }

    /** Ends every node still running: SIGKILL, then their job hosts if they outlived them. */
    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            List<ProcessHandle> descendants = node.process.descendants().toList();
            node.process.destroyForcibly();
            node.process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle d : descendants) {
                d.destroyForcibly();
            }
        }
    }
}

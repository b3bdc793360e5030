package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raytrace_cluster} across two nodes started with {@code bin/pprocess-node} on
 * 127.0.0.1 writes the bytes {@code raytrace} writes; the nodes stop on SIGTERM with status 0.
 * And the children of the single-machine variants load no Hazelcast class, though its jar is
 * on their class path now.
 */
class RaytraceClusterIT {
    private static final Path NODE = Path.of("..", "bin", "pprocess-node").toAbsolutePath().normalize();

    @Test
    @Timeout(240)
    void theClusterVariantWritesTheSameImageAsTheSequentialOne(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "a secret of the ray-tracing cluster\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        int[] ports = freePorts(2);
        String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        String name = "raytrace-it-" + ProcessHandle.current().pid();
        List<Process> nodes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int port : ports) {
                Path log = dir.resolve("node-" + port + ".log");
                ProcessBuilder builder = new ProcessBuilder("bash", NODE.toString(), "--cluster", name, "--members", members,
                        "--bind", "127.0.0.1", "--port", Integer.toString(port), "--secret-file", secret.toString(),
                        "--workers", "1").redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("PPROCESS_NODE_JAVA_OPTS", "-Xmx256m -Djava.io.tmpdir=" + dir);
                nodes.add(builder.start());
                logs.add(log);
            }
            for (int i = 0; i < nodes.size(); i++) {
                awaitReady(nodes.get(i), logs.get(i));
            }
            List<String> size = List.of("--width", "60", "--height", "40", "--samples", "16");
            Path sequential = dir.resolve("raytrace.tif");
            Path clustered = dir.resolve("raytrace_cluster.tif");
            List<String> args = new ArrayList<>(List.of("raytrace", "--output", sequential.toString()));
            args.addAll(size);
            ExampleRun.run(120, args.toArray(String[]::new)).succeeded();
            args = new ArrayList<>(List.of("raytrace_cluster", "--cluster", name, "--members", members,
                    "--secret-file", secret.toString(), "--output", clustered.toString()));
            args.addAll(size);
            ExampleRun run = ExampleRun.run(180, args.toArray(String[]::new)).succeeded();
            assertThat(run.out).contains("Rendering: 100%", "Wrote " + clustered, "(1 workers)");
            System.out.printf("raytrace_cluster on 2 nodes: %.3f s%n", run.timeTaken());
            assertThat(Files.readAllBytes(clustered)).isEqualTo(Files.readAllBytes(sequential));
            for (Path log : logs) {
                assertThat(Files.readString(log)).contains("accepted job");
            }
        } finally {
            for (Process node : nodes) {
                node.destroy();
            }
            for (int i = 0; i < nodes.size(); i++) {
                Process node = nodes.get(i);
                if (!node.waitFor(30, TimeUnit.SECONDS)) {
                    node.descendants().forEach(ProcessHandle::destroyForcibly);
                    node.destroyForcibly().waitFor();
                }
                assertThat(node.exitValue()).as("exit status after SIGTERM; log:%n%s", Files.readString(logs.get(i)))
                        .isZero();
            }
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("the nodes removed their work directories").noneMatch(n -> n.startsWith("pprocess-node-"));
        }
    }

    @Test
    @Timeout(120)
    void theChildrenOfTheSingleMachineVariantsLoadNoHazelcastClass() throws Exception {
        ExampleRun run = ExampleRun.run(Map.of("PPROCESS_JVM_OPTIONS", "-Xlog:class+load=info"), 100,
                "raytrace_pmap", "--width", "8", "--height", "4", "--samples", "1", "--limit", "2", "--output", "t.tif")
                .succeeded();
        assertThat(run.out).contains("io.pprocess.examples.raytrace.RayTracer").doesNotContain("com.hazelcast");
    }

    private static void awaitReady(Process node, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (text.contains(" ready: ")) {
                return;
            }
            assertThat(node.isAlive()).as("node alive; log:%n%s", text).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready in 90 s:\n" + Files.readString(log));
    }

    private static int[] freePorts(int n) throws IOException {
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
}

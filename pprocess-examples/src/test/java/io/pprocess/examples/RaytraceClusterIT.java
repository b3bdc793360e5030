package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.cluster.internal.LocalNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        String name = "raytrace-it-" + ProcessHandle.current().pid();
        LocalNodes nodes = new LocalNodes(dir, List.of("bash", NODE.toString()),
                Map.of("PPROCESS_NODE_JAVA_OPTS", "-Xmx256m -Djava.io.tmpdir=" + dir), 1);
        try {
            String members = nodes.startCluster(name, 2);
            List<String> size = List.of("--width", "60", "--height", "40", "--samples", "16");
            Path sequential = dir.resolve("raytrace.tif");
            Path clustered = dir.resolve("raytrace_cluster.tif");
            List<String> args = new ArrayList<>(List.of("raytrace", "--output", sequential.toString()));
            args.addAll(size);
            ExampleRun.run(120, args.toArray(String[]::new)).succeeded();
            args = new ArrayList<>(List.of("raytrace_cluster", "--cluster", name, "--members", members,
                    "--secret-file", nodes.secret().toString(), "--output", clustered.toString()));
            args.addAll(size);
            ExampleRun run = ExampleRun.run(180, args.toArray(String[]::new)).succeeded();
            assertThat(run.out).contains("Wrote " + clustered, "(1 workers)");
            assertThat(run.err).as("the progress bar stays silent without a terminal").doesNotContain("rows [");
            System.out.printf("raytrace_cluster on 2 nodes: %.3f s%n", run.timeTaken());
            assertThat(Files.readAllBytes(clustered)).isEqualTo(Files.readAllBytes(sequential));
            for (LocalNodes.Node node : nodes.nodes()) {
                assertThat(node.log()).contains("accepted job");
            }
        } finally {
            nodes.close();
        }
        for (LocalNodes.Node node : nodes.nodes()) {
            assertThat(node.process().exitValue()).as("exit status after SIGTERM; log:%n%s", node.log()).isZero();
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
}

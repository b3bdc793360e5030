package io.pprocess.bench;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.cluster.Cluster;
import io.pprocess.cluster.ClusterMap;
import io.pprocess.cluster.ClusterOptions;
import io.pprocess.cluster.internal.LocalNodes;
import io.pprocess.examples.raytrace.RayTracer;
import io.pprocess.examples.raytrace.Scene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A cluster {@code pmap} beside a local one on this machine: the per-item and per-job costs,
 * and the ray tracer, across node JVMs on 127.0.0.1. Not a JMH benchmark: a node cluster is
 * a set of processes to start once, and the first contact (class path shipped, job hosts
 * started) is a figure of its own. Each figure is the wall time of one call; the steady ones
 * are the best of the repeats after the first. Every result is checked.
 *
 * <p>Run ({@code pprocess-bench/cluster.sh} builds the class paths):
 * {@code java -Dpprocess.cluster.nodeClassPath=CP -cp CP io.pprocess.bench.ClusterOverhead
 * [--nodes 2] [--workers 1] [--items 20000] [--repeats 5]}
 */
public final class ClusterOverhead {

    private ClusterOverhead() {
    }

    /**
     * Runs the measurements and prints a table.
     *
     * @param args the options
     * @throws Exception if a node does not start or a result is wrong
     */
    public static void main(String[] args) throws Exception {
        int nodes = option(args, "--nodes", 2);
        int workers = option(args, "--workers", 1);
        int items = option(args, "--items", 20_000);
        int repeats = option(args, "--repeats", 5);
        String nodeClassPath = System.getProperty("pprocess.cluster.nodeClassPath");
        if (nodeClassPath == null) {
            throw new IllegalArgumentException("set -Dpprocess.cluster.nodeClassPath to the nodes' class path");
        }
        Path dir = Files.createTempDirectory("cluster-overhead-");
        LocalNodes localNodes = new LocalNodes(dir, LocalNodes.javaCommand(nodeClassPath, "-Djava.io.tmpdir=" + dir),
                Map.of(), workers);
        try {
            Path secret = localNodes.secret();
            String members = localNodes.startCluster("overhead", nodes);
            List<Integer> numbers = IntStream.range(0, items).boxed().toList();
            int limit = nodes * workers;
            System.out.printf("%d nodes x %d workers on 127.0.0.1; local pmap limit %d; %d items%n",
                    nodes, workers, limit, items);

            double[] local = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t = System.nanoTime();
                try (MapExchange<Integer> m = PProcess.pmap((Integer x) -> x + 1, numbers, limit)) {
                    check(m.toList(), items);
                }
                local[r] = (System.nanoTime() - t) / 1e9;
            }
            try (Cluster cluster = Cluster.connect(ClusterOptions.cluster("overhead").members(members).secretFile(secret))) {
                waitForNodes(cluster, nodes);
                double[] remote = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t = System.nanoTime();
                    try (ClusterMap<Integer> m = cluster.pmap((Integer x) -> x + 1, numbers)) {
                        check(m.toList(), items);
                    }
                    remote[r] = (System.nanoTime() - t) / 1e9;
                }
                double[] job = new double[Math.max(repeats, 10)];
                for (int r = 0; r < job.length; r++) {
                    long t = System.nanoTime();
                    try (ClusterMap<Integer> m = cluster.pmap((Integer x) -> x + 1, List.of(r))) {
                        if (m.get(0) != r + 1) {
                            throw new IllegalStateException("wrong result of a one-item job");
                        }
                    }
                    job[r] = (System.nanoTime() - t) / 1e9;
                }
                double[] localJob = new double[job.length];
                for (int r = 0; r < localJob.length; r++) {
                    long t = System.nanoTime();
                    try (MapExchange<Integer> m = PProcess.pmap((Integer x) -> x + 1, List.of(r), 1)) {
                        if (m.get(0) != r + 1) {
                            throw new IllegalStateException("wrong result of a one-item local pmap");
                        }
                    }
                    localJob[r] = (System.nanoTime() - t) / 1e9;
                }
                RayTracer tracer = new RayTracer(Scene.standard(Scene.DEFAULT_WIDTH, Scene.DEFAULT_HEIGHT,
                        Scene.DEFAULT_OCCLUSION_SAMPLES));
                List<Integer> rows = IntStream.range(0, tracer.height()).boxed().toList();
                int[][] reference = new int[tracer.height()][];
                long t0 = System.nanoTime();
                for (int y = 0; y < tracer.height(); y++) {
                    reference[y] = tracer.renderRow(y);
                }
                double sequential = (System.nanoTime() - t0) / 1e9;
                int traceRepeats = Math.min(repeats, 3);
                double[] localTrace = new double[traceRepeats];
                double[] remoteTrace = new double[traceRepeats];
                for (int r = 0; r < traceRepeats; r++) {
                    long t = System.nanoTime();
                    try (MapExchange<int[]> m = PProcess.pmap((Integer y) -> tracer.renderRow(y), rows, limit)) {
                        checkImage(m.toList(), reference);
                    }
                    localTrace[r] = (System.nanoTime() - t) / 1e9;
                    t = System.nanoTime();
                    try (ClusterMap<int[]> m = cluster.pmap((Integer y) -> tracer.renderRow(y), rows)) {
                        checkImage(m.toList(), reference);
                    }
                    remoteTrace[r] = (System.nanoTime() - t) / 1e9;
                }
                System.out.println("| measurement | local pmap | cluster pmap | ratio |");
                System.out.println("| --- | --- | --- | --- |");
                row("items: first call (s)", local[0], remote[0]);
                row("items: steady, best of the rest (s)", best(local), best(remote));
                System.out.printf("| per item, steady (us) | %.1f | %.1f | %.2f |%n", best(local) / items * 1e6,
                        best(remote) / items * 1e6, best(remote) / best(local));
                row("one-item job: first (s)", localJob[0], job[0]);
                row("one-item job: steady, best (s)", best(localJob), best(job));
                row("one-item job: steady, median (s)", median(localJob), median(job));
                row("ray tracer 300x200: first (s)", localTrace[0], remoteTrace[0]);
                row("ray tracer 300x200: steady, best (s)", best(localTrace), best(remoteTrace));
                System.out.printf("ray tracer in one thread of this JVM (warming up): %.3f s%n", sequential);
            }
        } finally {
            localNodes.close();
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void row(String what, double local, double cluster) {
        System.out.printf("| %s | %.3f | %.3f | %.2f |%n", what, local, cluster, cluster / local);
    }

    private static double best(double[] times) {
        return Arrays.stream(times, times.length > 1 ? 1 : 0, times.length).min().orElseThrow();
    }

    private static double median(double[] times) {
        double[] rest = Arrays.copyOfRange(times, times.length > 1 ? 1 : 0, times.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }

    private static void check(List<Integer> results, int items) {
        for (int i = 0; i < items; i++) {
            if (results.get(i) != i + 1) {
                throw new IllegalStateException("item " + i + ": " + results.get(i));
            }
        }
    }

    private static void checkImage(List<int[]> rows, int[][] reference) {
        for (int y = 0; y < reference.length; y++) {
            if (!Arrays.equals(rows.get(y), reference[y])) {
                throw new IllegalStateException("row " + y + " differs from the reference");
            }
        }
    }

    private static void waitForNodes(Cluster cluster, int nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.nodes().size() < nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + cluster.nodes() + " reachable after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static int option(String[] args, String name, int otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return otherwise;
    }
}

package io.pprocess.examples.raytrace;

import io.pprocess.cluster.Cluster;
import io.pprocess.cluster.ClusterException;
import io.pprocess.cluster.ClusterMap;
import io.pprocess.examples.Cli;

/**
 * Renders the rows across the nodes of a pprocess cluster ({@code pprocess-node}) with
 * {@link Cluster#pmap}: the tracer (plain, serialisable data) and this program's classes are
 * shipped to the nodes, the rows come back in row order, and the file is byte for byte the one
 * the sequential {@link Raytrace} writes. See {@code docs/cluster.md}.
 *
 * <p>Run: {@code bin/pprocess-example raytrace_cluster --cluster NAME --members HOST:PORT,...
 * --secret-file FILE [--width 300] [--height 200] [--output test.tif]}
 */
public final class RaytraceCluster {

    private RaytraceCluster() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link RaytraceClusterOptions}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        RaytraceClusterOptions options = Cli.parse("raytrace_cluster", new RaytraceClusterOptions(), args);
        RayTracer tracer = options.raytrace.tracer();
        long start = System.nanoTime();
        RgbImage image = new RgbImage(tracer.width(), tracer.height());
        try (Cluster cluster = connect(options)) {
            System.out.println("Cluster: " + String.join(", ", cluster.nodes()));
            RowProgress progress = RowProgress.onTerminal(tracer.height());
            try (ClusterMap<int[]> rows = cluster.pmap((Integer y) -> tracer.renderRow(y), options.raytrace.rows())) {
                int y = 0;
                for (int[] row : rows) {
                    image.setRow(y++, row);
                    progress.step();
                }
            }
        }
        options.raytrace.finish(image, start);
    }

    /** Connects, or exits with status 1 and the reason: a bad secret file, no node reachable. */
    private static Cluster connect(RaytraceClusterOptions options) {
        try {
            return Cluster.connect(options.cluster());
        } catch (ClusterException e) {
            System.err.println("raytrace_cluster: " + e.getMessage());
            System.exit(1);
            return null;
        }
    }
}

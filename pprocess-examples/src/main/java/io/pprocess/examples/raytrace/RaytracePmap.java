package io.pprocess.examples.raytrace;

import io.pprocess.ConsoleProgress;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.PoolOptions;

/**
 * Renders the rows with {@link PProcess#pmap}: the tracer (plain data) is copied into each
 * child, the rows come back in row order, and the file is byte for byte the one the
 * sequential {@link Raytrace} writes.
 *
 * <p>Run: {@code bin/pprocess-example raytrace_pmap [--limit CORES] [--width 300] [--height 200] [--output test.tif]}
 */
public final class RaytracePmap {

    private RaytracePmap() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link RaytraceOptions}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        RaytraceOptions options = RaytraceOptions.parse("raytrace_pmap", args);
        RayTracer tracer = options.tracer();
        long start = System.nanoTime();
        RgbImage image = new RgbImage(tracer.width(), tracer.height());
        PoolOptions pool = PoolOptions.defaults().workers(options.limit()).progress(ConsoleProgress.create("rows"));
        try (MapExchange<int[]> rows = PProcess.pmap((Integer y) -> tracer.renderRow(y), options.rows(), pool)) {
            int y = 0;
            for (int[] row : rows) {
                image.setRow(y++, row);
            }
        }
        options.finish(image, start);
    }
}

package io.pprocess.examples.raytrace;

import io.pprocess.ExchangeOptions;
import io.pprocess.ConsoleProgress;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.PoolOptions;
import java.util.function.Consumer;

/**
 * Renders with reused processes: a {@link MapExchange} with {@code reuse(true)} and a task made
 * with {@link PProcess#reusable}, called once per row through {@link MapExchange#manage}. Each
 * of the {@code limit} children renders row after row, and the rows are read in order.
 *
 * <p>Run: {@code bin/pprocess-example raytrace_reusable [--limit CORES] [--width 300] [--height 200] [--output test.tif]}
 */
public final class RaytraceReusable {

    private RaytraceReusable() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link RaytraceOptions}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        RaytraceOptions options = RaytraceOptions.parse("raytrace_reusable", args);
        RayTracer tracer = options.tracer();
        long start = System.nanoTime();
        RgbImage image = new RgbImage(tracer.width(), tracer.height());
        ExchangeOptions reusing = ExchangeOptions.defaults().limit(options.limit()).reuse(true)
                .pool(PoolOptions.defaults().progress(ConsoleProgress.create("rows")));
        try (MapExchange<int[]> rows = new MapExchange<>(reusing)) {
            Consumer<Integer> render = rows.manage(PProcess.reusable((Integer y) -> tracer.renderRow(y)));
            for (int y = 0; y < tracer.height(); y++) {
                render.accept(y);
            }
            int y = 0;
            for (int[] row : rows) {
                image.setRow(y++, row);
            }
        }
        options.finish(image, start);
    }
}

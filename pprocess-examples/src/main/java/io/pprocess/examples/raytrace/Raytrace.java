package io.pprocess.examples.raytrace;

/**
 * Renders the standard scene sequentially in this process and writes {@code test.tif}: the
 * baseline for the parallel variants, which must write the same bytes.
 *
 * <p>Run: {@code bin/pprocess-example raytrace [--width 300] [--height 200] [--samples 256] [--output test.tif]}
 */
public final class Raytrace {

    private Raytrace() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link RaytraceOptions}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        RaytraceOptions options = RaytraceOptions.parse("raytrace", args);
        RayTracer tracer = options.tracer();
        long start = System.nanoTime();
        RgbImage image = new RgbImage(tracer.width(), tracer.height());
        RowProgress progress = RowProgress.onTerminal(tracer.height());
        for (int y = 0; y < tracer.height(); y++) {
            image.setRow(y, tracer.renderRow(y));
            progress.step();
        }
        options.finish(image, start);
    }
}

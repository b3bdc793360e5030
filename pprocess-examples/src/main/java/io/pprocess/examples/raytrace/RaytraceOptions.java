package io.pprocess.examples.raytrace;

import io.pprocess.PProcess;
import io.pprocess.examples.Cli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/** The command-line options shared by the ray-tracer programs, and what they all do around the rendering. */
public final class RaytraceOptions implements Cli.Checked {

    @Option(names = "--width", paramLabel = "PIXELS", description = "image width (default: ${DEFAULT-VALUE})")
    int width = Scene.DEFAULT_WIDTH;

    @Option(names = "--height", paramLabel = "PIXELS", description = "image height (default: ${DEFAULT-VALUE})")
    int height = Scene.DEFAULT_HEIGHT;

    @Option(names = "--samples", paramLabel = "N",
            description = "ambient-occlusion rays per visible point (default: ${DEFAULT-VALUE})")
    int samples = Scene.DEFAULT_OCCLUSION_SAMPLES;

    @Option(names = "--output", paramLabel = "FILE", description = "the TIFF file to write (default: ${DEFAULT-VALUE})")
    Path output = Path.of("test.tif");

    @Option(names = "--limit", paramLabel = "N",
            description = "the most child processes at once, for the parallel variants"
                    + " (default: the number of cores, ${DEFAULT-VALUE} here)")
    int limit = PProcess.numberOfCores();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /**
     * Parses the options of a ray-tracer program; exits on a usage error.
     *
     * @param name the program's name
     * @param args the command-line arguments
     * @return the options
     */
    public static RaytraceOptions parse(String name, String[] args) {
        return Cli.parse(name, new RaytraceOptions(), args);
    }

    @Override
    public void check() {
        if (width <= 0) {
            throw new IllegalArgumentException("--width must be positive: " + width);
        }
        if (height <= 0) {
            throw new IllegalArgumentException("--height must be positive: " + height);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must not be negative: " + samples);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive: " + limit);
        }
    }

    /** @return the tracer for the standard scene at the chosen size and sampling */
    public RayTracer tracer() {
        return new RayTracer(Scene.standard(width, height, samples));
    }

    /** @return the most child processes at once */
    public int limit() {
        return limit;
    }

    /** @return the row numbers 0 .. height - 1 */
    public List<Integer> rows() {
        return IntStream.range(0, height).boxed().toList();
    }

    /**
     * Writes the image and prints where it went and the time taken since {@code startNanos}.
     *
     * @param image the rendered image
     * @param startNanos {@link System#nanoTime()} when the program began rendering
     * @throws IOException if the file cannot be written
     */
    public void finish(RgbImage image, long startNanos) throws IOException {
        TiffWriter.write(image, output);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.println("Wrote " + output + " (" + image.width() + " x " + image.height() + ")");
        System.out.printf("Time taken: %.3f s%n", seconds);
    }
}

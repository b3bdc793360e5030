package io.pprocess.bench;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.examples.raytrace.RayTracer;
import io.pprocess.examples.raytrace.RgbImage;
import io.pprocess.examples.raytrace.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: how much a CPU-bound program gains from {@code pmap} on this machine's cores.
 *
 * <p>Both benchmarks render the examples' ray-traced scene at its default size (300 x 200,
 * {@value Scene#DEFAULT_OCCLUSION_SAMPLES} occlusion samples) and check the image against a
 * reference rendered in the setup. {@link #serial}, the baseline, renders every row in this
 * JVM, warmed up by the warm-up iterations. {@link #parallel} maps the rows with
 * {@code PProcess.pmap} over {@link PProcess#numberOfCores()} children, each a fresh JVM whose
 * compiler starts cold, as in the real program. The speedup is serial time / parallel time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SpeedupBenchmark {

    RayTracer tracer;
    RgbImage reference;
    List<Integer> rows;
    int limit;

    /** Builds the tracer and renders the reference image. */
    @Setup(Level.Trial)
    public void setUp() {
        tracer = new RayTracer(Scene.standard(Scene.DEFAULT_WIDTH, Scene.DEFAULT_HEIGHT,
                Scene.DEFAULT_OCCLUSION_SAMPLES));
        reference = tracer.render();
        rows = new ArrayList<>(tracer.height());
        for (int y = 0; y < tracer.height(); y++) {
            rows.add(y);
        }
        limit = PProcess.numberOfCores();
    }

    /**
     * The baseline: the whole image in this thread.
     *
     * @return the image
     */
    @Benchmark
    public RgbImage serial() {
        return check(tracer.render());
    }

    /**
     * The rows in child processes with {@code pmap}.
     *
     * @return the image
     */
    @Benchmark
    public RgbImage parallel() {
        RayTracer t = tracer;
        RgbImage image = new RgbImage(t.width(), t.height());
        try (MapExchange<int[]> results = PProcess.pmap((Integer y) -> t.renderRow(y), rows, limit)) {
            int y = 0;
            for (int[] row : results) {
                image.setRow(y++, row);
            }
        }
        return check(image);
    }

    private RgbImage check(RgbImage image) {
        if (!image.equals(reference)) {
            throw new IllegalStateException("rendered image differs from the reference");
        }
        return image;
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Speedup -f 1 -wi 2 -i 5
// speedup = score of serial / score of parallel (target: at least 1.8 on 2 cores)

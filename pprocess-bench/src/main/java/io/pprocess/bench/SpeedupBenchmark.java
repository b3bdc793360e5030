package io.pprocess.bench;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.examples.raytrace.RayTracer;
import io.pprocess.examples.raytrace.RgbImage;
import io.pprocess.examples.raytrace.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: how much a CPU-bound program gains from {@code pmap} on this machine's cores, and how
 * far that is from what threads in one JVM get.
 *
 * <p>Every benchmark renders the examples' ray-traced scene ({@link #image} pixels,
 * {@value Scene#DEFAULT_OCCLUSION_SAMPLES} occlusion samples) and checks the image against a
 * reference rendered in the setup. The parallel variants divide the image into bands of
 * {@value #BAND_ROWS} rows, one item each: 100 items for the default 300x200 image, about 2 s
 * of work in one thread.
 * <ul>
 * <li>{@link #serial}, the baseline: every row in this thread, warmed up by the warm-up
 *     iterations.</li>
 * <li>{@link #forkJoin}, the in-process upper bound: the bands as a parallel stream on the common
 *     {@link java.util.concurrent.ForkJoinPool} (threads of this warm JVM, no copying).</li>
 * <li>{@link #parallel}: the bands mapped with {@code PProcess.pmap} over
 *     {@link PProcess#numberOfCores()} children, each a fresh JVM whose compiler starts cold, as
 *     in a program's first {@code pmap}; the JVM starts are inside the measurement. Its fork
 *     keeps no warm workers ({@code pprocess.warmWorkerMillis=0}), so every call starts anew.</li>
 * <li>{@link #parallelSpares}: the same with {@code PProcess.keepSpares(numberOfCores())} and
 *     that many spares connected before each measured invocation, so the JVM starts are outside
 *     it; the spares' compilers are still cold, and the spares taken are replaced in the
 *     background while the image renders, which costs CPU on a machine with few cores.</li>
 * <li>{@link #parallelKept}: {@code pmap} taking workers that another program kept
 *     ({@link PProcess#keepWorkers}), as a program's first {@code pmap} does when an earlier
 *     run of the same build kept its workers: each call connects to them, finding their
 *     renderer compiled by the earlier calls (the warm-up iterations stand for the earlier
 *     runs); no warm workers are kept inside this JVM.</li>
 * <li>{@link #parallelWarm}: {@code pmap} as a program calling it repeatedly gets it: the
 *     workers of the previous call are kept warm (the default) and rebound to this call, their
 *     renderer already compiled.</li>
 * </ul>
 * The speedup of a variant is serial time / its time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SpeedupBenchmark {

    /** The JVM option that makes every {@code pmap} start its workers anew. */
    static final String NO_WARM_WORKERS = "-Dpprocess.warmWorkerMillis=0";

    /** Rows per item: the default image's 200 rows make the 100 items of the target. */
    static final int BAND_ROWS = 2;

    /** The image size, {@code WIDTHxHEIGHT}; the smoke test renders a small one. */
    @Param({"300x200"})
    public String image;

    RayTracer tracer;
    RgbImage reference;
    List<Integer> bands;
    int limit;

    /** Builds the tracer and renders the reference image. */
    @Setup(Level.Trial)
    public void setUp() {
        int[] size = parseImageSize(image);
        tracer = new RayTracer(Scene.standard(size[0], size[1], Scene.DEFAULT_OCCLUSION_SAMPLES));
        reference = tracer.render();
        int count = (tracer.height() + BAND_ROWS - 1) / BAND_ROWS;
        bands = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            bands.add(b);
        }
        limit = PProcess.numberOfCores();
    }

    /**
     * Spares for {@link #parallelSpares}: as many as {@link PProcess#numberOfCores()}, all
     * connected before each invocation.
     */
    @State(Scope.Thread)
    public static class ReadySpares {
        int count;

        /** Starts keeping spares. */
        @Setup(Level.Trial)
        public void keep() {
            count = PProcess.numberOfCores();
            PProcess.keepSpares(count);
        }

        /**
         * Waits until every spare is connected.
         *
         * @throws InterruptedException if interrupted
         */
        @Setup(Level.Invocation)
        public void awaitSpares() throws InterruptedException {
            SpareWait.awaitReady(count);
        }

        /** Stops keeping spares. */
        @TearDown(Level.Trial)
        public void stop() {
            PProcess.keepSpares(0);
        }
    }

    /** Kept workers for {@link #parallelKept}, in a directory of their own, ended after the trial. */
    @State(Scope.Thread)
    public static class KeptWorkers {
        java.nio.file.Path dir;

        /**
         * Keeps workers in a new temporary directory: under {@code java.io.tmpdir} when the
         * workers' socket paths fit there, else under {@code /tmp} (a UNIX-domain socket path
         * holds at most 107 bytes, and a worker's socket lies two levels below this directory).
         *
         * @throws java.io.IOException if the directory cannot be made
         */
        @Setup(Level.Trial)
        public void keep() throws java.io.IOException {
            java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            if (tmp.toString().length() > 40) {
                tmp = java.nio.file.Path.of("/tmp");
            }
            dir = java.nio.file.Files.createTempDirectory(tmp, "ppk-");
            System.setProperty("pprocess.keptWorkersDir", dir.toString());
            PProcess.keepWorkers(java.time.Duration.ofMinutes(5));
        }

        /**
         * Ends the kept workers and removes their directory with whatever is left in it.
         *
         * @throws java.io.IOException if the directory cannot be removed
         */
        @TearDown(Level.Trial)
        public void stop() throws java.io.IOException {
            PProcess.keepWorkers(java.time.Duration.ZERO);
            for (io.pprocess.KeptWorker w : PProcess.stopKeptWorkers()) {
                ProcessHandle.of(w.pid()).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            }
            try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    java.nio.file.Files.deleteIfExists(p);
                }
            }
        }
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
     * The in-process upper bound: the bands on the common fork-join pool's threads.
     *
     * @return the image
     */
    @Benchmark
    public RgbImage forkJoin() {
        RayTracer t = tracer;
        int[][][] pixels = new int[bands.size()][][];
        IntStream.range(0, bands.size()).parallel().forEach(b -> pixels[b] = renderBand(t, b));
        RgbImage result = new RgbImage(t.width(), t.height());
        for (int b = 0; b < pixels.length; b++) {
            setBand(result, b, pixels[b]);
        }
        return check(result);
    }

    /**
     * The bands in freshly started child processes with {@code pmap}.
     *
     * @return the image
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = NO_WARM_WORKERS)
    public RgbImage parallel() {
        return check(renderWithPmap());
    }

    /**
     * The bands in child processes taken from connected spares.
     *
     * @param spares the spares, ready before the call
     * @return the image
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = NO_WARM_WORKERS)
    public RgbImage parallelSpares(ReadySpares spares) {
        return check(renderWithPmap());
    }

    /**
     * The bands in workers kept by earlier calls as another program would have kept them.
     *
     * @param kept the kept workers' directory
     * @return the image
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = NO_WARM_WORKERS)
    public RgbImage parallelKept(KeptWorkers kept) {
        return check(renderWithPmap());
    }

    /**
     * The bands in the warm workers of the previous {@code pmap} call.
     *
     * @return the image
     */
    @Benchmark
    public RgbImage parallelWarm() {
        return check(renderWithPmap());
    }

    private RgbImage renderWithPmap() {
        RayTracer t = tracer;
        RgbImage result = new RgbImage(t.width(), t.height());
        try (MapExchange<int[][]> results = PProcess.pmap((Integer b) -> renderBand(t, b), bands, limit)) {
            int b = 0;
            for (int[][] band : results) {
                setBand(result, b++, band);
            }
        }
        return result;
    }

    /** Renders band {@code b}: rows {@code b * BAND_ROWS} up to the next band or the image's end. */
    static int[][] renderBand(RayTracer t, int b) {
        int first = b * BAND_ROWS;
        int[][] rows = new int[Math.min(BAND_ROWS, t.height() - first)][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = t.renderRow(first + i);
        }
        return rows;
    }

    private static void setBand(RgbImage image, int b, int[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            image.setRow(b * BAND_ROWS + i, rows[i]);
        }
    }

    private RgbImage check(RgbImage rendered) {
        if (!rendered.equals(reference)) {
            throw new IllegalStateException("rendered image differs from the reference");
        }
        return rendered;
    }

    /**
     * Parses {@code WIDTHxHEIGHT}.
     *
     * @param size the size, e.g. {@code 300x200}
     * @return width and height
     * @throws IllegalArgumentException if it is not two positive integers joined by {@code x}
     */
    static int[] parseImageSize(String size) {
        String[] parts = size.split("x", -1);
        try {
            if (parts.length == 2) {
                int width = Integer.parseInt(parts[0]);
                int height = Integer.parseInt(parts[1]);
                if (width > 0 && height > 0) {
                    return new int[] {width, height};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("image size must be WIDTHxHEIGHT with positive integers, e.g. 300x200: '"
                + size + "'");
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Speedup -f 1 -wi 2 -i 5
// speedup = score of serial / score of a variant (target for pmap: at least 1.8 on 2 cores)

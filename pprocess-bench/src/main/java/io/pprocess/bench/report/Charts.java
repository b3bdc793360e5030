package io.pprocess.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the benchmark results as PNG charts.
 *
 * <pre>
 * java -cp benchmarks.jar io.pprocess.bench.report.Charts [--peers PEER_JSON] [--out DIR] JMH_JSON...
 * </pre>
 *
 * <p>Reads JMH JSON result files ({@code -rf json}) and optionally the output of
 * {@code peers/peer_bench.py}, and writes into DIR (default: the current directory) each chart
 * for which the files have data:
 * <ul>
 * <li>{@code performance-roundtrip.png}: round trip time by payload size for the socket and pipe
 *     transports, the raw AF_UNIX baseline and Python's {@code Pipe} (log-log);</li>
 * <li>{@code performance-start.png}: median start to first message (bare JVM, cold, spare;
 *     Python's start methods and bare interpreter), log scale;</li>
 * <li>{@code performance-pmap.png}: {@code pmap} items/s against Python's {@code Pool.map}, log scale;</li>
 * <li>{@code performance-speedup.png}: the ray tracer's speedup over the sequential baseline
 *     (pmap with cold children, with spares, with warm workers, threads of a ForkJoinPool, and
 *     the ideal when the peers file gives the number of cores);</li>
 * <li>{@code performance-indexer.png}: indexer throughput in MB/s by window.</li>
 * </ul>
 * Prints the path of each chart written. Exit status 2 on a usage error or an unreadable file.
 */
public final class Charts {

    /** Payload sizes of the round trip benchmark, in bytes. */
    static final int[] SIZES = {8, 1024, 65536, 1048576};
    private static final int WIDTH = 860;
    private static final int HEIGHT = 500;
    private static final String OURS = "pprocess-java";
    private static final String BASELINE = "baseline";
    private static final String PYTHON = "Python multiprocessing";
    private static final String THREADS = "threads in one JVM";
    private static final String IDEAL = "ideal";
    private static final Map<String, Color> GROUP_COLORS = Map.of(
            OURS, new Color(0x1f77b4),
            BASELINE, new Color(0x7f7f7f),
            PYTHON, new Color(0xff7f0e),
            THREADS, new Color(0x2ca02c),
            IDEAL, new Color(0xc7c7c7));

    private Charts() {
    }

    /**
     * A line of an XY chart.
     *
     * @param name the legend
     * @param x the x values
     * @param y the y values, one per x
     */
    record Line(String name, List<Double> x, List<Double> y) {
    }

    /**
     * A bar of a bar chart.
     *
     * @param label the category under the bar
     * @param value the height
     * @param group which kind of measurement it is (its colour and legend)
     */
    record Bar(String label, double value, String group) {
    }

    /**
     * Writes the charts.
     *
     * @param args {@code [--peers PEER_JSON] [--out DIR] JMH_JSON...}
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Path peersFile = null;
        Path out = Path.of(".");
        List<Path> jmhFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--peers") || a.equals("--out")) && i + 1 < args.length) {
                if (a.equals("--peers")) {
                    peersFile = Path.of(args[++i]);
                } else {
                    out = Path.of(args[++i]);
                }
            } else if (a.startsWith("-")) {
                usage("unknown option or missing value: " + a);
            } else {
                jmhFiles.add(Path.of(a));
            }
        }
        if (jmhFiles.isEmpty()) {
            usage("no JMH JSON result file given");
        }
        try {
            JmhResults jmh = JmhResults.read(jmhFiles);
            PeerResults peers = peersFile == null ? null : PeerResults.read(peersFile);
            Files.createDirectories(out);
            List<Path> written = write(jmh, peers, out);
            if (written.isEmpty()) {
                System.err.println("charts: the files hold no results of the pprocess benchmarks: " + jmhFiles);
                System.exit(2);
            }
            for (Path p : written) {
                System.out.println(p);
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("charts: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage(String problem) {
        System.err.println("charts: " + problem);
        System.err.println("usage: java -cp benchmarks.jar io.pprocess.bench.report.Charts"
                + " [--peers PEER_JSON] [--out DIR] JMH_JSON...");
        System.exit(2);
    }

    /**
     * Writes every chart for which there is data.
     *
     * @param jmh the JMH results
     * @param peers the Python figures, or {@code null}
     * @param dir the directory to write into
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    static List<Path> write(JmhResults jmh, PeerResults peers, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        List<Line> lines = roundTripLines(jmh, peers);
        if (!lines.isEmpty()) {
            written.add(save(lineChart("Round trip of a byte[] (acknowledged send + receive of the echo)",
                    "payload (bytes)", "µs per round trip", lines), dir.resolve("performance-roundtrip.png")));
        }
        List<Bar> bars = startBars(jmh, peers);
        if (!bars.isEmpty()) {
            written.add(save(barChart("Start of a child to its first message (median)", "ms", true, bars),
                    dir.resolve("performance-start.png")));
        }
        bars = pmapBars(jmh, peers);
        if (!bars.isEmpty()) {
            written.add(save(barChart("Map of x -> x + 1 over small items", "items/s", true, bars),
                    dir.resolve("performance-pmap.png")));
        }
        bars = speedupBars(jmh, peers);
        if (!bars.isEmpty()) {
            written.add(save(barChart("Ray tracer: speedup over one thread", "speedup (sequential = 1)", false, bars),
                    dir.resolve("performance-speedup.png")));
        }
        bars = indexerBars(jmh);
        if (!bars.isEmpty()) {
            written.add(save(barChart("Indexer throughput by window (children at once)", "MB/s", false, bars),
                    dir.resolve("performance-indexer.png")));
        }
        return written;
    }

    /**
     * The round trip lines: channel on each transport, the raw socket baseline, and Python's
     * pickled and raw {@code Pipe} round trips when given. Sizes without a result are left out;
     * lines without any point are left out.
     *
     * @param jmh the JMH results
     * @param peers the Python figures, or {@code null}
     * @return the lines, in µs
     */
    static List<Line> roundTripLines(JmhResults jmh, PeerResults peers) {
        Map<String, Map<Double, Double>> points = new LinkedHashMap<>();
        for (int size : SIZES) {
            String s = Integer.toString(size);
            add(points, "channel, socket transport", size,
                    score(jmh.find("RoundTripBenchmark.channel", "transport", "socket", "size", s)));
            add(points, "channel, pipe transport", size,
                    score(jmh.find("RoundTripBenchmark.channel", "transport", "pipe", "size", s)));
            add(points, "raw AF_UNIX socket (no codec, no ack)", size,
                    score(jmh.find("RoundTripBenchmark.rawSocket", "size", s)));
            if (peers != null) {
                add(points, "Python Pipe send/recv (pickled)", size, peers.median("pipe_round_trip_" + s));
                add(points, "Python Pipe send_bytes/recv_bytes", size, peers.median("pipe_raw_round_trip_" + s));
            }
        }
        List<Line> lines = new ArrayList<>();
        points.forEach((name, xy) -> lines.add(new Line(name, List.copyOf(xy.keySet()), List.copyOf(xy.values()))));
        return lines;
    }

    /**
     * The start bars, median ms: bare JVM, cold and spare start; Python's bare interpreter and
     * start methods when given.
     *
     * @param jmh the JMH results
     * @param peers the Python figures, or {@code null}
     * @return the bars present
     */
    static List<Bar> startBars(JmhResults jmh, PeerResults peers) {
        List<Bar> bars = new ArrayList<>();
        addBar(bars, "bare JVM", BASELINE, median(jmh.find("StartBenchmark.bareJvm")));
        addBar(bars, "cold start", OURS, median(jmh.find("StartBenchmark.coldStart")));
        addBar(bars, "spare start", OURS, median(jmh.find("StartBenchmark.spareStart")));
        if (peers != null) {
            addBar(bars, "Python: python3 -c pass", PYTHON, peers.median("bare_interpreter"));
            addBar(bars, "Python: spawn", PYTHON, peers.median("start_to_message_spawn"));
            addBar(bars, "Python: forkserver", PYTHON, peers.median("start_to_message_forkserver"));
            addBar(bars, "Python: fork", PYTHON, peers.median("start_to_message_fork"));
        }
        return bars;
    }

    /**
     * The pmap bars, items/s: ours with warm workers, with workers started in every call and
     * with a process per item (their {@code items} secondary score), Python's pool with chunksize 1 and default chunks when given.
     *
     * @param jmh the JMH results
     * @param peers the Python figures, or {@code null}
     * @return the bars present
     */
    static List<Bar> pmapBars(JmhResults jmh, PeerResults peers) {
        List<Bar> bars = new ArrayList<>();
        addBar(bars, "pmap (warm workers)", OURS, secondary(jmh.find("PmapBenchmark.pmap"), "items"));
        addBar(bars, "pmap (workers started per call)", OURS,
                secondary(jmh.find("PmapBenchmark.pmapColdWorkers"), "items"));
        addBar(bars, "pmap reuse(false)", OURS, secondary(jmh.find("PmapBenchmark.processPerItem"), "items"));
        if (peers != null) {
            addBar(bars, "Python Pool.map, chunksize=1", PYTHON, peers.median("pool_map_chunksize1"));
            addBar(bars, "Python Pool.map, default chunks", PYTHON, peers.median("pool_map_default"));
        }
        return bars;
    }

    /**
     * The speedup bars: sequential time divided by each variant's time (so sequential is 1), and
     * the ideal, the number of cores, when the peers file gives it. Empty without the
     * sequential baseline.
     *
     * @param jmh the JMH results
     * @param peers the Python figures (for the number of cores), or {@code null}
     * @return the bars present
     */
    static List<Bar> speedupBars(JmhResults jmh, PeerResults peers) {
        OptionalDouble serial = score(jmh.find("SpeedupBenchmark.serial"));
        List<Bar> bars = new ArrayList<>();
        if (serial.isEmpty()) {
            return bars;
        }
        bars.add(new Bar("sequential", 1.0, BASELINE));
        addBar(bars, "pmap, cold", OURS, ratio(serial, score(jmh.find("SpeedupBenchmark.parallel"))));
        addBar(bars, "pmap, spares", OURS, ratio(serial, score(jmh.find("SpeedupBenchmark.parallelSpares"))));
        addBar(bars, "pmap, warm workers", OURS, ratio(serial, score(jmh.find("SpeedupBenchmark.parallelWarm"))));
        addBar(bars, "ForkJoinPool", THREADS, ratio(serial, score(jmh.find("SpeedupBenchmark.forkJoin"))));
        if (peers != null && peers.cores() > 0) {
            bars.add(new Bar("ideal (" + peers.cores() + " cores)", peers.cores(), IDEAL));
        }
        return bars;
    }

    /**
     * The indexer bars: MB/s (the {@code megabytes} secondary score) by window, in window order;
     * with the {@code workers} parameter, fresh children first, then kept workers. Window 1 of
     * each is the baseline.
     *
     * @param jmh the JMH results
     * @return the bars present
     */
    static List<Bar> indexerBars(JmhResults jmh) {
        List<JmhResult> rows = new ArrayList<>();
        for (JmhResult r : jmh.rows()) {
            if (r.className().equals("IndexerBenchmark") && r.method().equals("index")
                    && r.secondary("megabytes").isPresent() && r.params().containsKey("window")) {
                rows.add(r);
            }
        }
        rows.sort(java.util.Comparator.comparing((JmhResult r) -> r.params().getOrDefault("workers", "fresh").equals("kept"))
                .thenComparingInt(r -> Integer.parseInt(r.params().get("window"))));
        List<Bar> bars = new ArrayList<>();
        for (JmhResult r : rows) {
            String window = r.params().get("window");
            String workers = r.params().get("workers");
            String label = "window " + window + (workers == null ? "" : workers.equals("kept") ? ", kept workers"
                    : ", new children");
            bars.add(new Bar(label, r.secondary("megabytes").getAsDouble(), window.equals("1") ? BASELINE : OURS));
        }
        return bars;
    }

    private static XYChart lineChart(String title, String xTitle, String yTitle, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        for (Line line : lines) {
            chart.addSeries(line.name(), line.x(), line.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static CategoryChart barChart(String title, String yTitle, boolean logarithmic, List<Bar> bars) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setOverlapped(true).setLabelsVisible(true).setLabelsPosition(0.92);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisLogarithmic(logarithmic).setYAxisDecimalPattern(pattern(bars));
        if (logarithmic) {
            // Bars start at the axis minimum, which XChart puts at 0 unless told: a decade below the lowest bar.
            double lowest = Double.POSITIVE_INFINITY;
            for (Bar b : bars) {
                lowest = Math.min(lowest, b.value());
            }
            double decade = Math.pow(10, Math.floor(Math.log10(lowest)));
            chart.getStyler().setYAxisMin(decade < lowest ? decade : decade / 10);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal).setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE);
        List<String> labels = new ArrayList<>();
        for (Bar b : bars) {
            labels.add(b.label());
        }
        Map<String, List<Double>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < bars.size(); i++) {
            List<Double> values = byGroup.computeIfAbsent(bars.get(i).group(), g -> {
                List<Double> empty = new ArrayList<>();
                for (int k = 0; k < bars.size(); k++) {
                    empty.add(null);
                }
                return empty;
            });
            values.set(i, threeDigits(bars.get(i).value()));
        }
        byGroup.forEach((group, values) -> chart.addSeries(group, labels, values)
                .setFillColor(GROUP_COLORS.getOrDefault(group, Color.DARK_GRAY)));
        return chart;
    }

    /** @return a decimal pattern that shows values rounded by {@link #threeDigits} in full, without trailing zeros */
    private static String pattern(List<Bar> bars) {
        double min = Double.POSITIVE_INFINITY;
        for (Bar b : bars) {
            min = Math.min(min, Math.abs(b.value()));
        }
        if (min >= 100) {
            return "#,##0";
        }
        if (min >= 10) {
            return "#,##0.#";
        }
        if (min >= 1) {
            return "#,##0.##";
        }
        return "#,##0.###";
    }

    /** @return {@code v} rounded to three significant digits, so that bar labels stay short */
    static double threeDigits(double v) {
        return new BigDecimal(v).round(new MathContext(3)).doubleValue();
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }

    private static void add(Map<String, Map<Double, Double>> points, String line, int x, OptionalDouble y) {
        if (y.isPresent() && Double.isFinite(y.getAsDouble()) && y.getAsDouble() > 0) {
            points.computeIfAbsent(line, k -> new LinkedHashMap<>()).put((double) x, y.getAsDouble());
        }
    }

    private static void addBar(List<Bar> bars, String label, String group, OptionalDouble value) {
        if (value.isPresent() && Double.isFinite(value.getAsDouble()) && value.getAsDouble() > 0) {
            bars.add(new Bar(label, value.getAsDouble(), group));
        }
    }

    private static OptionalDouble score(Optional<JmhResult> r) {
        return r.isPresent() ? OptionalDouble.of(r.get().score()) : OptionalDouble.empty();
    }

    private static OptionalDouble median(Optional<JmhResult> r) {
        return r.isPresent() ? OptionalDouble.of(r.get().median()) : OptionalDouble.empty();
    }

    private static OptionalDouble secondary(Optional<JmhResult> r, String name) {
        return r.isPresent() ? r.get().secondary(name) : OptionalDouble.empty();
    }

    private static OptionalDouble ratio(OptionalDouble numerator, OptionalDouble denominator) {
        if (numerator.isEmpty() || denominator.isEmpty() || denominator.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble());
    }
}

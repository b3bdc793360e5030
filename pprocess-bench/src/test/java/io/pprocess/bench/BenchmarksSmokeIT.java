package io.pprocess.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.bench.report.JmhResult;
import io.pprocess.bench.report.JmhResults;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every benchmark of {@code target/benchmarks.jar} once, in smoke mode, as a separate
 * process: one fork, no warm-up, one short iteration, with parameters that shrink the big cases.
 * Each benchmark checks its own results and throws if they are wrong; with {@code -foe true}
 * JMH then exits with a failure. This test checks that it exits with 0 and that every benchmark
 * method has a finite score in the JSON result. It checks correctness, not timing. It takes
 * about 30 s on a 2-core machine (also under load); the timeout keeps it within 2.5 minutes.
 */
class BenchmarksSmokeIT {

    /** Every benchmark class; a class missing here fails the test, so that none is left out of the smoke run. */
    static final List<String> BENCHMARK_CLASSES = List.of("RoundTripBenchmark", "StreamBenchmark", "StartBenchmark",
            "PmapBenchmark", "SpeedupBenchmark", "IndexerBenchmark", "LargeMessageBenchmark", "ExecutorBenchmark");

    /** Smoke mode, and parameters that make the big cases small. */
    static final List<String> SMOKE_OPTIONS = List.of(
            "-f", "1", "-wi", "0", "-i", "1", "-r", "500ms",
            "-p", "size=8",                 // RoundTrip: only the smallest payload
            "-p", "megabytes=1",            // LargeMessage: one small message
            "-p", "items=2000",             // Pmap: reused workers
            "-p", "perItem=4",              // Pmap: one JVM per item
            "-p", "image=48x32",            // Speedup: a small image
            "-p", "corpusMegabytes=2",      // Indexer: a small corpus
            "-foe", "true");

    private static final Path JAR = Path.of("target", "benchmarks.jar");
    private static final long RUN_SECONDS = 125;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyBenchmarkRunsAndChecksItsResults() throws Exception {
        boolean lockBefore = Files.exists(Path.of("/tmp/jmh.lock"));
        assertThat(JAR).as("the shaded jar, built in package").isRegularFile();
        Path json = Path.of("target", "smoke.json").toAbsolutePath();
        Path log = Path.of("target", "smoke.log").toAbsolutePath();
        Files.deleteIfExists(json);

        Set<String> listed = listBenchmarks();
        Set<String> classes = listed.stream().map(BenchmarksSmokeIT::simpleClassName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(classes).as("benchmark classes in the jar vs. BENCHMARK_CLASSES")
                .containsExactlyInAnyOrderElementsOf(BENCHMARK_CLASSES);

        List<String> command = java();
        command.add(String.join("|", BENCHMARK_CLASSES.stream().map(c -> "\\." + c + "\\.").toList()));
        command.addAll(SMOKE_OPTIONS);
        command.addAll(List.of("-rf", "json", "-rff", json.toString()));
        int status = run(command, log, RUN_SECONDS);
        assertThat(status).as("JMH exit status; log:%n%s", tail(log)).isZero();

        JmhResults results = JmhResults.read(List.of(json));
        Set<String> measured = new TreeSet<>();
        for (JmhResult r : results.rows()) {
            measured.add(r.benchmark());
            assertThat(r.score()).as("score of %s %s", r.benchmark(), r.params()).isFinite();
            r.secondary().forEach((name, value) ->
                    assertThat(value).as("%s of %s %s", name, r.benchmark(), r.params()).isFinite());
        }
        assertThat(measured).as("benchmarks with a result").isEqualTo(listed);
        assertThat(TEMP.resolve("jmh.lock")).as("JMH's lock in the private temporary directory").exists();
        if (!lockBefore) {
            assertThat(Path.of("/tmp/jmh.lock")).as("JMH's lock file left in /tmp").doesNotExist();
        }
    }

    /** @return the full names of the benchmarks in the jar, from {@code java -jar benchmarks.jar -l} */
    private static Set<String> listBenchmarks() throws IOException, InterruptedException {
        Path out = Path.of("target", "smoke-list.log").toAbsolutePath();
        List<String> command = java();
        command.add("-l");
        int status = run(command, out, 60);
        assertThat(status).as("java -jar benchmarks.jar -l; output:%n%s", tail(out)).isZero();
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("io.pprocess.bench.")) {
                names.add(line.strip());
            }
        }
        assertThat(names).as("benchmarks listed; output:%n%s", tail(out)).isNotEmpty();
        return names;
    }

    /**
     * The benchmark JVMs' temporary directory, inside target: JMH keeps its lock file
     * ({@code jmh.lock}) there and its forks inherit the option, so nothing is left in /tmp.
     */
    private static final Path TEMP = Path.of("target", "smoke-tmp").toAbsolutePath();

    private static List<String> java() throws IOException {
        Files.createDirectories(TEMP);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + TEMP);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        return command;
    }

    /** Runs a command with its output in {@code log}; kills it and its descendants after {@code seconds}. */
    private static int run(List<String> command, Path log, long seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds
                        + " s; log:\n" + tail(log));
            }
            return p.exitValue();
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static String simpleClassName(String benchmark) {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of an example program through {@code bin/pprocess-example}, in its own JVM, with its
 * output captured, without the launcher's class-data-sharing archive for that JVM unless the
 * environment given sets {@code PPROCESS_EXAMPLE_CDS}. A run that outlives its time limit is
 * killed and fails the test.
 */
final class ExampleRun {

    static final Path SCRIPT = Path.of("..", "bin", "pprocess-example").toAbsolutePath().normalize();
    private static final Pattern TIME_TAKEN = Pattern.compile("^Time taken: ([0-9.]+) s$", Pattern.MULTILINE);
    private static final Pattern GRID_ROW = Pattern.compile("^-?\\d+( -?\\d+)*$");

    final int exitStatus;
    final String out;
    final String err;

    private ExampleRun(int exitStatus, String out, String err) {
        this.exitStatus = exitStatus;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs an example and waits for it.
     *
     * @param timeoutSeconds how long it may take
     * @param args the example's name and options (none: the listing)
     * @return the finished run
     */
    static ExampleRun run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(Map.of(), timeoutSeconds, args);
    }

    /**
     * Runs an example with more environment variables and waits for it.
     *
     * @param environment added to this JVM's environment, e.g. {@code JAVA_OPTS}
     * @param timeoutSeconds how long it may take
     * @param args the example's name and options (none: the listing)
     * @return the finished run
     */
    static ExampleRun run(Map<String, String> environment, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return run(null, environment, timeoutSeconds, args);
    }

    /**
     * Runs an example in a given working directory, which its background processes inherit
     * and which must outlive them, and waits for it.
     *
     * @param workingDirectory the working directory, or {@code null} for a temporary one
     *     removed after the run
     * @param environment added to this JVM's environment, e.g. {@code JAVA_OPTS}
     * @param timeoutSeconds how long it may take
     * @param args the example's name and options (none: the listing)
     * @return the finished run
     */
    static ExampleRun run(Path workingDirectory, Map<String, String> environment, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("example-run-");
        Path outFile = dir.resolve("out");
        Path errFile = dir.resolve("err");
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The launcher's archive for the example's JVM is left out unless a test asks for it:
        // the runs of the suite would each record one in the user's cache.
        builder.environment().put("PPROCESS_EXAMPLE_CDS", "off");
        builder.environment().putAll(environment);
        Process process = builder
                .directory((workingDirectory == null ? dir : workingDirectory).toFile())
                .redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s; output so far:\n" + Files.readString(outFile) + Files.readString(errFile));
            }
            return new ExampleRun(process.exitValue(),
                    Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
            try (var rest = Files.list(dir)) {
                for (Path p : rest.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Asserts a successful exit, showing the output if not. */
    ExampleRun succeeded() {
        assertThat(exitStatus).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        return this;
    }

    /** @return the lines of standard output */
    List<String> lines() {
        return out.lines().toList();
    }

    /** @return the printed grid: every line made only of integers separated by spaces */
    List<List<Integer>> grid() {
        List<List<Integer>> rows = new ArrayList<>();
        for (String line : lines()) {
            if (GRID_ROW.matcher(line).matches()) {
                rows.add(java.util.Arrays.stream(line.split(" ")).map(Integer::valueOf).toList());
            }
        }
        return rows;
    }

    /** @return the seconds of the "Time taken" line */
    double timeTaken() {
        Matcher m = TIME_TAKEN.matcher(out);
        assertThat(m.find()).as("a 'Time taken' line in:%n%s", out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** @return the grid {@code i * n + j} the examples must print */
    static List<List<Integer>> expectedGrid(int n) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Integer> row = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                row.add(i * n + j);
            }
            rows.add(row);
        }
        return rows;
    }
}

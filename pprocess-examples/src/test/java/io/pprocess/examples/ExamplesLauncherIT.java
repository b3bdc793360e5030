package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and bin/pprocess-example: listing, unknown names, usage errors, help. */
class ExamplesLauncherIT {

    static final List<String> NAMES = List.of(
            "simple_create_map", "simple_create_queue", "simple_create", "simple_managed_map",
            "simple_managed_queue", "simple_managed", "simple_pmap", "simple_pmap_iter", "simple_start_queue",
            "simple_start", "simple_managed_map_reusable", "simple_continuous_queue", "simple_persistent_managed",
            "simple_persistent_queue", "simple_background_queue", "simple_mutable",
            "simple_mutable_queue", "simple", "simple1", "simple2", "simple_map", "create_loop", "start_loop",
            "bottles", "bottles_heartbeat", "raytrace", "raytrace_pmap", "raytrace_queue", "raytrace_reusable",
            "raytrace_cluster");

    @Test
    @Timeout(30)
    void listListsEveryExampleWithADescription() throws Exception {
        ExampleRun run = ExampleRun.run(20, "--list").succeeded();

        List<String> entries = run.lines().stream().filter(l -> l.startsWith("  ")).toList();
        assertThat(entries).hasSameSizeAs(NAMES);
        for (int k = 0; k < NAMES.size(); k++) {
            assertThat(entries.get(k)).as("entry %d", k).matches("  " + NAMES.get(k) + " +\\S.*");
        }
        assertThat(run.out).startsWith("Usage: pprocess-example NAME [options]");
        assertThat(run.err).isEmpty();
    }

    @Test
    @Timeout(30)
    void withoutANameIsAUsageErrorThatListsTheExamples() throws Exception {
        ExampleRun run = ExampleRun.run(20);

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("pprocess-example: no example named; give one of these:\n"
                + "Usage: pprocess-example NAME [options]").contains("  simple_pmap  ");
    }

    @Test
    @Timeout(30)
    void anUnknownNameIsAUsageError() throws Exception {
        ExampleRun run = ExampleRun.run(20, "simple_nonesuch");

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).isEqualTo("pprocess-example: unknown example 'simple_nonesuch';"
                + " 'pprocess-example --list' lists the examples\n");
        assertThat(run.out).isEmpty();
    }

    @Test
    @Timeout(30)
    void aBadOptionValueIsAUsageErrorNamingTheOption() throws Exception {
        ExampleRun run = ExampleRun.run(20, "simple_pmap", "--limit", "0");

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).startsWith("simple_pmap: --limit must be at least 1: 0\n").contains("Usage: simple_pmap");
    }

    @Test
    @Timeout(30)
    void anUnknownOptionIsAUsageError() throws Exception {
        ExampleRun run = ExampleRun.run(20, "simple", "--size", "3");

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).startsWith("simple: Unknown options: '--size', '3'");
    }

    @Test
    @Timeout(30)
    void helpShowsTheOptionsAndTheirDefaults() throws Exception {
        ExampleRun run = ExampleRun.run(20, "simple_create", "--help").succeeded();

        assertThat(run.out).contains("Usage: simple_create", "--n=N", "(default: 10)", "--delay=SECONDS",
                "(default: 1.0)", "--limit=N");
    }

    /**
     * A checkout built by one user runs for another: the launcher uses the copies of the
     * libraries in target/lib. Runs as root, as user nobody, when nobody can reach the checkout.
     */
    @Test
    @Timeout(60)
    void theLauncherRunsForAnotherUserThanTheBuilder() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run as another user");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(
                java.nio.file.Path.of("/usr/sbin/runuser")), "needs runuser");
        String script = ExampleRun.SCRIPT.toAbsolutePath().normalize().toString();
        Process reach = new ProcessBuilder("runuser", "-u", "nobody", "--", "test", "-r", script)
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(reach.waitFor() == 0, "user nobody cannot read the checkout");
        // No performance data file: it would be left in /tmp as hsperfdata_nobody.
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "env", "JAVA_OPTS=-XX:-UsePerfData",
                "bash", script, "--list").directory(new java.io.File("/")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s", out).isZero();
        assertThat(out).startsWith("Usage: pprocess-example NAME [options]").contains("  simple_pmap  ");
    }

    /**
     * The example's own JVM gets a class-data-sharing archive: the first run of an example
     * records one when it ends well, the next run maps its classes from it; a usage error, a
     * help run and PPROCESS_EXAMPLE_CDS=off record none.
     */
    @Test
    @Timeout(120)
    void theFirstRunOfAnExampleRecordsAnArchiveForTheParentThatTheNextRunMaps(@TempDir Path temp) throws Exception {
        Path log = temp.resolve("classes.log");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString(),
                "JAVA_OPTS", "-Xlog:class+load=info:file=" + log, "PPROCESS_EXAMPLE_CDS", "on");
        Path archives = temp.resolve("cache").resolve("pprocess").resolve("parent-cds");

        assertThat(ExampleRun.run(env, 60, "simple_map", "--n", "0").exitStatus).isEqualTo(2);
        assertThat(ExampleRun.run(env, 60, "simple_map", "--help").succeeded().out).contains("Usage: simple_map");
        assertThat(ExampleRun.run(Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString(),
                "PPROCESS_EXAMPLE_CDS", "off"), 60, "simple_map", "--n", "2", "--delay", "0").succeeded().grid())
                .isEqualTo(ExampleRun.expectedGrid(2));
        assertThat(files(archives)).as("no archive from a usage error, a help run or with the archive off").isEmpty();

        ExampleRun first = ExampleRun.run(env, 60, "simple_map", "--n", "2", "--delay", "0").succeeded();
        assertThat(first.grid()).isEqualTo(ExampleRun.expectedGrid(2));
        assertThat(first.err).isEmpty();
        assertThat(Files.readString(log)).doesNotContain("source: shared objects file (top)");
        List<String> recorded = files(archives);
        assertThat(recorded).singleElement().asString().matches("simple_map-[0-9a-f]{32}\\.jsa");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archives))).isEqualTo("rwx------");

        ExampleRun second = ExampleRun.run(env, 60, "simple_map", "--n", "2", "--delay", "0").succeeded();
        assertThat(second.grid()).isEqualTo(ExampleRun.expectedGrid(2));
        assertThat(second.err).isEmpty();
        assertThat(Files.readString(log)).as("the second run's class loading")
                .contains("io.pprocess.examples.SimpleMap source: shared objects file (top)");
        assertThat(files(archives)).isEqualTo(recorded);
    }

    /**
     * Ctrl-C (SIGINT to the run's process group, as a terminal sends it) stops the run that
     * records the archive at once, with the status of a run stopped by SIGINT, and records
     * nothing. The run is started with SIGINT and SIGQUIT at their defaults, as a shell starts
     * a command in the foreground.
     */
    @Test
    @Timeout(90)
    void ctrlCStopsTheRunThatRecordsTheArchive(@TempDir Path temp) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT,QUIT", "setsid", "bash",
                ExampleRun.SCRIPT.toString(), "raytrace", "--width", "1800", "--height", "1200",
                "--output", temp.resolve("image.ppm").toString());
        builder.environment().putAll(Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString(),
                "PPROCESS_EXAMPLE_CDS", "on"));
        Process run = builder.directory(temp.toFile()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            ProcessHandle jvm = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jvm == null && run.isAlive() && System.nanoTime() < deadline) {
                jvm = run.descendants().filter(h -> h.info().command().orElse("").endsWith("/java"))
                        .findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertThat(jvm).as("the example's JVM; output: %s", Files.readString(temp.resolve("out"))).isNotNull();
            // Past the JVM's start, when it has set up its handling of SIGINT.
            Thread.sleep(1_500);
            assertThat(new ProcessBuilder("kill", "-INT", "--", "-" + run.pid()).start().waitFor()).isZero();

            assertThat(run.waitFor(20, TimeUnit.SECONDS)).as("the run ends after Ctrl-C").isTrue();
            assertThat(run.exitValue()).as("output: %s", Files.readString(temp.resolve("out"))).isEqualTo(130);
            assertThat(jvm.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(files(temp.resolve("cache").resolve("pprocess").resolve("parent-cds")))
                    .as("nothing recorded by a stopped run").isEmpty();
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly().waitFor();
        }
    }

    private static List<String> files(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

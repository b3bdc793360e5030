package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    void withoutANameListsEveryExampleWithADescription() throws Exception {
        ExampleRun run = ExampleRun.run(20).succeeded();

        List<String> entries = run.lines().stream().filter(l -> l.startsWith("  ")).toList();
        assertThat(entries).hasSameSizeAs(NAMES);
        for (int k = 0; k < NAMES.size(); k++) {
            assertThat(entries.get(k)).as("entry %d", k).matches("  " + NAMES.get(k) + " +\\S.*");
        }
        assertThat(run.out).startsWith("Usage: pprocess-example NAME [options]");
    }

    @Test
    @Timeout(30)
    void anUnknownNameIsAUsageError() throws Exception {
        ExampleRun run = ExampleRun.run(20, "simple_nonesuch");

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).isEqualTo("pprocess-example: unknown example 'simple_nonesuch';"
                + " run without arguments to list the examples\n");
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
}

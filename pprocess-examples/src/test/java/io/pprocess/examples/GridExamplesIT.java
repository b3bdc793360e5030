package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs every grid example and checks the grid it prints and the time it reports. */
class GridExamplesIT {

    /**
     * With 9 cells of 1 s each and 5 processes, a parallel program needs 2 rounds (about 2 s
     * plus JVM starts, a continuous child per row about 3 s) where any sequential program needs
     * at least 9 s.
     */
    private static final int N = 3;
    private static final double DELAY = 1.0;
    private static final int LIMIT = 5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple", "simple1", "simple2", "simple_map", "simple_mutable"})
    @Timeout(60)
    void sequentialBaselinesPrintTheGridAndTakeEveryDelayInTurn(String name) throws Exception {
        double delay = 0.05;
        ExampleRun run = ExampleRun.run(50, name, "--n", "4", "--delay", Double.toString(delay)).succeeded();

        assertThat(run.grid()).isEqualTo(ExampleRun.expectedGrid(4));
        assertThat(run.timeTaken()).as("16 cells one after another").isGreaterThanOrEqualTo(16 * delay);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "simple_create_map", "simple_create_queue", "simple_create", "simple_managed_map",
        "simple_managed_queue", "simple_managed", "simple_pmap", "simple_pmap_iter",
        "simple_start_queue", "simple_start", "simple_managed_map_reusable", "simple_continuous_queue"})
    @Timeout(60)
    void parallelExamplesPrintTheGridFasterThanAnySequentialRun(String name) throws Exception {
        ExampleRun run = ExampleRun.run(50, name, "--n", Integer.toString(N), "--delay", Double.toString(DELAY),
                "--limit", Integer.toString(LIMIT)).succeeded();

        assertThat(run.grid()).isEqualTo(ExampleRun.expectedGrid(N));
        assertThat(run.timeTaken())
                .as("parallel time vs the %s s a sequential run needs", N * N * DELAY)
                .isLessThan(N * N * DELAY)
                .isGreaterThanOrEqualTo(DELAY);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "simple_create_map", "simple_create_queue", "simple_create", "simple_managed_map",
        "simple_managed_queue", "simple_managed", "simple_pmap", "simple_pmap_iter",
        "simple_start_queue", "simple_start", "simple_managed_map_reusable", "simple_continuous_queue"})
    @Timeout(60)
    void parallelExamplesQueueWorkBeyondTheLimit(String name) throws Exception {
        ExampleRun run = ExampleRun.run(50, name, "--n", "3", "--delay", "0.02", "--limit", "2").succeeded();

        assertThat(run.grid()).isEqualTo(ExampleRun.expectedGrid(3));
    }

    @Test
    @Timeout(60)
    void theSequentialMutableExampleSeesItsListFilledIn() throws Exception {
        ExampleRun run = ExampleRun.run(50, "simple_mutable", "--n", "3", "--delay", "0").succeeded();

        assertThat(run.out).contains("The list after the computation:");
        assertThat(run.grid()).isEqualTo(ExampleRun.expectedGrid(3));
    }

    @Test
    @Timeout(60)
    void theParallelMutableExampleShowsTheParentsListUnchanged() throws Exception {
        ExampleRun run = ExampleRun.run(50, "simple_mutable_queue", "--n", "3", "--delay", "0.05", "--limit", "3")
                .succeeded();

        assertThat(run.out).contains("9 children changed their copies; the parent's list after the computation:");
        List<Integer> zeros = Collections.nCopies(3, 0);
        assertThat(run.grid()).containsExactly(zeros, zeros, zeros);
    }
}

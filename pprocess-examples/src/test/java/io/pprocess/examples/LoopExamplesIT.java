package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop tests: the child prints 0 .. limit - 1 in order, then the parent prints its "Done". */
class LoopExamplesIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"create_loop", "start_loop"})
    @Timeout(60)
    void theChildPrintsEveryValueBelowTheLimitThenAnswersDone(String name) throws Exception {
        ExampleRun run = ExampleRun.run(50, name).succeeded();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(Integer.toString(i));
        }
        expected.add("Done");
        assertThat(run.lines()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"create_loop", "start_loop"})
    @Timeout(60)
    void withALimitOfZeroTheChildOnlyAnswers(String name) throws Exception {
        ExampleRun run = ExampleRun.run(50, name, "--limit", "0").succeeded();

        assertThat(run.lines()).containsExactly("Done");
    }
}

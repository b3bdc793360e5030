package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 99 bottles programs. With 5 bottles over 2 files, verses go to files 1, 2, 1, 2, 1, 2
 * (two lines each), so the lines that match are known.
 */
class BottlesIT {

    private static final List<String> DEFAULT_MATCHES = List.of(
            "[\\b1 bottle\\b] bottles-2.txt:4: Take one down and pass it around, 1 bottle of beer on the wall.",
            "[\\b1 bottle\\b] bottles-1.txt:5: 1 bottle of beer on the wall, 1 bottle of beer.",
            "[no more] bottles-1.txt:6: Take one down and pass it around, no more bottles of beer on the wall.",
            "[no more] bottles-2.txt:5: No more bottles of beer on the wall, no more bottles of beer.");

    private static List<String> matches(ExampleRun run) {
        return run.lines().stream().filter(l -> l.startsWith("[")).toList();
    }

    @Test
    @Timeout(60)
    void printsTheLinesThatMatchTheDefaultPatterns() throws Exception {
        ExampleRun run = ExampleRun.run(50, "bottles", "--bottles", "5", "--files", "2", "--delay", "0.01")
                .succeeded();

        assertThat(matches(run)).containsExactlyInAnyOrderElementsOf(DEFAULT_MATCHES);
        assertThat(run.out).doesNotContain("heartbeat");
        run.timeTaken();
    }

    @Test
    @Timeout(60)
    void grepsForTheGivenPatterns() throws Exception {
        ExampleRun run = ExampleRun.run(50, "bottles", "--bottles", "5", "--files", "3", "--delay", "0",
                "--pattern", "Go to the store", "--pattern", "^4 bottles").succeeded();

        // verses go to files 1, 2, 3, 1, 2, 3: the one of 4 bottles to file 2, the last one to file 3
        assertThat(matches(run)).containsExactlyInAnyOrder(
                "[Go to the store] bottles-3.txt:4: Go to the store and buy some more, 5 bottles of beer on the wall.",
                "[^4 bottles] bottles-2.txt:1: 4 bottles of beer on the wall, 4 bottles of beer.");
    }

    @Test
    @Timeout(60)
    void theHeartbeatVariantAlsoPrintsNumberedHeartbeats() throws Exception {
        ExampleRun run = ExampleRun.run(50, "bottles_heartbeat", "--bottles", "5", "--files", "2",
                "--delay", "0.15", "--heartbeat", "0.2").succeeded();

        assertThat(matches(run)).containsExactlyInAnyOrderElementsOf(DEFAULT_MATCHES);
        List<String> beats = run.lines().stream().filter(l -> l.startsWith("heartbeat ")).toList();
        assertThat(beats).as("12 lines 0.15 s apart give the 0.2 s heartbeat time to beat").hasSizeGreaterThanOrEqualTo(3);
        for (int k = 0; k < beats.size(); k++) {
            assertThat(beats.get(k)).isEqualTo("heartbeat " + (k + 1));
        }
    }

    @Test
    @Timeout(30)
    void refusesAnInvalidPattern() throws Exception {
        ExampleRun run = ExampleRun.run(20, "bottles", "--pattern", "(");

        assertThat(run.exitStatus).isEqualTo(2);
        assertThat(run.err).contains("bottles: --pattern is not a valid regular expression: (");
    }
}

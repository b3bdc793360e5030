package io.pprocess.examples.raytrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalPrintsOneLinePerTenth() {
        Progress progress = new Progress(out, "Rendering", 37, false);
        for (int i = 0; i < 37; i++) {
            progress.step();
        }
        assertThat(output().lines()).containsExactly(
                "Rendering: 0%", "Rendering: 10%", "Rendering: 20%", "Rendering: 30%", "Rendering: 40%",
                "Rendering: 50%", "Rendering: 60%", "Rendering: 70%", "Rendering: 80%", "Rendering: 90%",
                "Rendering: 100%");
    }

    @Test
    void onATerminalRewritesOneLineAndEndsIt() {
        Progress progress = new Progress(out, "Rows", 4, true);
        for (int i = 0; i < 4; i++) {
            progress.step();
        }
        assertThat(output()).isEqualTo("\rRows: 0%\rRows: 25%\rRows: 50%\rRows: 75%\rRows: 100%" + System.lineSeparator());
    }

    @Test
    void refusesAStepBeyondTheTotal() {
        Progress progress = new Progress(out, "Rows", 1, false);
        progress.step();
        assertThatThrownBy(progress::step).isInstanceOf(IllegalStateException.class)
                .hasMessage("all 1 steps of Rows are already done");
        assertThat(progress.done()).isEqualTo(1);
    }

    @Test
    void refusesAnEmptyJob() {
        assertThatThrownBy(() -> new Progress(out, "Rows", 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("total must be positive: 0");
    }
}

package io.pprocess.examples.raytrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.ConsoleProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RowProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void drawsTheBarFromNoneToEveryRowAndEndsItsLine() {
        RowProgress progress = new RowProgress(ConsoleProgress.to("rows", out), 4);
        assertThat(output()).startsWith("\rrows [").contains("0/4").doesNotContain(System.lineSeparator());
        for (int i = 0; i < 4; i++) {
            progress.step();
        }
        String[] draws = output().split("\r");
        assertThat(draws).hasSize(6);
        assertThat(draws[3]).contains("2/4", "50%");
        assertThat(draws[5]).startsWith("rows [").contains("4/4", "100%").endsWith(System.lineSeparator());
    }

    @Test
    void refusesARowBeyondTheLast() {
        RowProgress progress = new RowProgress(p -> { }, 1);
        progress.step();
        assertThatThrownBy(progress::step).isInstanceOf(IllegalStateException.class)
                .hasMessage("all 1 rows are already counted");
    }
}

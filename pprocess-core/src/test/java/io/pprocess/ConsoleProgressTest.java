package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console progress bar: what it draws, and that it draws nothing without a terminal. */
class ConsoleProgressTest {

    @Test
    void drawsABarWithCountsRateAndTimeLeftThenEndsItsLineWhenFinished() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress bar = ConsoleProgress.to("items", out);
        bar.onProgress(new Progress(48, 2, 10, 200, Duration.ofSeconds(10), false));
        bar.onProgress(new Progress(197, 3, 0, 200, Duration.ofSeconds(40), true));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\r", -1);
        assertThat(lines[0]).isEmpty();
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).isEqualTo("items [" + "#".repeat(7) + ".".repeat(23) + "] 50/200  25%  2 failed  5/s  0:30 left");
        String last = "items [" + "#".repeat(30) + "] 200/200 100%  3 failed  5/s  0:40";
        assertThat(lines[2]).as("the shorter line blanks what is left of the longer one, then ends the line")
                .isEqualTo(last + " ".repeat(lines[1].length() - last.length()) + System.lineSeparator());
    }

    @Test
    void aLazyInputOfUnknownSizeIsCountedWithoutABar() {
        assertThat(ConsoleProgress.render("", new Progress(3600, 0, 5, -1, Duration.ofSeconds(3600), false)))
                .isEqualTo("3600 items  1/s");
        assertThat(ConsoleProgress.render("words", new Progress(10, 0, 0, 10, Duration.ofSeconds(3700), true)))
                .endsWith("  1:01:40");
    }

    @Test
    void withoutATerminalTheDefaultBarDrawsNothing() {
        assumeTrue(System.console() == null, "this JVM has a terminal");
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            ConsoleProgress bar = ConsoleProgress.create("items");
            bar.onProgress(new Progress(1, 0, 1, 2, Duration.ofSeconds(1), false));
            bar.onProgress(new Progress(2, 0, 0, 2, Duration.ofSeconds(2), true));
        } finally {
            System.setErr(before);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void aBarNeedsSomewhereToDraw() {
        assertThatThrownBy(() -> ConsoleProgress.to("items", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("out == null");
    }

    @Test
    void countsBytesAsSizesAndShowsANoteAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress bar = ConsoleProgress.to("reading", new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .inBytes();
        bar.note("3/10 files");
        bar.onProgress(new Progress(2_500_000, 0, 0, 10_000_000, Duration.ofSeconds(2), false));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\rreading [" + "#".repeat(7) + ".".repeat(23)
                + "] 2.5 MB/10.0 MB  25%  1.3 MB/s  0:06 left  3/10 files");
        assertThat(ConsoleProgress.size(999)).isEqualTo("999 B");
        assertThat(ConsoleProgress.size(1_000)).isEqualTo("1.0 kB");
        assertThat(ConsoleProgress.size(999_960)).isEqualTo("1.0 MB");
        assertThat(ConsoleProgress.size(59_136_871)).isEqualTo("59.1 MB");
    }

    @Test
    void aBarGivenColumnsNarrowsThenDropsItsBarThenCutsTheLine() {
        ConsoleProgress bar = ConsoleProgress.to("items", new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        Progress p = new Progress(50, 0, 0, 200, Duration.ofSeconds(10), false);
        String wide = bar.line(p);
        assertThat(wide).isEqualTo(ConsoleProgress.render("items", p)).contains("[" + "#".repeat(7));
        assertThat(bar.columns(wide.length() + 1).line(p)).isEqualTo(wide);
        String narrower = bar.columns(wide.length() - 10).line(p);
        assertThat(narrower).hasSize(wide.length() - 11).contains("[" + "#".repeat(4) + ".".repeat(15) + "]");
        assertThat(bar.columns(40).line(p)).isEqualTo("items 50/200  25%  5/s  0:30 left");
        assertThat(bar.columns(12).line(p)).isEqualTo("items 50/20");
        assertThatThrownBy(() -> bar.columns(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

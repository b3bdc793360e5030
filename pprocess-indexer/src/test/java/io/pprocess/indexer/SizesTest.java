package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.ConsoleProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one way sizes and rates are written, in the progress bar and in the summary. */
class SizesTest {
    @Test
    void writesSizesInDecimalUnitsWithOneDecimal() {
        assertThat(Sizes.bytes(0)).isEqualTo("0 B");
        assertThat(Sizes.bytes(999)).isEqualTo("999 B");
        assertThat(Sizes.bytes(1000)).isEqualTo("1.0 kB");
        assertThat(Sizes.bytes(237_300)).isEqualTo("237.3 kB");
        assertThat(Sizes.bytes(999_960)).isEqualTo("1.0 MB");
        assertThat(Sizes.bytes(59_136_871)).isEqualTo("59.1 MB");
        assertThat(Sizes.bytes(3.2e12)).isEqualTo("3.2 TB");
    }

    @Test
    void writesRatesFromBytesAndTimeAndZeroBeforeAnyTimeHasPassed() {
        assertThat(Sizes.rate(59_136_871, 2_000_000_000L)).isEqualTo("29.6 MB/s");
        assertThat(Sizes.rate(500, 0)).isEqualTo("0 B/s");
        assertThat(Sizes.clock(75)).isEqualTo("1:15");
        assertThat(Sizes.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void progressBarShowsTheSameSizesAndRateAsTheSummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress bar = ConsoleProgress.to("Indexing", new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .inBytes().columns(120);
        bar.note("120/400 files");
        bar.onProgress(new io.pprocess.Progress(20_000_000, 0, 0, 60_000_000, Duration.ofSeconds(1), false));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\rIndexing [" + "#".repeat(10) + ".".repeat(20) + "] "
                + Sizes.bytes(20_000_000) + "/" + Sizes.bytes(60_000_000) + "  33%  "
                + Sizes.rate(20_000_000, 1_000_000_000L) + "  0:02 left  120/400 files");
    }

    /** What the indexer draws on a terminal: bytes and files, fitted to the width, ended at close. */
    @Test
    void theIndexersBarCountsBytesAndFilesFitsTheTerminalAndEndsItsLineWhenClosed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress progress = Progress.bar(terminal, 70, 400, 59_136_871);
        progress.advance(120, 29_568_436);
        progress.advance(280, 59_136_871 - 29_568_436);
        progress.close();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\r", -1);
        assertThat(lines[0]).isEmpty();
        assertThat(lines[1]).startsWith("Indexing ").contains("0 B/59.1 MB", "0/400 files");
        String last = lines[lines.length - 1];
        assertThat(last).endsWith(System.lineSeparator()).contains("59.1 MB/59.1 MB 100%", "400/400 files");
        for (String line : lines) {
            assertThat(line.strip()).hasSizeLessThan(70);
        }
    }
}

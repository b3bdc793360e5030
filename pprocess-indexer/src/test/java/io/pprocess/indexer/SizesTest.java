package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

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
        String line = Progress.render(29_568_436, 59_136_871, 120, 400, 1_000_000_000L, 120);
        assertThat(line).isEqualTo("Indexing  50% [" + "\u2588".repeat(15) + " ".repeat(15) + "] 29.6 MB/59.1 MB, "
                + Sizes.rate(29_568_436, 1_000_000_000L) + ", 0:01 left, 120/400 files");
        assertThat(Progress.render(0, 0, 0, 3, 0, 120)).startsWith("Indexing   0% [").contains(" 0 B/0 B, 0 B/s, ?:?? left");
        assertThat(Progress.render(10, 10, 3, 3, 5, 60)).hasSizeLessThanOrEqualTo(60).contains("100%", "done");
    }
}

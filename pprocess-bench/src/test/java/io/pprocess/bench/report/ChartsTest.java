package io.pprocess.bench.report;

import static io.pprocess.bench.report.JmhResultsTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pprocess.bench.report.Charts.Bar;
import io.pprocess.bench.report.Charts.Line;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    JmhResults jmh;
    PeerResults peers;

    @BeforeEach
    void read() throws Exception {
        jmh = JmhResults.read(List.of(fixture("jmh-fixture.json")));
        peers = PeerResults.read(fixture("peers-fixture.json"));
    }

    @Test
    void roundTripLinesHoldTheSizesThatWereMeasured() {
        List<Line> lines = Charts.roundTripLines(jmh, peers);

        assertThat(lines).extracting(Line::name).containsExactly("channel, socket transport",
                "channel, pipe transport", "raw AF_UNIX socket (no codec, no ack)", "Python Pipe send/recv (pickled)",
                "Python Pipe send_bytes/recv_bytes");
        assertThat(lines.get(0).x()).containsExactly(8.0, 1048576.0);
        assertThat(lines.get(0).y()).containsExactly(12.5, 2500.0);
        assertThat(lines.get(3).y()).containsExactly(30.0);
        assertThat(Charts.roundTripLines(jmh, null)).hasSize(3);
    }

    @Test
    void startBarsUseMedians() {
        assertThat(Charts.startBars(jmh, peers)).extracting(Bar::label, Bar::value).containsExactly(
                tuple("bare JVM", 120.0), tuple("cold start", 210.0), tuple("spare start", 0.8),
                tuple("Python: python3 -c pass", 85.0), tuple("Python: fork", 3.7));
    }

    @Test
    void pmapBarsUseTheItemsPerSecond() {
        assertThat(Charts.pmapBars(jmh, peers)).extracting(Bar::label, Bar::value).containsExactly(
                tuple("pmap (warm workers)", 150000.0), tuple("pmap (workers started per call)", 50000.0),
                tuple("pmap reuse(false)", 4.0),
                tuple("Python Pool.map, chunksize=1", 25000.0), tuple("Python Pool.map, default chunks", 2900000.0));
    }

    @Test
    void speedupIsSequentialTimeOverEachVariantsTime() {
        assertThat(Charts.speedupBars(jmh, peers)).extracting(Bar::label, Bar::value).containsExactly(
                tuple("sequential", 1.0), tuple("pmap, cold", 1.25), tuple("pmap, spares", 1.6),
                tuple("pmap, warm workers", 1.25), tuple("ForkJoinPool", 2.0), tuple("ideal (2 cores)", 2.0));
        assertThat(Charts.speedupBars(jmh, null)).hasSize(5);
        assertThat(Charts.speedupBars(new JmhResults(List.of()), peers)).isEmpty();
    }

    @Test
    void indexerBarsAreInWindowOrder() {
        assertThat(Charts.indexerBars(jmh)).extracting(Bar::label, Bar::value).containsExactly(
                tuple("window 1", 15.0), tuple("window 2", 25.0));
    }

    @Test
    void indexerBarsShowNewChildrenThenKeptWorkers() {
        JmhResults both = new JmhResults(List.of(indexer("2", "kept", 60), indexer("1", "fresh", 20),
                indexer("1", "kept", 35), indexer("2", "fresh", 28)));
        assertThat(Charts.indexerBars(both)).extracting(Bar::label, Bar::value).containsExactly(
                tuple("window 1, new children", 20.0), tuple("window 2, new children", 28.0),
                tuple("window 1, kept workers", 35.0), tuple("window 2, kept workers", 60.0));
    }

    private static io.pprocess.bench.report.JmhResult indexer(String window, String workers, double megabytes) {
        return new io.pprocess.bench.report.JmhResult("io.pprocess.bench.IndexerBenchmark.index", "thrpt",
                java.util.Map.of("window", window, "workers", workers, "corpusMegabytes", "50"), megabytes / 50, "ops/s",
                megabytes / 50, java.util.Map.of("megabytes", megabytes));
    }

    @Test
    void barLabelsAreRoundedToThreeSignificantDigits() {
        assertThat(Charts.threeDigits(5_933_476.47)).isEqualTo(5_930_000.0);
        assertThat(Charts.threeDigits(7.3512)).isEqualTo(7.35);
        assertThat(Charts.threeDigits(0.82449)).isEqualTo(0.824);
    }

    @Test
    void writesOnePngPerChartWithData(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<Path> written = Charts.write(jmh, peers, dir);

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                "performance-roundtrip.png", "performance-start.png", "performance-pmap.png",
                "performance-speedup.png", "performance-indexer.png");
        for (Path p : written) {
            byte[] bytes = Files.readAllBytes(p);
            assertThat(bytes.length).as(p.toString()).isGreaterThan(1000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(Charts.write(new JmhResults(List.of()), null, dir.resolve("none"))).isEmpty();
    }
}

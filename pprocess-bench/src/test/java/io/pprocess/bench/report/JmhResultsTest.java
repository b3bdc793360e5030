package io.pprocess.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(JmhResultsTest.class.getResource(name).toURI());
    }

    @Test
    void readsEveryRowWithParamsScoresMediansAndSecondaryMetrics() throws Exception {
        JmhResults results = JmhResults.read(List.of(fixture("jmh-fixture.json")));

        assertThat(results.rows()).hasSize(17);
        JmhResult first = results.rows().get(0);
        assertThat(first.benchmark()).isEqualTo("io.pprocess.bench.RoundTripBenchmark.channel");
        assertThat(first.className()).isEqualTo("RoundTripBenchmark");
        assertThat(first.method()).isEqualTo("channel");
        assertThat(first.mode()).isEqualTo("avgt");
        assertThat(first.params()).isEqualTo(Map.of("size", "8", "transport", "socket"));
        assertThat(first.score()).isEqualTo(12.5);
        assertThat(first.unit()).isEqualTo("us/op");
        assertThat(first.secondary()).isEmpty();

        JmhResult spare = results.find("StartBenchmark.spareStart").orElseThrow();
        assertThat(spare.score()).isEqualTo(2.5);
        assertThat(spare.median()).isEqualTo(0.8);

        JmhResult pmap = results.find("PmapBenchmark.pmap").orElseThrow();
        assertThat(pmap.secondary("items")).hasValue(150000.0);
        assertThat(pmap.secondary("megabytes")).isEmpty();
    }

    @Test
    void findMatchesClassMethodAndEveryGivenParameter() throws Exception {
        JmhResults results = JmhResults.read(List.of(fixture("jmh-fixture.json")));

        assertThat(results.find("RoundTripBenchmark.channel", "transport", "pipe", "size", "8"))
                .hasValueSatisfying(r -> assertThat(r.score()).isEqualTo(10.0));
        assertThat(results.find("RoundTripBenchmark.channel", "transport", "pipe", "size", "1048576")).isEmpty();
        assertThat(results.find("RoundTripBenchmark.rawSocket", "size", "8"))
                .hasValueSatisfying(r -> assertThat(r.score()).isEqualTo(8.0));
        assertThat(results.find("RoundTripBenchmark.raw")).isEmpty();
        assertThatThrownBy(() -> results.find("RoundTripBenchmark.channel", "size"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs");
    }

    @Test
    void concatenatesSeveralFiles() throws Exception {
        Path f = fixture("jmh-fixture.json");
        assertThat(JmhResults.read(List.of(f, f)).rows()).hasSize(34);
    }

    @Test
    void readsNaNScoresAsNaN() {
        String json = "[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\","
                + "\"primaryMetric\":{\"score\":\"NaN\",\"scoreUnit\":\"s/op\"}}]";
        List<JmhResult> rows = JmhResults.parse(new StringReader(json), "nan.json");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.score()).isNaN();
            assertThat(r.median()).isNaN();
            assertThat(r.params()).isEmpty();
        });
    }

    @Test
    void rejectsWhatIsNotAJmhResultNamingTheSourceAndTheProblem() {
        assertThatThrownBy(() -> JmhResults.parse(new StringReader("{\"a\": 1}"), "obj.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("obj.json: a JMH result file is a JSON array, found an object");
        assertThatThrownBy(() -> JmhResults.parse(new StringReader("[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\"}]"),
                "nometric.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nometric.json: entry 0 (a.B.c): primaryMetric: expected an object, found nothing");
        assertThatThrownBy(() -> JmhResults.parse(new StringReader("[{\"mode\":\"avgt\"}]"), "noname.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("noname.json: entry 0: 'benchmark' is missing or not a string");
        assertThatThrownBy(() -> JmhResults.parse(new StringReader("[{"), "cut.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cut.json: not JSON");
    }

    @Test
    void readsThePeersFile() throws Exception {
        PeerResults peers = PeerResults.read(fixture("peers-fixture.json"));

        assertThat(peers.python()).isEqualTo("3.11.7");
        assertThat(peers.cores()).isEqualTo(2);
        assertThat(peers.median("pool_map_default")).hasValue(2900000.0);
        assertThat(peers.median("start_to_message_spawn")).isEmpty();
    }

    @Test
    void rejectsAPeersFileWithoutResults() {
        assertThatThrownBy(() -> PeerResults.parse(new StringReader("{\"python\":\"3\",\"cores\":2}"), "p.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("p.json: results: expected an object, found nothing");
    }

    @Test
    void readFailsOnAMissingFile(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> JmhResults.read(List.of(dir.resolve("absent.json"))))
                .isInstanceOf(IOException.class);
    }
}

package io.pprocess.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The output of {@code peers/peer_bench.py}: the Python version, the pool size, and the median
 * of each measurement by key (for example {@code pool_map_chunksize1} in items/s,
 * {@code pipe_round_trip_8} in µs, {@code start_to_message_fork} in ms).
 *
 * @param python the Python version
 * @param cores the pool size used
 * @param medians the medians, by key
 */
public record PeerResults(String python, int cores, Map<String, Double> medians) {

    /**
     * Copies the map, so the record is immutable.
     *
     * @param python the Python version
     * @param cores the pool size used
     * @param medians the medians, by key
     */
    public PeerResults {
        medians = Map.copyOf(medians);
    }

    /**
     * Reads a {@code peer_bench.py} output file.
     *
     * @param file the file
     * @return its figures
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file if it is not such an output
     */
    public static PeerResults read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        }
    }

    /**
     * Parses a {@code peer_bench.py} document: an object with {@code python}, {@code cores} and
     * {@code results}, each result an object with a {@code median}.
     *
     * @param in the document
     * @param source its name, for error messages
     * @return its figures
     * @throws IllegalArgumentException naming the source and the problem if it is not such a document
     */
    public static PeerResults parse(Reader in, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseReader(in);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        JsonObject top = JmhResults.object(root, source);
        String python = JmhResults.string(top, "python", source);
        int cores = (int) JmhResults.number(top, "cores", source);
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : JmhResults.object(top.get("results"), source + ": results").entrySet()) {
            String where = source + ": results." + e.getKey();
            medians.put(e.getKey(), JmhResults.number(JmhResults.object(e.getValue(), where), "median", where));
        }
        return new PeerResults(python, cores, medians);
    }

    /**
     * Returns the median of a measurement.
     *
     * @param key e.g. {@code pool_map_default}
     * @return the median, or empty if the file has no such measurement
     */
    public OptionalDouble median(String key) {
        Double value = medians.get(key);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}

package io.pprocess.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rows of one or more JMH JSON result files ({@code -rf json}), with look-ups by method and parameters. */
public final class JmhResults {
    private final List<JmhResult> rows;

    /**
     * Wraps rows.
     *
     * @param rows the rows
     */
    public JmhResults(Collection<JmhResult> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * Reads JMH JSON result files and concatenates their rows.
     *
     * @param files the files
     * @return their rows
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file if it is not a JMH JSON result
     */
    public static JmhResults read(List<Path> files) throws IOException {
        List<JmhResult> rows = new ArrayList<>();
        for (Path file : files) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows.addAll(parse(in, file.toString()));
            }
        }
        return new JmhResults(rows);
    }

    /**
     * Parses one JMH JSON document: an array of objects with {@code benchmark}, {@code mode},
     * optional {@code params}, {@code primaryMetric} ({@code score}, {@code scoreUnit},
     * {@code scorePercentiles}) and optional {@code secondaryMetrics}.
     *
     * @param in the document
     * @param source its name, for error messages
     * @return its rows, in order
     * @throws IllegalArgumentException naming the source and the problem if it is not such a document
     */
    public static List<JmhResult> parse(Reader in, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseReader(in);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(source + ": a JMH result file is a JSON array, found "
                    + kind(root));
        }
        List<JmhResult> rows = new ArrayList<>();
        JsonArray array = root.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            String where = source + ": entry " + i;
            JsonObject entry = object(array.get(i), where);
            String benchmark = string(entry, "benchmark", where);
            where += " (" + benchmark + ")";
            String mode = string(entry, "mode", where);
            Map<String, String> params = new LinkedHashMap<>();
            if (entry.has("params")) {
                for (Map.Entry<String, JsonElement> p : object(entry.get("params"), where + ": params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            JsonObject primary = object(entry.get("primaryMetric"), where + ": primaryMetric");
            double score = number(primary, "score", where + ": primaryMetric");
            String unit = string(primary, "scoreUnit", where + ": primaryMetric");
            double median = score;
            if (primary.has("scorePercentiles")) {
                JsonObject percentiles = object(primary.get("scorePercentiles"), where + ": scorePercentiles");
                if (percentiles.has("50.0")) {
                    median = number(percentiles, "50.0", where + ": scorePercentiles");
                }
            }
            Map<String, Double> secondary = new LinkedHashMap<>();
            if (entry.has("secondaryMetrics")) {
                JsonObject metrics = object(entry.get("secondaryMetrics"), where + ": secondaryMetrics");
                for (Map.Entry<String, JsonElement> m : metrics.entrySet()) {
                    String at = where + ": secondaryMetrics." + m.getKey();
                    secondary.put(m.getKey(), number(object(m.getValue(), at), "score", at));
                }
            }
            rows.add(new JmhResult(benchmark, mode, params, score, unit, median, secondary));
        }
        return rows;
    }

    /** @return all rows, in file order */
    public List<JmhResult> rows() {
        return rows;
    }

    /**
     * Finds the first row of a benchmark method whose parameters include the given ones.
     *
     * @param classAndMethod {@code SimpleClassName.method}, e.g. {@code RoundTripBenchmark.channel}
     * @param params alternating parameter names and values that must match
     * @return the row, or empty if there is none
     * @throws IllegalArgumentException if {@code params} has an odd length
     */
    public Optional<JmhResult> find(String classAndMethod, String... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("params must be name, value pairs: " + List.of(params));
        }
        for (JmhResult r : rows) {
            if (!(r.className() + "." + r.method()).equals(classAndMethod)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < params.length && match; i += 2) {
                match = params[i + 1].equals(r.params().get(params[i]));
            }
            if (match) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    static JsonObject object(JsonElement e, String where) {
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(where + ": expected an object, found " + kind(e));
        }
        return e.getAsJsonObject();
    }

    static String string(JsonObject o, String name, String where) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is missing or not a string");
        }
        return e.getAsString();
    }

    static double number(JsonObject o, String name, String where) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is missing or not a number");
        }
        String text = e.getAsString();
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(where + ": '" + name + "' is not a number: " + text, ex);
                }
        }
    }

    private static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "nothing";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        return "'" + e.getAsString() + "'";
    }
}

package io.pprocess.bench.report;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * One row of a JMH JSON result file: a benchmark method with one combination of parameters.
 *
 * @param benchmark the full method name, e.g. {@code io.pprocess.bench.RoundTripBenchmark.channel}
 * @param mode JMH's mode name ({@code avgt}, {@code thrpt}, {@code ss}, ...)
 * @param params the parameters, by name
 * @param score the primary score
 * @param unit the primary score's unit, e.g. {@code us/op}
 * @param median the median of the primary metric's samples
 * @param secondary the secondary scores (for example {@code @AuxCounters} rates), by name
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, double score, String unit,
                        double median, Map<String, Double> secondary) {

    /**
     * Copies the maps, so the record is immutable.
     *
     * @param benchmark the full method name, e.g. {@code io.pprocess.bench.RoundTripBenchmark.channel}
     * @param mode JMH's mode name ({@code avgt}, {@code thrpt}, {@code ss}, ...)
     * @param params the parameters, by name
     * @param score the primary score
     * @param unit the primary score's unit, e.g. {@code us/op}
     * @param median the median of the primary metric's samples
     * @param secondary the secondary scores (for example {@code @AuxCounters} rates), by name
     */
    public JmhResult {
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** @return the method name, the part of {@link #benchmark} after the class */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** @return the simple class name, e.g. {@code RoundTripBenchmark} */
    public String className() {
        int dot = benchmark.lastIndexOf('.');
        String owner = dot < 0 ? "" : benchmark.substring(0, dot);
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /**
     * Returns a secondary score.
     *
     * @param name its name, e.g. {@code items}
     * @return the score, or empty if this result has none of that name
     */
    public OptionalDouble secondary(String name) {
        Double value = secondary.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}

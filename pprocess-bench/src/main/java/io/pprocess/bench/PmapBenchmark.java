package io.pprocess.bench;

import io.pprocess.ExchangeOptions;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.SerializableFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: what reusing processes buys {@code pmap} on many small items.
 *
 * <p>Both benchmarks map {@code x -> x + 1} with at most {@link PProcess#numberOfCores()}
 * children and check every result; the score is items per second, children's starts included
 * (each invocation is a whole {@code pmap}, as a program would call it). {@link #pmap} is the
 * default: a few reused workers served chunks of items, over {@value #ITEMS} items.
 * {@link #processPerItem}, the baseline, is {@code reuse(false)}: one child JVM per item, as
 * pprocess does, over only {@value #PER_ITEM} items since each costs a JVM start.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PmapBenchmark {

    /** Items of the reused-process map. */
    static final int ITEMS = 100_000;
    /** Items of the process-per-item map. */
    static final int PER_ITEM = 20;

    private static final SerializableFunction<Integer, Integer> INCREMENT = x -> x + 1;

    List<Integer> items;
    List<Integer> fewItems;
    int limit;

    /** Builds the item lists and picks the limit. */
    @Setup(Level.Trial)
    public void setUp() {
        items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(i);
        }
        fewItems = List.copyOf(items.subList(0, PER_ITEM));
        limit = PProcess.numberOfCores();
    }

    /**
     * {@code pmap} with its default reuse of processes.
     *
     * @return the sum of the results
     */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long pmap() {
        try (MapExchange<Integer> results = PProcess.pmap(INCREMENT, items, limit)) {
            return sumChecked(results, ITEMS);
        }
    }

    /**
     * The baseline: {@code pmap} with one child process per item.
     *
     * @return the sum of the results
     */
    @Benchmark
    @OperationsPerInvocation(PER_ITEM)
    public long processPerItem() {
        try (MapExchange<Integer> results = PProcess.pmap(INCREMENT, fewItems,
                ExchangeOptions.defaults().limit(limit).reuse(false))) {
            return sumChecked(results, PER_ITEM);
        }
    }

    /** Reads the results in order, checking that result i is i + 1. */
    private static long sumChecked(MapExchange<Integer> results, int count) {
        long sum = 0;
        int i = 0;
        for (Iterator<Integer> it = results.iterator(); it.hasNext(); i++) {
            Integer r = it.next();
            if (r == null || r != i + 1) {
                throw new IllegalStateException("pmap result " + i + " is " + r + ", expected " + (i + 1));
            }
            sum += r;
        }
        if (i != count) {
            throw new IllegalStateException("pmap gave " + i + " results for " + count + " items");
        }
        return sum;
    }
}

// How to run (after `mvn -q -B -pl pprocess-bench -am package -DskipTests`):
//   java -jar pprocess-bench/target/benchmarks.jar Pmap -f 1 -wi 2 -i 5
// and the Python peer side by side: pprocess-bench/peers/compare.sh

package io.pprocess.bench;

import io.pprocess.ExchangeOptions;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.SerializableFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson: what reusing processes buys {@code pmap} on many small items.
 *
 * <p>Both benchmarks map {@code x -> x + 1} with at most {@link PProcess#numberOfCores()}
 * children and check every result. Each invocation is a whole {@code pmap}, as a program would
 * call it, children's starts included. The primary score is maps per second; the secondary
 * score {@code items} ({@link ItemCount}) is items per second, the figure to compare.
 * {@link #pmap} is the default: a few reused workers served chunks of items, over
 * {@link #items} items, the workers kept warm between calls (after the first call, a call finds
 * them started and compiled, as Python's started pool is). {@link #pmapColdWorkers} is the same
 * in a fork that keeps no warm workers ({@code pprocess.warmWorkerMillis=0}): every call starts
 * its JVMs. {@link #processPerItem}, the baseline, is {@code reuse(false)}: one child JVM per
 * item, as pprocess does, over only {@link #perItem} items since each costs a JVM start.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PmapBenchmark {

    private static final SerializableFunction<Integer, Integer> INCREMENT = x -> x + 1;

    /** Items of the reused-process map; the smoke test maps fewer. */
    @Param({"100000"})
    public int items;

    /** Items of the process-per-item map. */
    @Param({"20"})
    public int perItem;

    List<Integer> manyItems;
    List<Integer> fewItems;
    int limit;

    /** Items mapped, reported by JMH as items per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ItemCount {
        /** Items mapped and checked in this iteration. */
        public long items;

        /** Starts the count of an iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            items = 0;
        }
    }

    /** Builds the item lists and picks the limit. */
    @Setup(Level.Trial)
    public void setUp() {
        if (items < 1 || perItem < 1) {
            throw new IllegalArgumentException("item counts must be positive: items=" + items + ", perItem="
                    + perItem);
        }
        manyItems = range(items);
        fewItems = range(perItem);
        limit = PProcess.numberOfCores();
    }

    /**
     * {@code pmap} with its default reuse of processes.
     *
     * @param count counts the items mapped
     * @return the sum of the results
     */
    @Benchmark
    public long pmap(ItemCount count) {
        try (MapExchange<Integer> results = PProcess.pmap(INCREMENT, manyItems, limit)) {
            long sum = sumChecked(results, items);
            count.items += items;
            return sum;
        }
    }

    /**
     * {@code pmap} starting its workers in every call.
     *
     * @param count counts the items mapped
     * @return the sum of the results
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dpprocess.warmWorkerMillis=0")
    public long pmapColdWorkers(ItemCount count) {
        return pmap(count);
    }

    /**
     * The baseline: {@code pmap} with one child process per item.
     *
     * @param count counts the items mapped
     * @return the sum of the results
     */
    @Benchmark
    public long processPerItem(ItemCount count) {
        try (MapExchange<Integer> results = PProcess.pmap(INCREMENT, fewItems,
                ExchangeOptions.defaults().limit(limit).reuse(false))) {
            long sum = sumChecked(results, perItem);
            count.items += perItem;
            return sum;
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
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

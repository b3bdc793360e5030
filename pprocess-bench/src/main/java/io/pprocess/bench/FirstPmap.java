package io.pprocess.bench;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A program's first {@code pmap} of 20,000 small items, then a few more, each timed from the
 * call to the last result read: run it twice with workers kept ({@code --keep}), and the second
 * run's first call is "the first {@code pmap} of a program whose workers are kept from an
 * earlier run". A plain program, not JMH: what is measured is a fresh JVM's first call. With
 * {@code --keep}, a line gives the time from {@code keepWorkers} (which prepares a little
 * on a thread of its own) to the end of the first call, the list of items built in between,
 * and a last one how many of this build's kept workers run (none when they were refused).
 *
 * <pre>
 * java -cp pprocess-bench/target/benchmarks.jar io.pprocess.bench.FirstPmap [--keep] [ITEMS] [CALLS]
 * </pre>
 */
public final class FirstPmap {
    private FirstPmap() {
    }

    /**
     * Runs the calls and prints one line each.
     *
     * @param args {@code --keep} to keep workers for 5 minutes, the item count (20000) and the
     *     number of calls (3)
     */
    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        boolean keep = a.remove("--keep");
        long kept = System.nanoTime();
        if (keep) {
            PProcess.keepWorkers(Duration.ofMinutes(5));
        }
        long firstEnd = 0;
        int n = a.size() > 0 ? Integer.parseInt(a.get(0)) : 20_000;
        int calls = a.size() > 1 ? Integer.parseInt(a.get(1)) : 3;
        List<Integer> items = new ArrayList<>(n);
        long expected = 0;
        for (int i = 0; i < n; i++) {
            items.add(i);
            expected += 2L * i + 1;
        }
        for (int c = 0; c < calls; c++) {
            long start = System.nanoTime();
            long sum = 0;
            try (MapExchange<Integer> results = PProcess.pmap((Integer x) -> 2 * x + 1, items)) {
                for (Integer r : results) {
                    sum += r;
                }
            }
            long end = System.nanoTime();
            if (c == 0) {
                firstEnd = end;
            }
            double seconds = (end - start) / 1e9;
            if (sum != expected) {
                throw new IllegalStateException("sum " + sum + " != " + expected);
            }
            System.out.println(String.format(Locale.ROOT, "call %d: %d items in %.1f ms, %.0f items/s%s", c + 1, n,
                    seconds * 1e3, n / seconds, keep ? " (keepWorkers asked)" : ""));
        }
        if (keep && calls > 0) {
            System.out.println(String.format(Locale.ROOT, "keepWorkers to the end of call 1: %.1f ms",
                    (firstEnd - kept) / 1e6));
            System.out.println("kept workers" + keptLabel());
        }
    }

    /**
     * Says whether this build's workers are really kept: a directory open to others, for one,
     * is refused, and the calls then ran without them.
     */
    private static String keptLabel() {
        try {
            int running = PProcess.keptWorkersOfThisBuild().size();
            return running > 0 ? ": " + running + " of this build running" : ": none running";
        } catch (java.io.IOException e) {
            return ": none, " + e.getMessage();
        }
    }
}

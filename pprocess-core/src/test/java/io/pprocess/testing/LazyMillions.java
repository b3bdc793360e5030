package io.pprocess.testing;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.PoolOptions;
import java.util.Iterator;
import java.util.stream.IntStream;

/**
 * A parent for {@code PoolStormIT}: maps {@code x -> x + 1} lazily over {@code args[0]} items
 * (run it with a small heap) and prints the count, the sum and the most heap it saw in use.
 */
public final class LazyMillions {
    private LazyMillions() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Iterator<Integer> input = IntStream.range(0, n).boxed().iterator();
        long count = 0;
        long sum = 0;
        long maxUsed = 0;
        Runtime rt = Runtime.getRuntime();
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x + 1, input, PoolOptions.defaults().workers(2))) {
            for (int v : map) {
                count++;
                sum += v;
                if ((count & 0xFFFFF) == 0) {
                    maxUsed = Math.max(maxUsed, rt.totalMemory() - rt.freeMemory());
                }
            }
        }
        System.out.println("count " + count);
        System.out.println("sum " + sum);
        System.out.println("maxHeapUsed " + maxUsed);
        System.out.println("maxHeap " + rt.maxMemory());
    }
}

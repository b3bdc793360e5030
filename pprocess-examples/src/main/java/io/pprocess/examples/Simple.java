package io.pprocess.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sequential baseline, with the work written inline in the loop: about N × N × delay
 * seconds (100 s with the defaults).
 *
 * <p>Run: {@code bin/pprocess-example simple [--n 10] [--delay 1]}
 */
public final class Simple {

    private Simple() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        GridOptions options = GridOptions.parse("simple", args);
        int n = options.n();
        long delayNanos = options.work().delayNanos();
        long start = System.nanoTime();

        List<Integer> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                TimeUnit.NANOSECONDS.sleep(delayNanos);
                results.add(i * n + j);
            }
        }

        Grid.of(n, results).print();
        Grid.printTimeTaken(start);
    }
}

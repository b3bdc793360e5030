package io.pprocess.examples;

import io.pprocess.ExchangeOptions;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import java.util.function.BiConsumer;

/**
 * Like {@link SimpleManagedMap}, but with reusable processes: {@link PProcess#reusable} makes a
 * task that, after sending a result, waits for the next arguments, and an exchange with
 * {@code reuse(true)} hands each queued call to a child that has finished instead of starting
 * a new one. Only {@code limit} child processes are started in all.
 *
 * <p>Features: MakeReusable, manage, Map. Run: {@code bin/pprocess-example simple_managed_map_reusable [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleManagedMapReusable {

    private SimpleManagedMapReusable() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_managed_map_reusable", args);
        GridWork work = options.work();
        int n = work.n();
        long start = System.nanoTime();

        ExchangeOptions reusing = ExchangeOptions.defaults().limit(options.limit()).reuse(true);
        try (MapExchange<Integer> results = new MapExchange<>(reusing)) {
            BiConsumer<Integer, Integer> calculate =
                    results.manage(PProcess.reusable((Integer i, Integer j) -> work.calculate(i, j)));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    calculate.accept(i, j);
                }
            }
            for (int i = 0; i < n; i++) {
                Grid.printRow(results.slice(i * n, i * n + n));
            }
        }
        Grid.printTimeTaken(start);
    }
}

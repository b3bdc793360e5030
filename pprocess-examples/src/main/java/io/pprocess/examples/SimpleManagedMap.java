package io.pprocess.examples;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import java.util.function.BiConsumer;

/**
 * Parallel with a managed callable: {@link PProcess#parallel} turns the ordinary function
 * {@link GridWork#calculate(int, int)} into a task that sends its result, and
 * {@link MapExchange#manage} into a callable that starts it in a child process each time it is
 * called. The map keeps the values in call order.
 *
 * <p>Features: MakeParallel, manage, Map. Run: {@code bin/pprocess-example simple_managed_map [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleManagedMap {

    private SimpleManagedMap() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_managed_map", args);
        GridWork work = options.work();
        int n = work.n();
        long start = System.nanoTime();

        try (MapExchange<Integer> results = new MapExchange<>(options.limit())) {
            BiConsumer<Integer, Integer> calculate =
                    results.manage(PProcess.parallel((Integer i, Integer j) -> work.calculate(i, j)));
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

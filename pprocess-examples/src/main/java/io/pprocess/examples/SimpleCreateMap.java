package io.pprocess.examples;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;

/**
 * Parallel, fork style: {@link MapExchange#create} runs a block of code in a new child process
 * for each cell; the block sends the value and ends the child with {@link PProcess#exit}. The
 * map keeps the values in the order the children were created, and the grid is printed a row
 * at a time by slicing it.
 *
 * <p>Features: create, Map. Run: {@code bin/pprocess-example simple_create_map [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleCreateMap {

    private SimpleCreateMap() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_create_map", args);
        GridWork work = options.work();
        int n = work.n();
        long start = System.nanoTime();

        try (MapExchange<Integer> results = new MapExchange<>(options.limit())) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int row = i;
                    int column = j;
                    results.create(child -> {
                        child.send(work.calculate(row, column));
                        PProcess.exit(child);
                    });
                }
            }
            for (int i = 0; i < n; i++) {
                Grid.printRow(results.slice(i * n, i * n + n));
            }
        }
        Grid.printTimeTaken(start);
    }
}

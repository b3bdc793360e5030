package io.pprocess.examples;

import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PProcess#pmap} read by iteration: each row is printed as soon as its values are in,
 * while later cells are still being computed.
 *
 * <p>Features: pmap. Run: {@code bin/pprocess-example simple_pmap_iter [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimplePmapIter {

    private SimplePmapIter() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_pmap_iter", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        try (MapExchange<Integer> results = PProcess.pmap(work::calculate, work.cells(), options.limit())) {
            List<Integer> row = new ArrayList<>();
            for (int value : results) {
                row.add(value);
                if (row.size() == work.n()) {
                    Grid.printRow(row);
                    row.clear();
                }
            }
        }
        Grid.printTimeTaken(start);
    }
}

package io.pprocess.examples;

import io.pprocess.ConsoleProgress;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.PoolOptions;

/**
 * The simplest parallel program: {@link PProcess#pmap} maps an ordinary function over the
 * cells in child processes, like a parallel {@code map}, and the results come back in cell
 * order. On a terminal a progress bar ({@link ConsoleProgress}) shows on standard error while
 * the cells are computed.
 *
 * <p>Features: pmap. Run: {@code bin/pprocess-example simple_pmap [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimplePmap {

    private SimplePmap() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_pmap", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        PoolOptions pool = PoolOptions.defaults().workers(options.limit()).progress(ConsoleProgress.create("cells"));
        try (MapExchange<Integer> results = PProcess.pmap(work::calculate, work.cells(), pool)) {
            Grid.of(work.n(), results.toList()).print();
        }
        Grid.printTimeTaken(start);
    }
}

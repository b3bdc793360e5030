package io.pprocess.examples;

import java.util.List;

/**
 * The sequential baseline of {@code simple_pmap}: an ordinary (stream) map of the function
 * over the cells.
 *
 * <p>Run: {@code bin/pprocess-example simple_map [--n 10] [--delay 1]}
 */
public final class SimpleMap {

    private SimpleMap() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_map", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        List<Integer> results = work.cells().stream().map(work::calculate).toList();

        Grid.of(work.n(), results).print();
        Grid.printTimeTaken(start);
    }
}

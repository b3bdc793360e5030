package io.pprocess.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The sequential baseline with the work in a function, {@link GridWork#calculate(int, int)}:
 * the form the parallel programs hand to child processes.
 *
 * <p>Run: {@code bin/pprocess-example simple1 [--n 10] [--delay 1]}
 */
public final class Simple1 {

    private Simple1() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple1", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        List<Integer> results = new ArrayList<>();
        for (int i = 0; i < work.n(); i++) {
            for (int j = 0; j < work.n(); j++) {
                results.add(work.calculate(i, j));
            }
        }

        Grid.of(work.n(), results).print();
        Grid.printTimeTaken(start);
    }
}
